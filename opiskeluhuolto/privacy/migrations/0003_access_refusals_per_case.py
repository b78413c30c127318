"""A data request keeps every refusal of access its answer recorded: one covering all the
student's matters (a request refused), or one per matter withheld (answered in part). The
one refusal each answered request had so far is carried over."""

from django.db import migrations, models


def carry_over(apps, schema_editor):
    DataRequest = apps.get_model("privacy", "DataRequest")
    for req in DataRequest.objects.filter(restriction__isnull=False):
        req.restrictions.add(req.restriction_id)


def carry_back(apps, schema_editor):
    DataRequest = apps.get_model("privacy", "DataRequest")
    for req in DataRequest.objects.all():
        first = req.restrictions.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            DataRequest.objects.filter(pk=req.pk).update(restriction_id=first)


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0006_access_refusal_per_case'),
        ('privacy', '0002_access_refusals'),
    ]

    operations = [
        migrations.AddField(
            model_name='datarequest',
            name='restrictions',
            field=models.ManyToManyField(blank=True, related_name='requests', to='access.accessrestriction', verbose_name='standing refusals of access'),
        ),
        migrations.RunPython(carry_over, carry_back),
        migrations.RemoveField(
            model_name='datarequest',
            name='restriction',
        ),
    ]
