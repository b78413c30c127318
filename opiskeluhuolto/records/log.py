"""Appending to the access log (LAW.md L-906-1..3). Call inside the transaction of the use."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import chain
from .models import AccessLogEntry

#: An arbitrary constant naming the PostgreSQL advisory lock that serialises appends.
_PG_LOCK = 906_017
#: The chain's last row (AccessLogEntry's table; a test checks the name).
_LAST_ROW = "SELECT seq, hash FROM records_accesslogentry ORDER BY seq DESC LIMIT 1"
#: On PostgreSQL the lock and the last row in one round trip: two statements, sent together
#: (psycopg binds the parameter client-side). They stay two statements on purpose: each
#: takes its own snapshot, so the last row is read only once the lock is held. In one
#: statement the snapshot would predate the wait and could miss the previous holder's row.
_LOCK_AND_LAST_ROW = f"SELECT pg_advisory_xact_lock(%s); {_LAST_ROW}"
#: The columns written, in `chain.FIELDS` order and then the links.
_COLUMNS = (*chain.FIELDS, "prev_hash", "hash")


def actor_role(user, case) -> str:
    """The person's profession or position, as shown in logs and records."""
    from opiskeluhuolto.access import for_user

    if user.title:
        return user.title
    can = for_user(user)
    labels = sorted(
        str(label) for value, label in _role_labels() if value in can.roles_at(case.institution)
    )
    if labels:
        return ", ".join(labels)
    if can.own_student and can.own_student.pk == case.student_id:
        return gettext("student")
    if case.student_id in can.guarded_student_ids:
        return gettext("guardian")
    return ""


def _role_labels():
    from opiskeluhuolto.organisation.models import Role

    return Role.choices


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
    }


def _insert(n: int) -> str:
    """INSERT of `n` rows with the columns of `_COLUMNS`, as plain SQL (see `write`)."""
    columns, values = ", ".join(_COLUMNS), "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    # Only constant names and placeholders: the values are parameters.
    return f"INSERT INTO records_accesslogentry ({columns}) VALUES {', '.join([values] * n)}"  # noqa: S608


def write(rows: list[dict]) -> None:
    """Chain and insert rows made by `row_for`: lock, read the last row, insert.

    Must run inside a transaction, as its last step: the advisory lock serialises every
    append until the transaction commits, so whatever runs after it makes all the other
    readers of the register wait too. For the same reason the statement and every value
    but the chain's own (`seq`, `at`, the hashes) are prepared before the lock, and the
    statements under it are plain SQL in two round trips (lock and last row, then the
    insert): compiling an ORM query would cost more than running it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the access log is written inside the transaction of the use")
    if not rows:
        return
    fields = {f.attname: f for f in AccessLogEntry._meta.concrete_fields}
    prepared = [
        [fields[c].get_db_prep_save(content[c], connection) for c in chain.FIELDS[2:]]
        for content in rows
    ]
    at_field, sql = fields["at"], _insert(len(rows))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_LOCK_AND_LAST_ROW, [_PG_LOCK])
            cursor.nextset()  # past the lock's result to the last row's
        else:
            # The write transaction (IMMEDIATE) already serialises writers.
            cursor.execute(_LAST_ROW)
        last = cursor.fetchone()
        seq, prev_hash = last if last else (0, chain.GENESIS)
        params = []
        for content, values in zip(rows, prepared, strict=True):
            seq += 1
            at = timezone.now()
            row_hash = chain.row_hash(prev_hash, {"seq": seq, "at": at, **content})
            at_value = at_field.get_db_prep_save(at, connection)
            params += [seq, at_value, *values, prev_hash, row_hash]
            prev_hash = row_hash
        cursor.execute(sql, params)


def append(user, *, action: str, basis: str, purpose: str, record, request=None) -> None:
    """Write one chained row. Must run inside a transaction: the lock and the row commit
    together. Call it last in the transaction (see `write`)."""
    write(
        [row_for(user, action=action, basis=basis, purpose=purpose, record=record, request=request)]
    )
