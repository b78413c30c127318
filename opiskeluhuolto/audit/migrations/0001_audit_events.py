"""The audit trail of access rules, append-only in the database too.

UPDATE is refused by a trigger on PostgreSQL and SQLite; DELETE on PostgreSQL. SQLite
gets no DELETE trigger: its test databases are emptied with DELETE between tests that
commit, and it is the embedded demo database; there the ORM refuses deletes.
PostgreSQL empties test databases with TRUNCATE, which row triggers do not see.
"""

from django.core.exceptions import ImproperlyConfigured
import django.core.serializers.json
import django.utils.timezone
from django.db import migrations, models


PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit events are append-only: ' || TG_OP;
END;
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""
SQLITE_TRIGGER = """
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGER)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
    else:
        raise ImproperlyConfigured(f"PostgreSQL or SQLite only: no append-only trigger for {vendor}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent")
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='time')),
                ('provider_id_ref', models.IntegerField(null=True, verbose_name='provider')),
                ('actor_id', models.IntegerField(null=True, verbose_name='user id')),
                ('actor_name', models.CharField(blank=True, max_length=200, verbose_name='who')),
                ('source', models.CharField(choices=[('action', 'the application'), ('admin', 'Django admin'), ('import', 'import')], max_length=10, verbose_name='made in')),
                ('kind', models.CharField(choices=[('role.add', 'role assigned'), ('role.change', 'role assignment changed'), ('role.remove', 'role assignment removed'), ('guardianship.add', 'guardianship added'), ('guardianship.change', 'guardianship changed'), ('guardianship.remove', 'guardianship removed'), ('welfare_group.add', 'welfare group member added'), ('welfare_group.remove', 'welfare group member removed'), ('expert_group.change', 'expert group changed'), ('consent.give', 'consent given'), ('consent.withdraw', 'consent withdrawn'), ('prohibition.record', 'guardian prohibition recorded'), ('prohibition.lift', 'guardian prohibition lifted')], max_length=30, verbose_name='change')),
                ('object_type', models.CharField(max_length=60, verbose_name='object type')),
                ('object_id', models.BigIntegerField(verbose_name='object id')),
                ('student_id_ref', models.IntegerField(null=True, verbose_name='student')),
                ('before', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, null=True, verbose_name='before')),
                ('after', models.JSONField(encoder=django.core.serializers.json.DjangoJSONEncoder, null=True, verbose_name='after')),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['-at', '-pk'],
                'indexes': [models.Index(fields=['provider_id_ref', 'at'], name='audit_event_provider_idx'), models.Index(fields=['student_id_ref', 'at'], name='audit_event_student_idx'), models.Index(fields=['object_type', 'object_id'], name='audit_event_object_idx')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
