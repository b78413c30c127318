"""The free times' versions are changed by database triggers (`access.triggers`), no longer
by Django signals, which a bulk write or a queryset update never sent."""

from django.db import migrations

from opiskeluhuolto.access import triggers

#: The tables the free times are computed from (`appointments.slots.FREE_TIMES_TABLES`
#: must name the same; a test compares them).
TABLES = [
    "appointments_availability",
    "appointments_availabilityexception",
    "appointments_booking",
]
NAME = "appointments_free_times_changed"


def create_triggers(apps, schema_editor):
    triggers.create_keyed(
        schema_editor,
        NAME,
        TABLES,
        version_table="appointments_freetimesversion",
        key="professional_id",
    )


def drop_triggers(apps, schema_editor):
    triggers.drop_keyed(schema_editor, NAME, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_free_times_version"),
        ("access", "0002_calendar_triggers"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
