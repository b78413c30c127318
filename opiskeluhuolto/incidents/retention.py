"""Incidents in the provider's retention (LAW.md, docs/procedures-and-incidents.md).

Registered with `records.retention` (which never imports this app): an incident is
counted from the day it was reported (RECEIVED) or closed (RESOLVED); one still open past
the period is listed as unhandled, never destroyed.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from opiskeluhuolto.records.models import RetentionClass
from opiskeluhuolto.records.retention import register

from .models import Incident

TYPE = RetentionClass.DocumentType.INCIDENT.value


def _due(provider_id: int, rule: RetentionClass, cutoff: date):
    rows = Incident.objects.filter(institution__provider_id=provider_id)
    if rule.start_event == RetentionClass.StartEvent.RECEIVED:
        old = rows.filter(created_at__date__lte=cutoff)
    elif rule.start_event == RetentionClass.StartEvent.RESOLVED:
        old = rows.filter(
            Q(status=Incident.Status.CLOSED, closed_at__date__lte=cutoff)
            | (~Q(status=Incident.Status.CLOSED) & Q(created_at__date__lte=cutoff))
        )
    else:
        return [], [], []
    destroy: list[dict] = []
    unhandled: list[dict] = []
    for pk, status in old.values_list("pk", "status"):
        item = {"type": TYPE, "incident": pk}
        (destroy if status == Incident.Status.CLOSED else unhandled).append(item)
    return destroy, [], unhandled


def _destroy(items: list[dict]) -> None:
    ids = [i["incident"] for i in items if "incident" in i]
    Incident.objects.filter(pk__in=ids, status=Incident.Status.CLOSED).delete()


register(TYPE, _due, _destroy)
