"""The permission facts' version token and the triggers that change it.

TABLES must list every table `access.facts` reads (a test compares them).
PostgreSQL: one statement-level trigger per table (a COPY of 20,000 rows changes the
token once). SQLite has only row-level triggers: one per table and operation.
"""

from django.db import migrations, models

TABLES = [
    "organisation_roleassignment",
    "organisation_student",
    "organisation_guardianship",
    "organisation_provider",
    "cases_expertgroupmembership",
    "cases_guardianprohibition",
    "meetings_membership",
]

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION access_facts_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO access_factsversion (id, token)
    VALUES (1, floor(random() * 9e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

SQLITE_TRIGGER = """
CREATE TRIGGER access_facts_{op}_{table} AFTER {OP} ON {table}
BEGIN
    INSERT OR REPLACE INTO access_factsversion (id, token) VALUES (1, random());
END
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
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
    schema_editor.execute("INSERT INTO access_factsversion (id, token) VALUES (1, 1)")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_changed ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS access_facts_changed()")
    else:
        for table in TABLES:
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_{op}_{table}")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("organisation", "0001_initial"),
        ("cases", "0003_prohibition_lifted_by"),
        ("meetings", "0002_plan_evaluations"),
    ]

    operations = [
        migrations.CreateModel(
            name="FactsVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("token", models.BigIntegerField()),
            ],
            options={"verbose_name": "permission facts version"},
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
