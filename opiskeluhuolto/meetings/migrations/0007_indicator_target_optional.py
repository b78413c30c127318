from django.db import migrations, models


def participation_without_target(apps, schema_editor):
    """The built-in participation indicator was created with target 0, standing for "none";
    the plan had not set one. It now has none."""
    Indicator = apps.get_model("meetings", "Indicator")
    Indicator.objects.filter(built_in=True, code="event-participation", target=0).update(
        target=None
    )


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
        migrations.RunPython(participation_without_target, migrations.RunPython.noop),
    ]
