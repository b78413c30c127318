"""PostgreSQL: no two active bookings of one professional overlap in time.

An exclusion constraint over (professional, tstzrange(starts_at, ends_at))
needs the btree_gist extension. Other databases keep the portable fallback
from 0001 (a unique active slot start per professional).
"""

from django.db import migrations

CONSTRAINT = "appointments_booking_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE appointments_booking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (professional_id WITH =, "
        "tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'active')"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE appointments_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
