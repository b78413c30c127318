"""Each access-log chain's head, kept by the database as it appends (LAW.md L-906-3).

The hash chain shows a changed, inserted or removed row, but not rows removed from a
chain's end: what remains still links. `records_accessloghead` holds each chain's last
`seq` and hash. A trigger of the statement that appends rows already chained (SQLite's
application path, `records_log_append` of migration 0010/0011, a restored dump) or that
chains them at the commit (the UPDATE of `records_log_chain`) moves the head forward,
never back; `verify_access_log` reports a chain whose last row is not its head.

PostgreSQL: statement triggers with a transition table, one upsert a statement (a work
list's 80 rows append in one statement, so one upsert, not 80). SQLite: a row trigger.
On both, the head refuses to move back or to be deleted, so cutting a chain's end takes
switching the triggers off (the owner of the database; docs/welfare-register.md says what
remains). The heads start from the chains as they are at this migration.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models

PG_HEADS = """
CREATE OR REPLACE FUNCTION records_log_heads() RETURNS trigger AS $$
BEGIN
    INSERT INTO records_accessloghead AS h (chain, seq, hash)
        SELECT DISTINCT ON (a.chain) a.chain, a.seq, a.hash FROM appended a
        WHERE a.seq IS NOT NULL ORDER BY a.chain, a.seq DESC
    ON CONFLICT (chain) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash
        WHERE h.seq < EXCLUDED.seq;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""
PG_HEAD_GUARD = """
CREATE OR REPLACE FUNCTION records_log_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.chain = OLD.chain AND NEW.seq > OLD.seq THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'an access log chain head only moves forward: ' || TG_OP;
END;
$$ LANGUAGE plpgsql
"""
PG_TRIGGERS = [
    "CREATE TRIGGER records_log_heads_appended AFTER INSERT ON records_accesslogentry"
    " REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION records_log_heads()",
    "CREATE TRIGGER records_log_heads_chained AFTER UPDATE ON records_accesslogentry"
    " REFERENCING NEW TABLE AS appended FOR EACH STATEMENT EXECUTE FUNCTION records_log_heads()",
    "CREATE TRIGGER records_log_head_forward_only BEFORE UPDATE OR DELETE ON records_accessloghead"
    " FOR EACH ROW EXECUTE FUNCTION records_log_head_forward_only()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS records_log_heads_appended ON records_accesslogentry",
    "DROP TRIGGER IF EXISTS records_log_heads_chained ON records_accesslogentry",
    "DROP TRIGGER IF EXISTS records_log_head_forward_only ON records_accessloghead",
    "DROP FUNCTION IF EXISTS records_log_heads()",
    "DROP FUNCTION IF EXISTS records_log_head_forward_only()",
]
SQLITE_HEADS = """
CREATE TRIGGER records_log_head AFTER INSERT ON records_accesslogentry
WHEN NEW.seq IS NOT NULL
BEGIN
    INSERT INTO records_accessloghead (chain, seq, hash) VALUES (NEW.chain, NEW.seq, NEW.hash)
    ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
        WHERE excluded.seq > records_accessloghead.seq;
END
"""
#: No DELETE trigger on SQLite, as for the log (migration 0012): its test databases are
#: emptied with DELETE.
SQLITE_HEAD_GUARD = """
CREATE TRIGGER records_log_head_forward_only BEFORE UPDATE ON records_accessloghead
WHEN NEW.chain != OLD.chain OR NEW.seq <= OLD.seq
BEGIN
    SELECT RAISE(ABORT, 'an access log chain head only moves forward');
END
"""
BACKFILL = """
INSERT INTO records_accessloghead (chain, seq, hash)
SELECT a.chain, a.seq, a.hash FROM records_accesslogentry a
WHERE a.seq = (SELECT MAX(b.seq) FROM records_accesslogentry b WHERE b.chain = a.chain)
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_HEADS)
        schema_editor.execute(PG_HEAD_GUARD)
        for sql in PG_TRIGGERS:
            schema_editor.execute(sql)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_HEADS)
        schema_editor.execute(SQLITE_HEAD_GUARD)
    else:
        raise ImproperlyConfigured(f"PostgreSQL or SQLite only: no head triggers for {vendor}")
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DROP:
            schema_editor.execute(sql)
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS records_log_head")
        schema_editor.execute("DROP TRIGGER IF EXISTS records_log_head_forward_only")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0012_access_log_append_only_in_the_database"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccessLogHead",
            fields=[
                ("chain", models.IntegerField(primary_key=True, serialize=False, verbose_name="chain")),
                ("seq", models.PositiveBigIntegerField(verbose_name="number")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
            ],
            options={
                "verbose_name": "access log chain head",
                "verbose_name_plural": "access log chain heads",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
