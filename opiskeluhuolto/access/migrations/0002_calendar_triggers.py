"""The facts' token changes with writes to institutions and their school calendars too.

Pages that show an institution's data with a person's facts (the student's own
institution, the school calendar the booking pages count working days with) keep it under
the same token (`access.facts.cached`). The trigger function is migration 0001's.
"""

from django.db import migrations

TABLES = [
    "organisation_institution",
    "organisation_schoolyear",
    "organisation_calendarperiod",
]

SQLITE_TRIGGER = """
CREATE TRIGGER access_facts_{op}_{table} AFTER {OP} ON {table}
BEGIN
    INSERT OR REPLACE INTO access_factsversion (id, token) VALUES (1, random());
END
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER access_facts_changed AFTER INSERT OR UPDATE OR DELETE OR "
                f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION access_facts_changed()"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(SQLITE_TRIGGER.format(op=op, OP=op.upper(), table=table))
    else:
        raise NotImplementedError(f"no permission-facts triggers for {vendor}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_changed ON {table}")
    else:
        for table in TABLES:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_{op}_{table}")


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_facts_version"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
