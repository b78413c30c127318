"""The access log is chained per data subject (issue 21, LAW.md L-906-3).

With one chain per provider, every register read of a provider queued behind one lock,
held across each commit's WAL flush (about 40 reads a second for a provider however many
readers it has). A row now goes to its student's chain (`records.chain.student_chain`,
given by `records.log.write`); the rows logged before keep their chains (0 and one per
provider) and hashes, so `verify_access_log` checks them as before.

A transaction may write about several students (a work list logs every booking shown),
and so take several chains' locks at its commit. Taken in the order the rows were
written, two such transactions could each hold one lock and wait for the other's: the
trigger therefore takes, at its first row (once per transaction), the locks of every
chain the transaction writes to, in the order of the chains' numbers. The transaction's rows not yet chained
are found along a partial index of the rows whose `seq` is NULL (only rows of open
transactions, so it stays small).
"""

from django.db import migrations, models

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION records_log_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
    payload text;
    key integer;
BEGIN
    IF NEW.seq IS NOT NULL THEN
        RETURN NULL;  -- already chained (a restored dump, say)
    END IF;
    -- The locks of this transaction's chains only, in one global order (no deadlock
    -- between two transactions writing about the same students in other orders), taken
    -- at its first row: a work list logs hundreds of rows, and looking for them at every
    -- row would cost the square of their number. The flag lasts until the transaction
    -- ends. A lock already held is taken again without waiting.
    IF current_setting('records.log_chains_locked', true) IS DISTINCT FROM 'on' THEN
        FOR key IN SELECT DISTINCT chain FROM records_accesslogentry WHERE seq IS NULL
                ORDER BY chain LOOP
            PERFORM pg_advisory_xact_lock(906017, key);
        END LOOP;
        PERFORM set_config('records.log_chains_locked', 'on', true);
    END IF;
    -- A row written after its transaction's rows were chained early (SET CONSTRAINTS
    -- IMMEDIATE, then more rows) still takes its own chain's lock.
    PERFORM pg_advisory_xact_lock(906017, NEW.chain);
    SELECT seq, hash INTO last_seq, last_hash FROM records_accesslogentry
        WHERE chain = NEW.chain AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
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
        || ',' || COALESCE(NEW.case_id_ref::text, 'null')
        || ',' || COALESCE(NEW.record_id_ref::text, 'null')
        || ',' || to_json(NEW.client_ip)::text
        || CASE WHEN NEW.subject_kind = 'record' THEN ''
                ELSE ',' || to_json(NEW.subject_kind)::text
                     || ',' || COALESCE(NEW.subject_id::text, 'null') END
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


def replace_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)


def restore_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        old = import_module("opiskeluhuolto.records.migrations.0008_access_log_chain_per_provider")
        schema_editor.execute(old.PG_FUNCTION)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0008_access_log_chain_per_provider"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="accesslogentry",
            index=models.Index(
                condition=models.Q(seq__isnull=True),
                fields=["chain"],
                name="records_log_unchained_idx",
            ),
        ),
        migrations.RunPython(replace_function, restore_function),
    ]
