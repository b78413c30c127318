"""The facts' token changes with writes to campuses, student groups and stored result counts.

A released survey's results page keeps its computed numbers (counts and suppression)
under the facts' token (`surveys.results.compute_kept`, `access.facts.cached`). They are
computed from the counts stored at release and from the campuses' and groups' names (the
labels, and the starting years the suppression protects), so a rename, a move or a deletion
of a campus or group (which also sets the stored counts' unit to none) must change the
token, as must any write to the stored counts. The trigger function is migration 0001's.
"""

from django.db import migrations

from opiskeluhuolto.access import triggers

TABLES = [
    "organisation_campus",
    "organisation_studentgroup",
    "surveys_resultcount",
]


def create_triggers(apps, schema_editor):
    triggers.create(schema_editor, TABLES)


def drop_triggers(apps, schema_editor):
    triggers.drop(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_provider_triggers_again"),
        ("organisation", "0006_education_levels"),
        ("surveys", "0003_survey_starting_year"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
