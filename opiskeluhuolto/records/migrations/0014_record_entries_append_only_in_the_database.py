"""Record entries refuse changes and deletions in the database too (LAW.md L-20-2).

Until now only the model (`AppendOnly`) refused them: a queryset `update()` or plain SQL
changed an entry's text. On PostgreSQL a trigger now refuses every UPDATE and DELETE of
`records_recordentry` but the three that the application makes:

- an amendment counts the entry's version (`records.actions.amend`): `version` goes up by
  one and nothing else changes;
- key rotation (`rotate_encryption_keys`) writes the same text encrypted with the newest
  key: only the encrypted columns change, in a transaction that said so with
  `SET LOCAL records.reencrypting = 'on'`;
- the retention job destroys an approved record's entries (`records.retention`), in a
  transaction that said so with `SET LOCAL records.destroying = 'on'`.

The settings keep the application's other paths and a mistaken query from changing the
register; they are no barrier for someone who can run SQL of their own, who can set them
too (docs/welfare-register.md). Tests' databases are emptied with TRUNCATE, which row
triggers do not see. SQLite (the embedded demo and the quick test pass) gets no trigger:
there the model refuses, as before.
"""

from django.db import migrations

#: The entry's encrypted columns (`EncryptedTextField`, `EncryptedJSONField`), which key
#: rotation rewrites; records/tests/test_entries_in_the_database.py keeps it in step.
ENCRYPTED = ("text", "participants", "decisions", "plan", "implementers", "followers")

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION records_entry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('records.destroying', true) = 'on' THEN
            RETURN OLD;
        END IF;
    ELSIF NEW.version = OLD.version + 1
            AND to_jsonb(NEW) - 'version' = to_jsonb(OLD) - 'version' THEN
        RETURN NEW;
    ELSIF current_setting('records.reencrypting', true) = 'on'
            AND to_jsonb(NEW) - ARRAY[%(encrypted)s] = to_jsonb(OLD) - ARRAY[%(encrypted)s] THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'record entries are append-only: ' || TG_OP;
END;
$$ LANGUAGE plpgsql
""" % {"encrypted": ", ".join(f"'{c}'" for c in ENCRYPTED)}
PG_TRIGGER = """
CREATE TRIGGER records_entry_append_only BEFORE UPDATE OR DELETE ON records_recordentry
FOR EACH ROW EXECUTE FUNCTION records_entry_append_only()
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
        schema_editor.execute(PG_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS records_entry_append_only ON records_recordentry")
        schema_editor.execute("DROP FUNCTION IF EXISTS records_entry_append_only()")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0013_access_log_heads"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
