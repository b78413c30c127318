"""The assembled agenda (PRODUCT.md §2, seed 003): nobody types it from scratch.

In this order: the group's standing items ("in every meeting"), the annual-
clock items due around the meeting date, the "as needed" items someone raised,
highlights sent by the student bodies, the items other parts of the service sent
(`inbox.propose`: survey results, procedures, incident summaries), and the open follow-ups of earlier
meetings (they carry over until done).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.annualclock import layers

from . import inbox
from .models import AgendaItem, FollowUp, Highlight, Meeting, StandingItem

#: Clock items whose occurrence overlaps [meeting day − LOOKBACK, meeting day + LOOKAHEAD].
LOOKBACK_DAYS = 14
LOOKAHEAD_DAYS = 42


@dataclass(frozen=True)
class Proposed:
    source: str
    source_id: int
    title: str
    detail: str = ""


def _standing(meeting: Meeting) -> list[Proposed]:
    items = StandingItem.objects.filter(group=meeting.group, kind=StandingItem.Kind.EVERY_MEETING)
    return [Proposed(AgendaItem.Source.STANDING, i.pk, i.title) for i in items]


def _clock(meeting: Meeting) -> list[Proposed]:
    group = meeting.group
    day = timezone.localtime(meeting.starts_at).date()
    start, end = day - timedelta(days=LOOKBACK_DAYS), day + timedelta(days=LOOKAHEAD_DAYS)
    unit = layers.Unit(group.institution, group.campus)
    terms = layers.terms_for(unit)
    earlier = {
        (row["source_id"], timezone.localtime(row["meeting__starts_at"]).date())
        for row in AgendaItem.objects.filter(
            meeting__group=group,
            source=AgendaItem.Source.CLOCK,
            meeting__starts_at__lt=meeting.starts_at,
            meeting__starts_at__gte=meeting.starts_at
            - timedelta(days=LOOKBACK_DAYS + LOOKAHEAD_DAYS + 400),
        ).values("source_id", "meeting__starts_at")
    }
    proposed: dict[int, Proposed] = {}
    for clock in group.clocks.all():
        items = layers.effective_items(clock, unit)
        for dated in layers.dated_items(items, start, end, terms):
            item = dated.item
            # An occurrence an earlier meeting already took up is not repeated.
            covered = any(
                sid == item.pk
                and dated.start - timedelta(days=LOOKAHEAD_DAYS) <= when
                and when <= dated.end + timedelta(days=LOOKBACK_DAYS)
                for sid, when in earlier
            )
            if covered or item.pk in proposed:
                continue
            when = f"{dated.start:%-d.%-m.}" + (
                f"–{dated.end:%-d.%-m.}" if dated.end != dated.start else ""
            )
            detail = f"{item.get_type_display()}, {when}"
            if item.results_due:
                detail += f"; {_('results')}: {item.results_due}"
            proposed[item.pk] = Proposed(AgendaItem.Source.CLOCK, item.pk, item.title, detail)
    return list(proposed.values())


def _as_needed(meeting: Meeting) -> list[Proposed]:
    items = StandingItem.objects.filter(
        group=meeting.group, kind=StandingItem.Kind.AS_NEEDED, raised=True
    )
    return [Proposed(AgendaItem.Source.AS_NEEDED, i.pk, i.title) for i in items]


def _highlights(meeting: Meeting) -> list[Proposed]:
    rows = Highlight.objects.filter(group=meeting.group, handled_in__isnull=True).select_related(
        "from_group"
    )
    return [Proposed(AgendaItem.Source.HIGHLIGHT, h.pk, h.title, str(h.from_group)) for h in rows]


def _proposals(meeting: Meeting) -> list[Proposed]:
    return [
        Proposed(AgendaItem.Source.PROPOSAL, p.pk, p.title, p.detail)
        for p in inbox.pending(meeting.group)
    ]


def _follow_ups(meeting: Meeting) -> list[Proposed]:
    rows = (
        FollowUp.objects.open()
        .filter(group=meeting.group, item__meeting__starts_at__lt=meeting.starts_at)
        .select_related("owner", "item__meeting")
    )
    found = []
    for f in rows:
        owner = f.owner.display_name if f.owner else "–"
        detail = _("responsible %(owner)s, due %(due)s, from the meeting of %(day)s") % {
            "owner": owner,
            "due": f"{f.due_on:%-d.%-m.%Y}",
            "day": f"{timezone.localtime(f.item.meeting.starts_at):%-d.%-m.%Y}",
        }
        found.append(Proposed(AgendaItem.Source.FOLLOW_UP, f.pk, f.title, detail))
    return found


def assemble(meeting: Meeting) -> list[Proposed]:
    """What the agenda of `meeting` should hold, in order."""
    return (
        _standing(meeting)
        + _clock(meeting)
        + _as_needed(meeting)
        + _highlights(meeting)
        + _proposals(meeting)
        + _follow_ups(meeting)
    )
