"""On PostgreSQL the access log is chained when its transaction commits (LAW.md L-906-3).

A row is inserted without its place in the chain (`seq`, `prev_hash`, `hash` NULL). A
deferred constraint trigger gives it that place during COMMIT: it takes the chain's
advisory lock, reads the last chained row and computes the row's hash exactly as
`records.chain.row_hash` does (the same JSON text, the same SHA-256), so
`verify_access_log` checks both kinds of rows alike. The lock is held only for the rest
of the commit, inside the server: no round trip to the application happens while other
readers of the register wait. `seq` still follows commit order, so when a row is visible
every row with a smaller `seq` is visible too.

On SQLite, whose write transaction already serialises writers, `records.log` chains the
rows itself, as before.
"""

from django.db import migrations, models

#: The advisory lock 906017 is an arbitrary constant naming the chain's end.
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION records_log_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
    payload text;
BEGIN
    IF NEW.seq IS NOT NULL THEN
        RETURN NULL;  -- already chained (a restored dump, say)
    END IF;
    PERFORM pg_advisory_xact_lock(906017);
    -- A statement of its own: its snapshot is taken after the lock was granted, so it
    -- sees the row of the transaction that held the lock before.
    SELECT seq, hash INTO last_seq, last_hash FROM records_accesslogentry
        WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
    -- chain.row_hash: json.dumps([prev_hash, *FIELDS], ensure_ascii=False,
    -- separators=(",", ":")); to_json escapes strings as Python's json does.
    payload := '[' || to_json(last_hash)::text
        || ',' || (last_seq + 1)::text
        || ',' || to_json(to_char(NEW.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                          || '+00:00')::text
        || ',' || NEW.actor_id::text
        || ',' || to_json(NEW.actor_name)::text
        || ',' || to_json(NEW.actor_role)::text
        || ',' || to_json(NEW.action)::text
        || ',' || to_json(NEW.basis)::text
        || ',' || to_json(NEW.purpose)::text
        || ',' || NEW.student_id_ref::text
        || ',' || NEW.case_id_ref::text
        || ',' || NEW.record_id_ref::text
        || ',' || to_json(NEW.client_ip)::text
        || ']';
    UPDATE records_accesslogentry
        SET seq = last_seq + 1,
            prev_hash = last_hash,
            hash = encode(sha256(convert_to(payload, 'UTF8')), 'hex')
        WHERE id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

PG_TRIGGER = """
CREATE CONSTRAINT TRIGGER records_log_chain AFTER INSERT ON records_accesslogentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION records_log_chain()
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS records_log_chain ON records_accesslogentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS records_log_chain()")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0002_log_student_seq_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="accesslogentry",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="number"),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="prev_hash",
            field=models.CharField(max_length=64, null=True, verbose_name="previous hash"),
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="hash",
            field=models.CharField(max_length=64, null=True, verbose_name="hash"),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
