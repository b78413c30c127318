"""The access log's index (at, id), for the register responsible person's review newest
first (records.views.access_log).

On PostgreSQL it is built CONCURRENTLY: a plain CREATE INDEX would block every insert into
the log, so every logged read of the register, for as long as the build takes (2.2 s at
5 M rows; longer on a bigger log). A concurrent build cannot run inside a transaction,
hence `atomic = False` and the SQL by database; the model state is the plain AddIndex.
"""

from django.db import migrations, models

INDEX = "records_log_at_idx"
TABLE = "records_accesslogentry"


def create(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"CREATE INDEX {concurrently}IF NOT EXISTS {INDEX} ON {TABLE} (at, id)")


def drop(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP INDEX {concurrently}IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("records", "0018_access_log_indexes_that_earn_their_writes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="accesslogentry",
                    index=models.Index(fields=["at", "id"], name=INDEX),
                ),
            ],
            database_operations=[migrations.RunPython(create, drop, elidable=False)],
        )
    ]
