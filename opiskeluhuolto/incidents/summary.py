"""The welfare group's non-identifying summary for its standing safety topic.

Counts by category, campus and month, with cells under `SMALL` suppressed (shown as
"fewer than 5"), and the share of incidents followed up within the procedure's time.
No names, no free text: communal content only.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.meetings import inbox
from opiskeluhuolto.meetings.models import Group

from .models import Category, Incident

SMALL = 5


def summary(institution, since: date, until: date | None = None, campus=None) -> dict:
    until = until or timezone.localdate()
    rows = Incident.objects.filter(
        institution=institution, created_at__date__gte=since, created_at__date__lte=until
    ).select_related("campus")
    if campus is not None:
        rows = rows.filter(campus=campus)
    cells: Counter = Counter()
    due = in_time = 0
    today = timezone.localdate()
    for i in rows.only("category", "campus__name", "created_at", "status", "closed_at", "due_on"):
        month = timezone.localtime(i.created_at).strftime("%Y-%m")
        cells[(i.category, i.campus.name, month)] += 1
        if i.due_on is not None and (i.closed_at is not None or i.due_on < today):
            due += 1
            if i.closed_at is not None and timezone.localtime(i.closed_at).date() <= i.due_on:
                in_time += 1
    labels = dict(Category.choices)
    out = [
        {
            "category": category,
            "category_label": str(labels.get(category, category)),
            "campus": campus,
            "month": month,
            "count": n if n >= SMALL else None,
            "suppressed": n < SMALL,
        }
        for (category, campus, month), n in sorted(
            cells.items(), key=lambda kv: (kv[0][2], kv[0][1], kv[0][0])
        )
    ]
    return {
        "since": since,
        "until": until,
        "cells": out,
        "followed_up_in_time": round(in_time / due, 2) if due >= SMALL else None,
        "followed_up_due": due if due >= SMALL else None,
    }


def _text(data: dict) -> str:
    shown = [c for c in data["cells"] if not c["suppressed"]]
    hidden = len(data["cells"]) - len(shown)
    parts = [f"{c['month']} {c['campus']}: {c['category_label']} {c['count']}" for c in shown]
    if hidden:
        parts.append(_("%(n)s cells with fewer than 5 incidents") % {"n": hidden})
    share = data["followed_up_in_time"]
    if share is not None:
        parts.append(_("followed up in time: %(p)s %%") % {"p": round(share * 100)})
    return "; ".join(parts) or _("No incidents in the period.")


def propose_summary(group: Group, since: date, until: date | None = None):
    """Put the summary on the group's next agenda (the standing topic, like clock items)."""
    institution = group.institution
    if institution is None:
        return None
    data = summary(institution, since, until, campus=group.campus)
    return inbox.propose(
        group,
        _("Safety and substance situation of the unit: incident summary"),
        detail=_text(data),
        origin="incidents",
        key=f"incidents:summary:{group.pk}:{data['until']:%Y-%m}",
    )


#: The groups whose standing topic is the unit's safety and substance situation (Sedu, 003).
SUMMARY_GROUP_KINDS = (Group.Kind.WELFARE, Group.Kind.CAMPUS)


def propose_summaries(today: date | None = None, months: int = 12) -> int:
    """Every institution or campus welfare group gets the summary of the last `months`
    on its next agenda, once a month (the key names the month; run daily)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=round(months * 30.5))
    groups = Group.objects.filter(
        kind__in=SUMMARY_GROUP_KINDS, institution__isnull=False
    ).select_related("institution", "campus")
    sent = 0
    for group in groups:
        if propose_summary(group, since, today) is not None:
            sent += 1
    return sent
