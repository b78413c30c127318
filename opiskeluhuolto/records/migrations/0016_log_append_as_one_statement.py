"""A read's log rows chained by one SQL statement, and the chain heads' guard called only
to refuse (issue 21, item 3; LAW.md L-906-3).

`records_log_append` (migrations 0010/0011) is called by every page that reads welfare
data as a statement of its own: the staff work list logs 80 rows a request. It kept the
ends of the rows' chains in two JSON maps, looked up per chain in a loop and rewritten
per row (`jsonb_set` copies the whole map: the square of the rows), and was the largest
part of the page's database time. It now takes the same locks in the same order, then
chains and inserts the rows in one statement: each chain's last row in one lookup per
chain, the rows numbered within their chain by a window, and the hashes computed by
rank (a chain's first row from its last row in the log, its second from its first, …:
a recursive query as deep as the most rows of one chain in the write). The rows, their
order of insertion, `seq`, `prev_hash` and `hash` are the same as before
(`records/tests/test_log_alone.py`, `test_row_hash_paths.py`): the hash is still
`records_log_row_hash`, the one copy of the format. Snapshot: the statement starts after
the last lock is taken, so it sees every row the chains' earlier holders committed.

The guard of the chain heads (`records_log_head_forward_only`, migration 0013) ran for
every head an append moved (a plpgsql call each, 80 a work list) only to let it pass. The
update's trigger now has the condition in its WHEN, so the function runs only to refuse a
move back or a change of chain; deletes keep a trigger of their own that always refuses.
What is refused is unchanged (`records/tests/test_chain.py`).

Backwards, the function of 0011 and the guard of 0013 come back.
"""

from importlib import import_module

from django.db import migrations

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
    key integer;
BEGIN
    -- The chains' locks in one global order (the trigger's, migration 0009), one at a
    -- time: a statement taking them all would not promise the order.
    FOR key IN SELECT DISTINCT c FROM unnest(p_chain) AS c ORDER BY c LOOP
        PERFORM pg_advisory_xact_lock(906017, key);
    END LOOP;
    INSERT INTO records_accesslogentry (seq, at, actor_id, actor_name, actor_role, action,
            basis, purpose, student_id_ref, case_id_ref, record_id_ref, client_ip,
            subject_kind, subject_id, prev_hash, hash, chain)
    WITH RECURSIVE given AS (
        -- The rows in the order given (n), each with its rank within its chain (k).
        SELECT t.*, row_number() OVER (PARTITION BY t.chain ORDER BY t.n) AS k
        FROM unnest(p_actor_id, p_actor_name, p_actor_role, p_action, p_basis, p_purpose,
                    p_student, p_case, p_record, p_ip, p_kind, p_subject, p_chain)
            WITH ORDINALITY AS t(actor_id, actor_name, actor_role, action, basis, purpose,
                 student, case_id, record_id, ip, kind, subject, chain, n)
    ), ends AS (
        -- Each chain's last row, or the genesis of a chain not begun.
        SELECT c.chain, COALESCE(e.seq, 0) AS seq,
               COALESCE(e.hash, repeat('0', 64))::text AS hash
        FROM (SELECT DISTINCT g.chain FROM given g) AS c
        LEFT JOIN LATERAL (
            SELECT a.seq, a.hash FROM records_accesslogentry a
            WHERE a.chain = c.chain AND a.seq IS NOT NULL ORDER BY a.seq DESC LIMIT 1
        ) AS e ON true
    ), chained AS (
        -- Rank 1 follows the chain's last row, rank k + 1 the row of rank k.
        SELECT g.n, g.chain, g.k, e.seq + 1 AS seq, e.hash AS prev,
               records_log_row_hash(e.hash, e.seq + 1, p_at, g.actor_id, g.actor_name,
                   g.actor_role, g.action, g.basis, g.purpose, g.student, g.case_id,
                   g.record_id, g.ip, g.kind, g.subject) AS hash
        FROM given g JOIN ends e ON e.chain = g.chain
        WHERE g.k = 1
        UNION ALL
        SELECT g.n, g.chain, g.k, c.seq + 1, c.hash,
               records_log_row_hash(c.hash, c.seq + 1, p_at, g.actor_id, g.actor_name,
                   g.actor_role, g.action, g.basis, g.purpose, g.student, g.case_id,
                   g.record_id, g.ip, g.kind, g.subject)
        FROM chained c JOIN given g ON g.chain = c.chain AND g.k = c.k + 1
    )
    SELECT c.seq, p_at, g.actor_id, g.actor_name, g.actor_role, g.action, g.basis,
           g.purpose, g.student, g.case_id, g.record_id, g.ip, g.kind, g.subject, c.prev,
           c.hash, g.chain
    FROM chained c JOIN given g ON g.n = c.n
    ORDER BY g.n;
END
$$ LANGUAGE plpgsql
"""

GUARD = [
    "DROP TRIGGER records_log_head_forward_only ON records_accessloghead",
    "CREATE TRIGGER records_log_head_forward_only BEFORE UPDATE ON records_accessloghead"
    " FOR EACH ROW WHEN (NOT (NEW.chain = OLD.chain AND NEW.seq > OLD.seq))"
    " EXECUTE FUNCTION records_log_head_forward_only()",
    "CREATE TRIGGER records_log_head_not_deleted BEFORE DELETE ON records_accessloghead"
    " FOR EACH ROW EXECUTE FUNCTION records_log_head_forward_only()",
]
GUARD_BACK = [
    "DROP TRIGGER records_log_head_not_deleted ON records_accessloghead",
    "DROP TRIGGER records_log_head_forward_only ON records_accessloghead",
    "CREATE TRIGGER records_log_head_forward_only BEFORE UPDATE OR DELETE ON records_accessloghead"
    " FOR EACH ROW EXECUTE FUNCTION records_log_head_forward_only()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND)
        for sql in GUARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            import_module("opiskeluhuolto.records.migrations.0011_row_hash_written_once").APPEND
        )
        for sql in GUARD_BACK:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0015_record_background"),
    ]

    operations = [migrations.RunPython(forward, backward)]
