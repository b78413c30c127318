from django.db import migrations, models


def participation_without_target(apps, schema_editor):
    """The built-in participation indicator was created with target 0, standing for "none"
    (the plan had not set one), and with the source "own survey", though its numbers come
    from the events' attendance. It now has no target and that source."""
    Indicator = apps.get_model("meetings", "Indicator")
    built_in = Indicator.objects.filter(built_in=True, code="event-participation")
    built_in.filter(target=0).update(target=None)
    built_in.filter(source="own").update(source="events")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0006_indicator_built_in"),
    ]

    operations = [
        migrations.AlterField(
            model_name="indicator",
            name="target",
            field=models.FloatField(blank=True, null=True, verbose_name="target"),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="source",
            field=models.CharField(
                choices=[
                    ("khk", "School Health Promotion study"),
                    ("tea", "TEA indicator"),
                    ("arvo", "Arvo feedback"),
                    ("own", "own survey"),
                    ("register", "student register"),
                    ("events", "event attendance"),
                ],
                max_length=20,
                verbose_name="source",
            ),
        ),
        migrations.RunPython(participation_without_target, migrations.RunPython.noop),
    ]
