"""Retention per controller, with review before destruction (LAW.md L-906-7, L-RET-5).

The classes that existed applied to every provider: each is copied to every provider, so
nothing changes until a provider changes its own. Reports written before the review
existed were carried out at once (or were previews), and say so.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def per_provider(apps, schema_editor):
    RetentionClass = apps.get_model("records", "RetentionClass")
    Provider = apps.get_model("organisation", "Provider")
    DestructionReport = apps.get_model("records", "DestructionReport")
    shared = list(RetentionClass.objects.filter(provider__isnull=True))
    for provider in Provider.objects.all():
        for rule in shared:
            RetentionClass.objects.create(
                provider=provider,
                document_type=rule.document_type,
                years=rule.years,
                start_event=rule.start_event,
                permanent=rule.permanent,
            )
    RetentionClass.objects.filter(provider__isnull=True).delete()
    DestructionReport.objects.filter(dry_run=True).update(status="dry_run")
    DestructionReport.objects.filter(dry_run=False).update(status="destroyed")


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0001_initial'),
        ('records', '0004_log_every_confidential_read'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='destructionreport',
            options={'ordering': ['-run_at', '-pk'], 'verbose_name': 'destruction report', 'verbose_name_plural': 'destruction reports'},
        ),
        migrations.AlterModelOptions(
            name='retentionclass',
            options={'ordering': ['provider', 'document_type'], 'verbose_name': 'retention class', 'verbose_name_plural': 'retention classes'},
        ),
        migrations.RemoveConstraint(
            model_name='retentionclass',
            name='records_retention_one_per_type',
        ),
        migrations.AddField(
            model_name='destructionreport',
            name='approved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='approved at'),
        ),
        migrations.AddField(
            model_name='destructionreport',
            name='approved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by'),
        ),
        migrations.AddField(
            model_name='destructionreport',
            name='destroyed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='destroyed at'),
        ),
        migrations.AddField(
            model_name='destructionreport',
            name='provider',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.provider', verbose_name='controller'),
        ),
        migrations.AddField(
            model_name='destructionreport',
            name='status',
            field=models.CharField(choices=[('proposed', 'proposed, waiting for review'), ('approved', 'approved, destroyed at the next run'), ('destroyed', 'destroyed'), ('dry_run', 'preview only')], default='proposed', max_length=20, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='destructionreport',
            name='unhandled',
            field=models.JSONField(default=list, verbose_name='past the period but never handled: kept'),
        ),
        migrations.AddField(
            model_name='retentionclass',
            name='provider',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.provider', verbose_name='controller'),
        ),
        migrations.AlterField(
            model_name='destructionreport',
            name='destroyed',
            field=models.JSONField(default=list, verbose_name='documents to destroy'),
        ),
        migrations.AlterField(
            model_name='retentionclass',
            name='document_type',
            field=models.CharField(choices=[('welfare_record', 'welfare record with its case and consents'), ('referral', 'referral that did not lead to a case'), ('appointment_request', 'appointment request with its appointments')], max_length=30, verbose_name='document type'),
        ),
        migrations.AlterField(
            model_name='retentionclass',
            name='start_event',
            field=models.CharField(choices=[('case_closed', 'the case was closed'), ('received', 'the document was received'), ('resolved', 'the request was resolved'), ('student_left', 'the student left the institution')], max_length=20, verbose_name='counted from'),
        ),
        migrations.AddConstraint(
            model_name='retentionclass',
            constraint=models.UniqueConstraint(fields=('provider', 'document_type'), name='records_retention_one_per_type'),
        ),
        migrations.RunPython(per_provider, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="retentionclass",
            name="provider",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisation.provider",
                verbose_name="controller",
            ),
        ),
    ]
