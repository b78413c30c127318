"""The access log keeps only the indexes a query reads (issue 21, item 3).

Each logged read writes a heap row and an entry in every index of the log: a staff work
list logs 80 rows a view. Two indexes were written at every row and served nothing
(bench/README.md, "The access log's write cost"):

- `(student_id_ref, at)`: every query on a student's rows orders by `(chain, seq)` along
  `(student_id_ref, chain, seq)`, which also serves the register admin's review of a
  few students (their rows fetched by the index's first column, then sorted by time).
  Its keys are random, so with 5 M rows (209 MB) almost every insert touched a leaf
  page not touched since the last checkpoint: a full-page image in the write-ahead log.
- The unique `(chain, prev_hash)`: a row's `seq` and `prev_hash` are both taken from the
  chain's last row under the chain's lock (migrations 0009, 0016), so two rows after the
  same row also share `(chain, seq)`, which is unique; a row inserted already chained
  that links past its place is reported by `verify_access_log`, as before
  (records/tests/test_chain_forks.py). The largest of the log's indexes (650 MB at 5 M
  rows: random 64-character keys), and the one whose every insert was a full-page image.

Backwards, both come back (built again over the whole log: minutes at 5 M rows).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0017_records_amendments_disclosures_append_only_in_the_database"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="accesslogentry",
            name="records_log_unique_chain_prev_hash",
        ),
        migrations.RemoveIndex(
            model_name="accesslogentry",
            name="records_log_student_idx",
        ),
    ]
