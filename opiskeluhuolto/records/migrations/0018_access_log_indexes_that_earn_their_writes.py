"""The access log keeps only the indexes a query reads (issue 21, item 3).

Each logged read writes a heap row and an entry in every index of the log: a staff work
list logs 80 rows a view. Two indexes were written at every row and served nothing
(bench/README.md, "The access log's write cost"):

- `(student_id_ref, at)`: every query on a student's rows orders by `(chain, seq)` along
  `(student_id_ref, chain, seq)`, which also serves the register admin's review of a
  few students (their rows fetched by the index's first column, then sorted by time).
  Its keys are random (192–209 MB at 5 M rows): after each checkpoint every row's insert
  touched a leaf of its own, each a full-page image in the write-ahead log.
- The unique `(chain, prev_hash)`: a row's `seq` and `prev_hash` are both taken from the
  chain's last row under the chain's lock (migrations 0009, 0016), so two rows after the
  same row also share `(chain, seq)`, which is unique; a row inserted already chained
  that links past its place is reported by `verify_access_log`, as before
  (records/tests/test_chain_forks.py). The largest of the log's indexes (596–650 MB at 5 M
  rows: 64-character keys).

Backwards, both come back (built again over the whole log).

SQLite cannot drop a table's unique constraint: Django rebuilds the table, which drops its
triggers. The log's own (append-only, migration 0012; the heads, 0013) are made again
after the rebuild, either way (as appointments migration 0007 does for the bookings').
"""

from importlib import import_module

from django.db import migrations


def remake_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    append_only = import_module(
        "opiskeluhuolto.records.migrations.0012_access_log_append_only_in_the_database"
    )
    heads = import_module("opiskeluhuolto.records.migrations.0013_access_log_heads")
    schema_editor.execute("DROP TRIGGER IF EXISTS records_log_no_update")
    schema_editor.execute("DROP TRIGGER IF EXISTS records_log_head")
    schema_editor.execute(append_only.SQLITE_TRIGGER)
    schema_editor.execute(heads.SQLITE_HEADS)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0017_records_amendments_disclosures_append_only_in_the_database"),
    ]

    operations = [
        # Backwards, after the constraint's rebuild of the table.
        migrations.RunPython(migrations.RunPython.noop, remake_sqlite_triggers),
        migrations.RemoveConstraint(
            model_name="accesslogentry",
            name="records_log_unique_chain_prev_hash",
        ),
        migrations.RemoveIndex(
            model_name="accesslogentry",
            name="records_log_student_idx",
        ),
        migrations.RunPython(remake_sqlite_triggers, migrations.RunPython.noop),
    ]
