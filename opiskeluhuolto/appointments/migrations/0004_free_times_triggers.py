"""The free times' versions are changed by database triggers (`access.triggers`), no longer
by Django signals, which a bulk write or a queryset update never sent."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("appointments", "0003_free_times_version"),
        ("access", "0002_calendar_triggers"),
    ]

    operations = [
        # The triggers write versions also while a person's rows (or the person) are deleted.
        migrations.AlterField(
            model_name="freetimesversion",
            name="professional",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="+",
                serialize=False,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
