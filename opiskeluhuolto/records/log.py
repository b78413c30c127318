"""Appending to the access log (LAW.md L-906-1..3). Call inside the transaction of the use."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import chain
from .models import AccessLogEntry

#: An arbitrary constant naming the PostgreSQL advisory lock that serialises appends.
_PG_LOCK = 906_017


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


def append(user, *, action: str, basis: str, purpose: str, record, request=None) -> AccessLogEntry:
    """Write one chained row. Must run inside a transaction: the lock and the row commit together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("the access log is written inside the transaction of the use")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK])
    # On SQLite the write transaction (IMMEDIATE) already serialises writers.
    last = AccessLogEntry.objects.order_by("-seq").values("seq", "hash").first()
    prev_hash = last["hash"] if last else chain.GENESIS
    case = record.case
    row = {
        "seq": (last["seq"] + 1) if last else 1,
        "at": timezone.now(),
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
    return AccessLogEntry.objects.create(
        **row, prev_hash=prev_hash, hash=chain.row_hash(prev_hash, row)
    )
