"""Writing the audit trail: one function the actions and admins call, in their transaction."""

from __future__ import annotations

from typing import Any

from django.db import connection

from .models import AuditEvent

Kind = AuditEvent.Kind
Source = AuditEvent.Source


def state(obj, *names: str) -> dict[str, Any]:
    """The named fields of a row as plain values (a foreign key as its id), for before/after.

    Pass only fields that decide access; never free text or a personal identity code.
    """
    values: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname)
    return values


def _actor_name(by) -> str:
    name = getattr(by, "display_name", "") or getattr(by, "username", "")
    return str(name)[:200]


def record_many(
    kind: str,
    objs,
    *,
    by,
    provider_id: int | None,
    after=None,
    before=None,
    student_of=None,
    source: str,
) -> int:
    """One event per row of a bulk change (an import): `after(obj)` gives each row's state
    after the change, `before(obj)` before it (a removal). Written in one INSERT per 2,000
    rows, in the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the transaction of the change")
    actor = by if getattr(by, "pk", None) else None
    events = [
        AuditEvent(
            provider_id_ref=provider_id,
            actor_id=actor.pk if actor else None,
            actor_name=_actor_name(actor) if actor else "",
            source=source,
            kind=kind,
            object_type=f"{obj._meta.app_label}.{obj._meta.model_name}",
            object_id=obj.pk,
            student_id_ref=student_of(obj) if student_of else None,
            before=before(obj) if before else None,
            after=after(obj) if after else None,
        )
        for obj in objs
    ]
    return len(AuditEvent.objects.bulk_create(events, batch_size=2000))


def record(
    kind: str,
    obj=None,
    *,
    by,
    provider_id: int | None,
    student_id: int | None = None,
    before: dict | list | None = None,
    after: dict | list | None = None,
    source: str = Source.ACTION,
    object_type: str | None = None,
    object_id: int | None = None,
) -> AuditEvent:
    """Write one audit event: who (`by`, None for the system), when (now), what (`kind` on
    `obj`), and the access-deciding state `before` and `after` the change.

    Must run inside the transaction of the change itself, so the event and the change
    are committed or rolled back together.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must run inside the transaction of the change")
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = obj.pk if object_id is None else object_id
    if object_type is None or object_id is None:
        raise ValueError("an audit event names the object it is about")
    actor = by if getattr(by, "pk", None) else None
    return AuditEvent.objects.create(
        provider_id_ref=provider_id,
        actor_id=actor.pk if actor else None,
        actor_name=_actor_name(actor) if actor else "",
        source=source,
        kind=kind,
        object_type=object_type,
        object_id=object_id,
        student_id_ref=student_id,
        before=before,
        after=after,
    )
