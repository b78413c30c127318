"""The database triggers that keep caches fresh: one mechanism for every cache whose data
can change under it.

- The permission facts' token (`access.facts`): `create` / `drop`, used by the migrations
  that add tables to the facts (0001, 0002).
- A token per key, for caches kept per person (the free times of each professional,
  `appointments.slots`): `create_keyed` / `drop_keyed`. Any write to a table changes the
  token of each key value (e.g. `professional_id`) in the written rows, old and new.

Triggers, not Django signals: a bulk insert, a queryset update or delete, a COPY or raw
SQL changes the token too, in the writer's own transaction. Tokens are random, not
counters, so a value is never reused after a rollback.

For the facts: how a table gets its trigger is written once. PostgreSQL: one statement-level trigger per table, calling the
function of migration 0001 (a COPY of 20,000 rows changes the token once). SQLite has
only row-level triggers: one per table and operation.

Another database gets no triggers, and the migration refuses to run: without them the
facts cache would go stale silently.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

SQLITE_OPERATIONS = ("insert", "update", "delete")

SQLITE_TRIGGER = """
CREATE TRIGGER access_facts_{op}_{table} AFTER {OP} ON {table}
BEGIN
    INSERT OR REPLACE INTO access_factsversion (id, token) VALUES (1, random());
END
"""


def create(schema_editor, tables) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER access_facts_changed AFTER INSERT OR UPDATE OR DELETE OR "
                f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION access_facts_changed()"
            )
    elif vendor == "sqlite":
        for table in tables:
            for op in SQLITE_OPERATIONS:
                schema_editor.execute(SQLITE_TRIGGER.format(op=op, OP=op.upper(), table=table))
    else:
        raise ImproperlyConfigured(
            f"PostgreSQL or SQLite only: no permission-facts triggers for {vendor}"
        )


def drop(schema_editor, tables) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_changed ON {table}")
    else:
        for table in tables:
            for op in SQLITE_OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_{op}_{table}")


# --- a token per key value ---------------------------------------------------------------
PG_KEYED_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO {version_table} ({key}, {token})
        SELECT k, floor(random() * 9e18)::bigint FROM (SELECT DISTINCT {key} AS k FROM new_rows) ks
        ON CONFLICT ({key}) DO UPDATE SET {token} = EXCLUDED.{token};
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO {version_table} ({key}, {token})
        SELECT k, floor(random() * 9e18)::bigint FROM (SELECT DISTINCT {key} AS k FROM old_rows) ks
        ON CONFLICT ({key}) DO UPDATE SET {token} = EXCLUDED.{token};
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

#: PostgreSQL: statement-level triggers with transition tables (one statement changes each
#: key's token once, however many rows it writes).
PG_KEYED_TRIGGERS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}

SQLITE_KEYED_UPSERT = (
    "INSERT OR REPLACE INTO {version_table} ({key}, {token})"
    " VALUES ({row}.{key}, random() & 9223372036854775807);"
)


def create_keyed(schema_editor, name, tables, *, version_table, key, column="version") -> None:
    """Triggers named `name` on each of `tables`: every write changes `column` in the row of
    `version_table` whose `key` is the written rows' `key` (the tables and the version
    table name the key alike, e.g. `professional_id`)."""
    names = {"name": name, "version_table": version_table, "key": key, "token": column}
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_KEYED_FUNCTION.format(**names))
        for table in tables:
            for op, referencing in PG_KEYED_TRIGGERS.items():
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{op} AFTER {op.upper()} ON {table} {referencing}"
                    f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
                )
    elif vendor == "sqlite":
        rows = {"insert": ("NEW",), "update": ("NEW", "OLD"), "delete": ("OLD",)}
        for table in tables:
            for op, which in rows.items():
                body = "\n".join(SQLITE_KEYED_UPSERT.format(row=r, **names) for r in which)
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{op}_{table} AFTER {op.upper()} ON {table}"
                    f" BEGIN {body} END"
                )
    else:
        raise ImproperlyConfigured(f"PostgreSQL or SQLite only: no cache triggers for {vendor}")


def drop_keyed(schema_editor, name, tables) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            for op in PG_KEYED_TRIGGERS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{op} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for table in tables:
            for op in SQLITE_OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{op}_{table}")
