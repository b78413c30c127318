"""Participation in an event: registered and attended by campus and group, small cells hidden.

Counts below `SMALL` are suppressed (shown as None) so that a count never points at a
few students, at every level: a total below five is hidden too, and when a shown total
minus the shown cells would give one hidden cell, the next smallest cell is hidden as well
(`hidden_cells`). The report goes to the organiser group's next agenda and, per campus,
to the plan's participation indicator.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opiskeluhuolto.meetings import goals, inbox
from opiskeluhuolto.meetings.models import Indicator

from .models import Event, Registration

SMALL = 5
INDICATOR_CODE = "event-participation"
#: The participation indicator is built in: stored as message ids, shown in the reader's
#: language (`Indicator.label`), whoever's report created it.
INDICATOR_NAME = gettext_noop("Participation in communal welfare events")
INDICATOR_UNIT = gettext_noop("persons")


def suppress(n: int) -> int | None:
    return n if n >= SMALL else None


def total(n: int) -> int | None:
    """A total: zero, or at least five (else None)."""
    return n if n == 0 or n >= SMALL else None


def hidden_cells(columns: list[dict], *, rest: Sequence[int] = ()) -> set:
    """The keys of cells to hide in a table whose columns (key → count) add up to shown
    totals: every cell below `SMALL` in any column, and, when that leaves exactly one
    hidden share of a total (a hidden cell, or a non-zero `rest` that is never shown on
    its own, e.g. registrations without a campus), the next smallest cell too, so that
    no total minus the shown cells gives a small count."""
    keys = set().union(*columns) if columns else set()
    hidden = {k for k in keys if any(col.get(k, 0) < SMALL for col in columns)}
    for i, col in enumerate(columns):
        shares = len(hidden) + (1 if rest and rest[i] else 0)
        if shares == 1:
            shown_keys = sorted(keys - hidden, key=lambda k: (col.get(k, 0), str(k)))
            if shown_keys:
                hidden.add(shown_keys[0])
    return hidden


def shown(n: int | None) -> str:
    """A count for a report: "fewer than 5" for small non-zero (or hidden) counts."""
    return (
        str(n) if n is not None and (n == 0 or n >= SMALL) else _("fewer than %(n)s") % {"n": SMALL}
    )


@dataclass(frozen=True)
class Cell:
    label: str
    registered: int | None
    attended: int | None


@dataclass(frozen=True)
class Participation:
    registered: int | None  # None: fewer than five
    attended: int | None
    head_count: int | None
    by_campus: list[Cell]
    by_group: list[Cell]

    @property
    def came(self) -> int | None:
        """Those who came: the head count when taken, else the marked attendance."""
        return total(self.head_count) if self.head_count is not None else self.attended


def participation(event: Event) -> Participation:
    regs = list(
        Registration.objects.filter(
            event=event, status=Registration.Status.REGISTERED
        ).select_related("student__campus", "student__group")
    )

    def cells(key) -> list[Cell]:
        reg: Counter = Counter()
        att: Counter = Counter()
        for r in regs:
            k = key(r)
            reg[k] += 1
            att[k] += 1 if r.attended else 0
        hide_reg = hidden_cells([reg])
        hide_att = hidden_cells([att])
        return [
            Cell(
                k,
                None if k in hide_reg else reg[k],
                None if k in hide_att else att[k],
            )
            for k in sorted(reg)
        ]

    def campus(r):
        return str(r.student.campus) if r.student and r.student.campus else _("no campus")

    def group(r):
        return r.student.group.name if r.student and r.student.group else _("no group")

    return Participation(
        registered=total(len(regs)),
        attended=total(sum(1 for r in regs if r.attended)),
        head_count=event.head_count,
        by_campus=cells(campus),
        by_group=cells(group),
    )


def participation_indicator(event: Event) -> Indicator:
    """The provider's participation indicator (created the first time without a target;
    the plan sets one)."""
    indicator, _created = Indicator.objects.get_or_create(
        provider_id=event.provider_id,
        code=INDICATOR_CODE,
        defaults={
            "name": INDICATOR_NAME,
            "unit": INDICATOR_UNIT,
            "built_in": True,
            "direction": Indicator.Direction.HIGHER,
            "target": None,
            "source": Indicator.Source.EVENTS,
        },
    )
    return indicator


@transaction.atomic
def report(event: Event, *, by) -> Participation:
    """Write the year's participation (attended, all events of the institution) as a data
    point per campus of the indicator, and send a short report to the organiser's agenda."""
    p = participation(event)
    indicator = participation_indicator(event)
    year = timezone.localtime(event.starts_at).year
    institution = event.institution
    came: Counter = Counter()
    registered: Counter = Counter()
    events = Event.objects.filter(
        institution=institution, starts_at__year=year, starts_at__lte=timezone.now()
    )
    for r in Registration.objects.filter(
        event__in=events, status=Registration.Status.REGISTERED
    ).select_related("student"):
        campus_id = r.student.campus_id if r.student else None
        registered[campus_id] += 1
        came[campus_id] += 1 if r.attended else 0
    head_counts = sum(e.head_count or 0 for e in events if not e.registrations.exists())
    by_campus_reg = {k: n for k, n in registered.items() if k is not None}
    by_campus_came = {k: came[k] for k in by_campus_reg}
    hidden = hidden_cells(
        [by_campus_reg, by_campus_came],
        rest=[registered[None], came[None] + head_counts],
    )
    for campus_id, n in by_campus_reg.items():
        if campus_id in hidden:
            continue  # suppressed: too few, or the total would give a small one away
        goals.set_data_point(
            indicator,
            by=by,
            institution=institution,
            campus=institution.campuses.get(pk=campus_id),
            year=year,
            value=came[campus_id],
            respondents=n,
        )
    total = sum(came.values()) + head_counts
    respondents = sum(registered.values())
    if total >= SMALL:  # the institution's figure, its registrations only from five
        goals.set_data_point(
            indicator,
            by=by,
            institution=institution,
            campus=None,
            year=year,
            value=total,
            respondents=respondents if respondents >= SMALL else None,
        )
    inbox.propose(
        event.organiser,
        _("Event report: %(title)s") % {"title": event.title_fi},
        detail=_("%(date)s: %(registered)s registered, %(came)s came.")
        % {
            "date": timezone.localtime(event.starts_at).strftime("%d.%m.%Y"),
            "registered": shown(p.registered),
            "came": shown(p.came),
        },
        origin="events",
        link=reverse("events:event", args=[event.pk]),
        key=f"events:{event.pk}",
    )
    Event.objects.filter(pk=event.pk).update(reported_at=timezone.now())
    return p
