"""The database writes the access log's row hash in one place (LAW.md L-906-3).

The hashed JSON of a row (`records.chain.row_hash`) was spelled out twice in SQL: in the
deferred trigger (`records_log_chain`, migration 0009) and in the function a read's
statement of its own calls (`records_log_append`, migration 0010). A change to one and not
the other would give two kinds of hashes that `verify_access_log` cannot both accept. Both
now call `records_log_row_hash`, the database's one copy of the format; Python's
`chain.row_hash` stays the other (the verifier, and the chaining on SQLite), and the tests
of `records/tests/test_row_hash_paths.py` keep the two equal through each path.

The function is one SQL expression declared STABLE (`to_char` and `to_json` depend on the
session's settings, so not IMMUTABLE): the planner inlines it into the calling plpgsql
expression, so a row costs what the inline text cost before. The hashes are the same text
as before, so every row chained before keeps verifying. Backwards, the functions of 0009
and 0010 come back and the new one is dropped.
"""

from importlib import import_module

from django.db import migrations

#: `records.chain.row_hash`: json.dumps([prev_hash, *FIELDS] plus, when the row is not
#: about a record, SUBJECT_FIELDS, ensure_ascii=False, separators=(",", ":")), SHA-256 of
#: its UTF-8, in hex. to_json escapes a string as Python's json does; a missing id is null.
ROW_HASH = """
CREATE OR REPLACE FUNCTION records_log_row_hash(
    p_prev text,
    p_seq bigint,
    p_at timestamptz,
    p_actor_id integer,
    p_actor_name varchar,
    p_actor_role varchar,
    p_action varchar,
    p_basis varchar,
    p_purpose varchar,
    p_student integer,
    p_case integer,
    p_record integer,
    p_ip varchar,
    p_kind varchar,
    p_subject integer
) RETURNS text LANGUAGE sql STABLE AS $$
SELECT encode(sha256(convert_to('[' || to_json(p_prev)::text
    || ',' || p_seq::text
    || ',' || to_json(to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
                      || '+00:00')::text
    || ',' || p_actor_id::text
    || ',' || to_json(p_actor_name)::text
    || ',' || to_json(p_actor_role)::text
    || ',' || to_json(p_action)::text
    || ',' || to_json(p_basis)::text
    || ',' || to_json(p_purpose)::text
    || ',' || p_student::text
    || ',' || COALESCE(p_case::text, 'null')
    || ',' || COALESCE(p_record::text, 'null')
    || ',' || to_json(p_ip)::text
    || CASE WHEN p_kind = 'record' THEN ''
            ELSE ',' || to_json(p_kind)::text || ',' || COALESCE(p_subject::text, 'null') END
    || ']', 'UTF8')), 'hex')
$$
"""

#: The trigger of migration 0009, its hash by `records_log_row_hash`.
CHAIN_TRIGGER = """
CREATE OR REPLACE FUNCTION records_log_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
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
    UPDATE records_accesslogentry
        SET seq = last_seq + 1,
            prev_hash = last_hash,
            hash = records_log_row_hash(last_hash, last_seq + 1, NEW.at, NEW.actor_id,
                NEW.actor_name, NEW.actor_role, NEW.action, NEW.basis, NEW.purpose,
                NEW.student_id_ref, NEW.case_id_ref, NEW.record_id_ref, NEW.client_ip,
                NEW.subject_kind, NEW.subject_id)
        WHERE id = NEW.id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

#: The function of migration 0010, its hashes by `records_log_row_hash`.
APPEND = """
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
        seqs := seqs || (last_seq + 1);
        prevs := prevs || last_hash;
        last_hash := records_log_row_hash(last_hash, last_seq + 1, p_at, p_actor_id[i],
            p_actor_name[i], p_actor_role[i], p_action[i], p_basis[i], p_purpose[i],
            p_student[i], p_case[i], p_record[i], p_ip[i], p_kind[i], p_subject[i]);
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

DROP_ROW_HASH = """
DROP FUNCTION records_log_row_hash(text, bigint, timestamptz, integer, varchar, varchar,
    varchar, varchar, varchar, integer, integer, integer, varchar, varchar, integer)
"""


def write_once(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ROW_HASH)
        schema_editor.execute(CHAIN_TRIGGER)
        schema_editor.execute(APPEND)


def write_twice(apps, schema_editor):
    """The functions of 0009 and 0010 again, then no longer the one they call now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            import_module(
                "opiskeluhuolto.records.migrations.0009_access_log_chain_per_student"
            ).PG_FUNCTION
        )
        schema_editor.execute(
            import_module(
                "opiskeluhuolto.records.migrations.0010_log_chained_in_the_statement"
            ).PG_FUNCTION
        )
        schema_editor.execute(DROP_ROW_HASH)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0010_log_chained_in_the_statement"),
    ]

    operations = [migrations.RunPython(write_once, write_twice)]
