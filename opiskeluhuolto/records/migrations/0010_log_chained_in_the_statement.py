"""A log write of its own is chained by its statement (issue 21, item 3; LAW.md L-906-3).

A read's log rows are one statement that commits by itself (`records.log.write(alone=
True)`). Before, the statement inserted them unchained and the deferred trigger (0009)
then updated each row with its `seq` and hashes at the commit: every row written twice,
with all six indexes of the log updated twice (the update changes indexed columns, so it
is never a HOT update). A work list logs 80 rows a request; that doubled write was most of
the database's CPU of the page (13 ms a request at the issue's size).

`records_log_append` does the same work as the trigger, in the same statement: it takes
the locks of the rows' chains in the order of the chains' numbers (as the trigger does, so
no deadlock with a trigger's transaction), reads each chain's last row after the lock (a
new snapshot per statement: the last committed row), computes each row's `seq`, previous
hash and hash with the trigger's payload, and inserts the rows already chained. The
trigger does not even fire for them: it is queued only for rows inserted without their
`seq` (`WHEN (NEW.seq IS NULL)`, checked as the row is inserted; before, it was queued for
every row and returned at once for a chained one, 80 calls at a work list's commit). The locks are held until the statement's
own commit, as the trigger's are, so the chain's order is the commit order, as before.
Inside a caller's transaction the trigger's path is kept: taking the locks at the write
would hold them across the rest of that transaction.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION records_log_append(
    p_at timestamptz,
    p_actor_id integer[],
    p_actor_name varchar[],
    p_actor_role varchar[],
    p_action varchar[],
    p_basis varchar[],
    p_purpose varchar[],
    p_student integer[],
    p_case integer[],
    p_record integer[],
    p_ip varchar[],
    p_kind varchar[],
    p_subject integer[],
    p_chain integer[]
) RETURNS void AS $$
DECLARE
    n integer := cardinality(p_chain);
    key integer;
    i integer;
    last_seq bigint;
    last_hash text;
    seqs bigint[] := '{}';
    prevs text[] := '{}';
    hashes text[] := '{}';
    ends_seq jsonb := '{}';
    ends_hash jsonb := '{}';
    at_json text := to_json(to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                            || '+00:00')::text;
    payload text;
BEGIN
    -- The chains' locks in one global order (the trigger's, migration 0009).
    FOR key IN SELECT DISTINCT c FROM unnest(p_chain) AS c ORDER BY c LOOP
        PERFORM pg_advisory_xact_lock(906017, key);
        SELECT seq, hash INTO last_seq, last_hash FROM records_accesslogentry
            WHERE chain = key AND seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
        ends_seq := ends_seq || jsonb_build_object(key::text, COALESCE(last_seq, 0));
        ends_hash := ends_hash || jsonb_build_object(key::text, COALESCE(last_hash, repeat('0', 64)));
    END LOOP;
    FOR i IN 1 .. n LOOP
        key := p_chain[i];
        last_seq := (ends_seq ->> key::text)::bigint;
        last_hash := ends_hash ->> key::text;
        payload := '[' || to_json(last_hash)::text
            || ',' || (last_seq + 1)::text
            || ',' || at_json
            || ',' || p_actor_id[i]::text
            || ',' || to_json(p_actor_name[i])::text
            || ',' || to_json(p_actor_role[i])::text
            || ',' || to_json(p_action[i])::text
            || ',' || to_json(p_basis[i])::text
            || ',' || to_json(p_purpose[i])::text
            || ',' || p_student[i]::text
            || ',' || COALESCE(p_case[i]::text, 'null')
            || ',' || COALESCE(p_record[i]::text, 'null')
            || ',' || to_json(p_ip[i])::text
            || CASE WHEN p_kind[i] = 'record' THEN ''
                    ELSE ',' || to_json(p_kind[i])::text
                         || ',' || COALESCE(p_subject[i]::text, 'null') END
            || ']';
        seqs := seqs || (last_seq + 1);
        prevs := prevs || last_hash;
        last_hash := encode(sha256(convert_to(payload, 'UTF8')), 'hex');
        hashes := hashes || last_hash;
        ends_seq := jsonb_set(ends_seq, ARRAY[key::text], to_jsonb(last_seq + 1));
        ends_hash := jsonb_set(ends_hash, ARRAY[key::text], to_jsonb(last_hash));
    END LOOP;
    INSERT INTO records_accesslogentry (seq, at, actor_id, actor_name, actor_role, action,
            basis, purpose, student_id_ref, case_id_ref, record_id_ref, client_ip,
            subject_kind, subject_id, prev_hash, hash, chain)
        SELECT t.seq, p_at, t.actor_id, t.actor_name, t.actor_role, t.action, t.basis,
               t.purpose, t.student, t.case_id, t.record_id, t.ip, t.kind, t.subject,
               t.prev, t.hash, t.chain
        FROM unnest(seqs, p_actor_id, p_actor_name, p_actor_role, p_action, p_basis,
                    p_purpose, p_student, p_case, p_record, p_ip, p_kind, p_subject,
                    prevs, hashes, p_chain) WITH ORDINALITY
            AS t(seq, actor_id, actor_name, actor_role, action, basis, purpose, student,
                 case_id, record_id, ip, kind, subject, prev, hash, chain, n)
        ORDER BY t.n;
END
$$ LANGUAGE plpgsql
"""


TRIGGER = """
DROP TRIGGER records_log_chain ON records_accesslogentry;
CREATE CONSTRAINT TRIGGER records_log_chain AFTER INSERT ON records_accesslogentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW {when}EXECUTE FUNCTION records_log_chain()
"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(TRIGGER.format(when="WHEN (NEW.seq IS NULL) "))


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER.format(when=""))
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS records_log_append(timestamptz, integer[], varchar[], "
            "varchar[], varchar[], varchar[], varchar[], integer[], integer[], integer[], "
            "varchar[], varchar[], integer[], integer[])"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0009_access_log_chain_per_student"),
    ]

    operations = [migrations.RunPython(create_function, drop_function)]
