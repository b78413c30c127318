"""The permission facts' version token and the triggers that change it.

TABLES must list every table `access.facts` reads (a test compares them); how each gets
its trigger is in `access.triggers`.
"""

from django.db import migrations, models

from opiskeluhuolto.access import triggers

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


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
    triggers.create(schema_editor, TABLES)
    schema_editor.execute("INSERT INTO access_factsversion (id, token) VALUES (1, 1)")


def drop_triggers(apps, schema_editor):
    triggers.drop(schema_editor, TABLES)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS access_facts_changed()")


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
