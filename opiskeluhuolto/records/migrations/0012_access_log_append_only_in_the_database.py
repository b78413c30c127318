"""The access log refuses changes and deletions in the database too (LAW.md L-906-3).

Until now only the model (`AppendOnly`) refused them: a queryset `update()` or `delete()`,
or plain SQL, changed or removed log rows, which the hash chain then showed but did not
prevent. As for the audit trail (audit migration 0001), a trigger now refuses them.

PostgreSQL refuses every DELETE and every UPDATE but one: the deferred trigger's chaining
(`records_log_chain`, migrations 0003/0009/0011) of a row inserted without its `seq`, which
sets only `seq`, `prev_hash` and `hash` of a row whose `seq` was NULL. No other path
changes or deletes log rows: the retention job never destroys the log (L-RET-4,
docs/welfare-register.md), and the tests' databases are emptied with TRUNCATE, which row
triggers do not see.

SQLite refuses every UPDATE (the application chains its rows as it inserts them there,
so nothing updates them) and, as for the audit trail, no DELETE: its test databases are
emptied with DELETE between tests that commit, and it is the embedded demo's database;
there the model refuses deletes.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION records_log_append_only() RETURNS trigger AS $$
BEGIN
    -- The chaining at the commit: a row of this transaction gets its place in the chain.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
            AND to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash']
                = to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash'] THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'the access log is append-only: ' || TG_OP;
END;
$$ LANGUAGE plpgsql
"""
PG_TRIGGER = """
CREATE TRIGGER records_log_append_only BEFORE UPDATE OR DELETE ON records_accesslogentry
FOR EACH ROW EXECUTE FUNCTION records_log_append_only()
"""
SQLITE_TRIGGER = """
CREATE TRIGGER records_log_no_update BEFORE UPDATE ON records_accesslogentry
BEGIN
    SELECT RAISE(ABORT, 'the access log is append-only');
END
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGER)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)
    else:
        raise ImproperlyConfigured(f"PostgreSQL or SQLite only: no append-only trigger for {vendor}")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS records_log_append_only ON records_accesslogentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS records_log_append_only()")
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS records_log_no_update")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0011_row_hash_written_once"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
