"""Welfare records, amendments and disclosures refuse changes and deletions in the database
too (LAW.md L-20-2, L-20-7).

Migration 0014 did this for record entries, 0012 for the access log. The record itself
(its §20(4)(1) identity and subject data), the corrections of its entries and the
disclosure log were still guarded only by the model (`AppendOnly`): a queryset
`update()` or plain SQL changed them. On PostgreSQL a trigger per table now refuses
every UPDATE and DELETE but those the application makes. They are, from reading every
update and delete of these models:

- `records_welfarerecord`: the register's legal hold (`records.actions.set_legal_hold`,
  the `legal_hold` command) sets `legal_hold` and `legal_hold_reason` and nothing else
  (the model's `MUTABLE`; the check constraint keeps a hold's reason);
- all three: key rotation (`rotate_encryption_keys`) writes the same text encrypted with
  the newest key: only the encrypted columns change, in a transaction that said so with
  `SET LOCAL records.reencrypting = 'on'`;
- all three: the retention job destroys an approved record with its amendments and
  disclosures (`records.retention._destroy_records`), in a transaction that said so with
  `SET LOCAL records.destroying = 'on'`.

Nothing else changes them: amendments and disclosures are only ever inserted
(`actions.amend_entry`, `actions.disclose`), every foreign key to or from them is
PROTECT (no SET NULL rewrites a row), a restore (`pg_restore --clean`) drops and
recreates the tables, and the tests' databases are emptied with TRUNCATE, which row
triggers do not see. A later data migration that must fill a column of these tables has
to say so the same way, or drop and recreate the trigger.

As in 0014, the settings keep the application's other paths and a mistaken query from
changing the register; they are no barrier for someone who can run SQL of their own,
who can set them too (docs/welfare-register.md). SQLite (the embedded demo and the quick
test pass) gets no trigger: there the model refuses, as before.
"""

from django.db import migrations

#: Per table: its encrypted columns (`EncryptedTextField`), which key rotation rewrites,
#: and the columns an application action may update on its own.
#: records/tests/test_register_in_the_database.py keeps ENCRYPTED in step with the models.
TABLES = {
    "records_welfarerecord": {
        "function": "records_record_append_only",
        "what": "welfare records",
        "encrypted": (
            "student_name",
            "student_hetu",
            "home_municipality",
            "contact_details",
            "guardians",
            "subject",
            "background",
            "initiator",
        ),
        "mutable": ("legal_hold", "legal_hold_reason"),
    },
    "records_amendment": {
        "function": "records_amendment_append_only",
        "what": "amendments",
        "encrypted": ("text", "reason"),
        "mutable": (),
    },
    "records_disclosure": {
        "function": "records_disclosure_append_only",
        "what": "disclosures",
        "encrypted": ("data_items",),
        "mutable": (),
    },
}


def _array(columns) -> str:
    return "ARRAY[" + ", ".join(f"'{c}'" for c in columns) + "]::text[]"


def pg_function(table: str) -> str:
    spec = TABLES[table]
    mutable = ""
    if spec["mutable"]:
        mutable = """
    ELSIF to_jsonb(NEW) - %(mutable)s = to_jsonb(OLD) - %(mutable)s THEN
        RETURN NEW;""" % {"mutable": _array(spec["mutable"])}
    return """
CREATE OR REPLACE FUNCTION %(function)s() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('records.destroying', true) = 'on' THEN
            RETURN OLD;
        END IF;%(mutable)s
    ELSIF current_setting('records.reencrypting', true) = 'on'
            AND to_jsonb(NEW) - %(encrypted)s = to_jsonb(OLD) - %(encrypted)s THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = '%(what)s are append-only: ' || TG_OP;
END;
$$ LANGUAGE plpgsql
""" % {
        "function": spec["function"],
        "what": spec["what"],
        "mutable": mutable,
        "encrypted": _array(spec["encrypted"]),
    }


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, spec in TABLES.items():
        schema_editor.execute(pg_function(table))
        schema_editor.execute(
            f"CREATE TRIGGER {spec['function']} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {spec['function']}()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, spec in TABLES.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {spec['function']} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {spec['function']}()")


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0016_log_append_as_one_statement"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
