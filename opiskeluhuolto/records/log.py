"""Appending to the access log (LAW.md L-906-1..3). Call inside the transaction of the use,
or, for a use that writes nothing else (a read), as a statement of its own (`write`)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from opiskeluhuolto.organisation import positions
from opiskeluhuolto.organisation.positions import position_in_register

from . import chain
from .models import AccessLogEntry

#: SQLite, in one query: the last row of each of the chains (the students',
#: `chain.student_chain`) written to.
_LAST_ROWS = (
    "SELECT a.chain, a.seq, a.hash FROM records_accesslogentry a WHERE a.chain IN ({})"
    " AND a.seq = (SELECT MAX(b.seq) FROM records_accesslogentry b WHERE b.chain = a.chain)"
)
#: The columns written, in `chain.FIELDS` order, what the row is about, then the links.
_CONTENT = (*chain.FIELDS[2:], *chain.SUBJECT_FIELDS)
_COLUMNS = (*chain.FIELDS[:2], *_CONTENT, "prev_hash", "hash", "chain")
#: Values written as they are (`_prepared_columns`): exactly these types, not subclasses.
_PLAIN = frozenset((int, str, type(None)))


def actor_role(user, case) -> str:
    """The person's profession or position, as shown in logs and records."""
    return role_at(user, case.institution, case.student_id)


def role_at(user, institution, student_id: int) -> str:
    """The person's profession or position at an institution, towards one student, in the
    register's language (`organisation.positions`, the one rule; `role_label` shows it in
    the reader's). A title typed by hand wins, checked first so no roles are fetched."""
    from opiskeluhuolto.access import for_user

    if user.title:
        return user.title
    can = for_user(user)
    return position_in_register(
        "",
        can.roles_at(institution),
        is_student=bool(can.own_student and can.own_student.pk == student_id),
        is_guardian=student_id in can.guarded_student_ids,
    )


def role_label(stored: str) -> str:
    """A role as written into the log or a record (`role_at`), in the reader's language.

    Rows written before `role_at` kept to one language hold the writer's: a role's label in
    any of the site's languages is shown in the reader's; a title typed by hand as it is."""
    known = _known_roles()
    return ", ".join(str(known.get(part, part)) for part in stored.split(", "))


@functools.cache
def _known_roles() -> dict:
    known: dict = {}
    for lang, _name in settings.LANGUAGES:
        with translation.override(lang):
            for label in positions.LABELS:
                known.setdefault(str(label), label)
    return known


def client_ip(request) -> str:
    if request is None:
        return ""
    return (request.META.get("REMOTE_ADDR") or "")[:45]


def row_for(user, *, action: str, basis: str, purpose: str, record, request=None) -> dict:
    """The content of one log row, all but its place in the chain (`seq`, `at`, hashes).

    Computed before the lock: `actor_role` may query, and nothing that can be done
    outside the lock should make the other readers wait."""
    case = record.case
    return {
        "actor_id": user.pk,
        "actor_name": user.display_name,
        "actor_role": actor_role(user, case)[:200],
        "action": action,
        "basis": basis,
        "purpose": purpose[:100],
        "student_id_ref": case.student_id,
        "case_id_ref": case.pk,
        "record_id_ref": record.pk,
        "client_ip": client_ip(request),
        "subject_kind": chain.RECORD,
        "subject_id": None,
    }


def subject_row(
    user,
    *,
    kind: str,
    subject_id: int,
    student_id: int,
    role: str,
    basis: str,
    purpose: str,
    action: str,
    case_id: int | None = None,
    request=None,
) -> dict:
    """The content of one log row about a document that is not a welfare record: a referral,
    an appointment request or booking, a copy of one's data (LAW.md L-906-1)."""
    return {
        "actor_id": user.pk,
        "actor_name": user.display_name,
        "actor_role": role[:200],
        "action": action,
        "basis": basis,
        "purpose": purpose[:100],
        "student_id_ref": student_id,
        "case_id_ref": case_id,
        "record_id_ref": None,
        "client_ip": client_ip(request),
        "subject_kind": kind,
        "subject_id": subject_id,
    }


def _insert(n: int) -> str:
    """INSERT of `n` rows with the columns of `_COLUMNS`, as plain SQL (see `write`)."""
    columns = ", ".join(_COLUMNS)
    values = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    # Only constant names and placeholders: the values are parameters.
    return f"INSERT INTO records_accesslogentry ({columns}) VALUES {', '.join([values] * n)}"  # noqa: S608


def _prepared_columns(rows: list[dict], db) -> list[list]:
    """The values of `_CONTENT`, a list per column, as the database `db` takes them (the
    fields' `get_db_prep_save`). The log's columns are integers and text: a plain `int`,
    `str` or None is what `get_db_prep_save` would return, so it is taken as it is (the
    calls cost a work list's 80 rows about a millisecond); any other value (a choice of a
    `TextChoices`, a lazy text) goes through its field, each distinct value once. `db` is
    the connection itself, not the `connection` proxy, which looks it up at every use."""
    fields = {f.attname: f for f in AccessLogEntry._meta.concrete_fields}
    columns = []
    for name in _CONTENT:
        prepare = fields[name].get_db_prep_save
        done: dict = {}
        column = []
        for content in rows:
            value = content[name]
            if type(value) not in _PLAIN:
                if value not in done:
                    done[value] = prepare(value, db)
                value = done[value]
            column.append(value)
        columns.append(column)
    return columns


