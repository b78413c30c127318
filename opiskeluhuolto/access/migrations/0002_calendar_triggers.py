"""The facts' token changes with writes to institutions and their school calendars too.

Pages that show an institution's data with a person's facts (the student's own
institution, the school calendar the booking pages count working days with) keep it under
the same token (`access.facts.cached`). The trigger function is migration 0001's.
"""

from django.db import migrations

from opiskeluhuolto.access import triggers

TABLES = [
    "organisation_institution",
    "organisation_schoolyear",
    "organisation_calendarperiod",
]


def create_triggers(apps, schema_editor):
    triggers.create(schema_editor, TABLES)


def drop_triggers(apps, schema_editor):
    triggers.drop(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0001_facts_version"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
