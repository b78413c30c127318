"""The refusals of access (LAW.md L-GDPR-5), and the trigger that changes the facts' token
with every write to them.

A guardian whose access the register responsible person refused sees none of the
student's welfare data: `CaseRules._guardian_blocks`, a cached fact, reads the refusals in
force, so recording or ending one must change the token. The trigger function is
migration 0001's.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from opiskeluhuolto.access import triggers

TABLES = ["access_accessrestriction"]


def create_triggers(apps, schema_editor):
    triggers.create(schema_editor, TABLES)


def drop_triggers(apps, schema_editor):
    triggers.drop(schema_editor, TABLES)


class Migration(migrations.Migration):

    dependencies = [
        ('access', '0004_survey_results_triggers'),
        ('organisation', '0006_education_levels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessRestriction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('ground', models.CharField(choices=[('tsl34_health', "Data Protection Act 34 §: danger to the student's health or care"), ('tsl34_others', 'Data Protection Act 34 §: danger to the rights of others'), ('ohl18_2', "Pupil and Student Welfare Act 18 § 2: the minor's prohibition")], max_length=30, verbose_name='legal ground of the refusal')),
                ('recorded_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='ended at')),
                ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ended by')),
                ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='whose access is refused')),
                ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('student', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisation.student', verbose_name='student')),
            ],
            options={
                'verbose_name': 'refusal of access',
                'verbose_name_plural': 'refusals of access',
                'ordering': ['-recorded_at', '-pk'],
                'indexes': [models.Index(fields=['person', 'student'], name='access_restriction_person_idx')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
