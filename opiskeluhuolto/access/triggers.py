"""The database triggers that change the permission facts' token (`access.facts`).

Used by the migrations that add tables to the facts (0001, 0002): how a table gets its
trigger is written once. PostgreSQL: one statement-level trigger per table, calling the
function of migration 0001 (a COPY of 20,000 rows changes the token once). SQLite has
only row-level triggers: one per table and operation.

Another database gets no triggers, and the migration refuses to run: without them the
facts cache would go stale silently.
"""

from __future__ import annotations

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
        raise NotImplementedError(f"no permission-facts triggers for {vendor}")


def drop(schema_editor, tables) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for table in tables:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_changed ON {table}")
    else:
        for table in tables:
            for op in SQLITE_OPERATIONS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS access_facts_{op}_{table}")
