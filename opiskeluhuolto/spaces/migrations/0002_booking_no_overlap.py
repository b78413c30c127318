"""PostgreSQL: no two active bookings of one space overlap in time.

An exclusion constraint over (space, tstzrange(starts_at, ends_at)) needs the btree_gist
extension (as appointments 0002). Other databases keep the portable fallback of 0001 (a
unique active start per space) and the check that `actions.book` makes in the same
transaction after taking the space's write lock.
"""

from django.db import migrations

CONSTRAINT = "spaces_booking_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE spaces_booking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (space_id WITH =, "
        "tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (status = 'active')"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE spaces_booking DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("spaces", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
