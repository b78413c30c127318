"""The provider's facts trigger again, after organisation 0002 added a column to it.

SQLite adds that column by rebuilding `organisation_provider`, and a rebuilt table has lost
its triggers: without them a change of the register's administration would leave the facts
cache stale. PostgreSQL keeps triggers through ALTER TABLE; dropping and creating them again
is harmless there too. (Any later migration that rebuilds a table of `facts.TABLES` on
SQLite needs the same step.)
"""

from django.db import migrations

from opiskeluhuolto.access import triggers

TABLES = ["organisation_provider"]


def recreate(apps, schema_editor):
    triggers.drop(schema_editor, TABLES)
    triggers.create(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_calendar_triggers"),
        ("organisation", "0002_provider_register_admin_role"),
    ]

    operations = [
        migrations.RunPython(recreate, migrations.RunPython.noop),
    ]