@functools.cache
def _insert_arrays() -> str:
    """PostgreSQL: INSERT of any number of rows from one array per column, in the order of
    the arrays, with one time for all (see `write`). A statement of a fixed text and 14
    parameters: one of n × 17 placeholders was parsed again by the driver at every call (it
    caches only short statements) and its parameters quoted one by one, which cost a work
    list of 80 rows more than the rest of its logging."""
    fields = {f.attname: f for f in AccessLogEntry._meta.concrete_fields}
    arrays = (*_CONTENT, "chain")
    casts = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in arrays)
    given = {
        "at": f"%s::{fields['at'].db_type(connection)}",
        **dict.fromkeys(("seq", "prev_hash", "hash"), "NULL"),  # by the trigger at the commit
    }
    select = ", ".join(given.get(c, f"t.{c}") for c in _COLUMNS)
    # Only constant names and placeholders: the values are parameters.
    return (
        f"INSERT INTO records_accesslogentry ({', '.join(_COLUMNS)})"  # noqa: S608
        f" SELECT {select} FROM unnest({casts}) WITH ORDINALITY"
        f" AS t({', '.join(arrays)}, n) ORDER BY t.n"
    )


@functools.cache
def _append_chained() -> str:
    """PostgreSQL: the call of `records_log_append` (records migrations 0010, 0016), which
    chains the rows given as one array per column and inserts them chained, in one
    statement of its own (`write(rows, alone=True)`)."""
    fields = {f.attname: f for f in AccessLogEntry._meta.concrete_fields}
    casts = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in (*_CONTENT, "chain"))
    return f"SELECT records_log_append(%s::{fields['at'].db_type(connection)}, {casts})"


def can_write_alone() -> bool:
    """Whether a log write may be a transaction of its own (`write(rows, alone=True)`): on
    PostgreSQL, outside any transaction. Then the INSERT commits by itself, the deferred
    trigger chaining its rows in that commit: one round trip instead of three (BEGIN, the
    INSERT, COMMIT), for a use whose only write is its log rows, such as a read."""
    return (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and connection.get_autocommit()
    )


def write(rows: list[dict], *, alone: bool = False) -> None:
    """Insert rows made by `row_for`, to be chained in the order written.

    With `alone` (when `can_write_alone()`), the rows are one statement that commits by
    itself: for a use that writes nothing but its log rows (a read), whose reads came
    before; the log rows are chained and durable when this returns, as at the end of a
    transaction, and the use goes on only then.

    One chain per student (`chain.student_chain`): readers about different students never
    wait for each other, even within one provider. On PostgreSQL the rows go in without
    their place in the chain; a deferred trigger (migrations 0003, 0009) gives each its
    `seq` and hashes while the transaction commits, under its chains' locks, so no reader
    waits for another one's round trips; they go in by one statement of an array per
    column (`_insert_arrays`), whatever their number. On SQLite the write transaction
    (IMMEDIATE) already serialises writers: the chains' last rows are read and the rows
    chained here. A write of its own on PostgreSQL (`alone`) is chained by its statement
    instead (`records_log_append`, migrations 0010, 0016): the same locks in the same order and
    the same hashes as the trigger's (both hash by `records_log_row_hash`, migration
    0011), but each row written once, not inserted and then
    updated by the trigger (which leaves rows given their `seq` alone); the locks are
    still held until the statement's commit. Either way the statement and every value but
    the chain's own are prepared first, and the SQL is plain: compiling an ORM query would
    cost more than running it. The rows of one write share one time: they are one use of the data.
    """
    db = transaction.get_connection()
    if alone:
        if not can_write_alone():
            raise RuntimeError("a log write of its own is one statement on PostgreSQL only")
    elif not db.in_atomic_block:
        raise RuntimeError("the access log is written inside the transaction of the use")
    if not rows:
        return
    columns = _prepared_columns(rows, db)
    # One time for the rows of one write: they are one use (a page, a copy).
    at = timezone.now()
    at_value = AccessLogEntry._meta.get_field("at").get_db_prep_save(at, db)
    if db.vendor == "postgresql":
        # One array per column, rows in order: chained by the statement when it is a
        # transaction of its own, else unchained (the trigger chains them at the commit).
        keys = [chain.student_chain(content["student_id_ref"]) for content in rows]
        with connection.cursor() as cursor:
            cursor.execute(
                _append_chained() if alone else _insert_arrays(), [at_value, *columns, keys]
            )
        return
    prepared = zip(*columns, strict=True)
    sql = _insert(len(rows))
    with connection.cursor() as cursor:
        keys = sorted({chain.student_chain(r["student_id_ref"]) for r in rows})
        ends: dict[int, tuple] = dict.fromkeys(keys, (0, chain.GENESIS))
        cursor.execute(_LAST_ROWS.format(", ".join(["%s"] * len(keys))), keys)
        ends.update((key, (seq, hash_)) for key, seq, hash_ in cursor.fetchall())
        params = []
        for content, values in zip(rows, prepared, strict=True):
            key = chain.student_chain(content["student_id_ref"])
            seq, prev_hash = ends[key]
            seq += 1
            row_hash = chain.row_hash(prev_hash, {"seq": seq, "at": at, **content})
            params += [seq, at_value, *values, prev_hash, row_hash, key]
            ends[key] = (seq, row_hash)
        cursor.execute(sql, params)


def write_use(rows: list[dict]) -> None:
    """The log rows of a use that writes nothing else (a list or page read): on PostgreSQL
    outside a transaction one statement committing by itself (`can_write_alone`), else in
    a transaction of their own, or the caller's. Either way they are chained and durable
    before the caller shows what was read."""
    if can_write_alone():
        write(rows, alone=True)
    else:
        with transaction.atomic():
            write(rows)


def append(user, *, action: str, basis: str, purpose: str, record, request=None) -> None:
    """Write one chained row. Must run inside a transaction: the row is chained as it
    commits (see `write`)."""
    write(
        [row_for(user, action=action, basis=basis, purpose=purpose, record=record, request=request)]
    )
