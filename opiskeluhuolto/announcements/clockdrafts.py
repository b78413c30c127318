"""Items of type "communication" on an annual clock become drafts at the right time.

Each day (the `run_due` task), every clock's communication items are dated for the
clock's unit; an item whose occurrence starts within `LEAD_DAYS` gets one draft per
school year (unique by item and year), for its owner group's writers to finish.
Home–school clocks write to guardians, other clocks to students (the writer may change it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from opiskeluhuolto.annualclock import layers
from opiskeluhuolto.annualclock.models import Clock, ClockItem

from .models import Announcement

LEAD_DAYS = 14


def create_due_drafts(today: date | None = None) -> list[Announcement]:
    today = today or timezone.localdate()
    created = []
    for clock in Clock.objects.select_related("institution", "campus", "parent"):
        unit = layers.Unit.of(clock)
        items = [
            i for i in layers.effective_items(clock, unit) if i.type == ClockItem.Type.COMMUNICATION
        ]
        if not items:
            continue
        dated = layers.dated_items(
            items, today, today + timedelta(days=LEAD_DAYS), layers.terms_for(unit)
        )
        for d in dated:
            if d.start < today:
                continue
            draft = _draft(clock, d.item, d.start)
            if draft is not None:
                created.append(draft)
    return created


def _draft(clock: Clock, item: ClockItem, start: date) -> Announcement | None:
    year = layers.school_year_bounds(start)[0].year
    if Announcement.objects.filter(clock_item=item, clock_year=year).exists():
        return None
    audience = (
        Announcement.Audience.GUARDIANS
        if clock.root.kind == Clock.Kind.HOME_SCHOOL
        else Announcement.Audience.STUDENTS
    )
    try:
        with transaction.atomic():
            return Announcement.objects.create(
                provider_id=clock.provider_id,
                institution=clock.institution,
                campus=clock.campus,
                kind=Announcement.Kind.NEWSLETTER,
                audience=audience,
                title_fi=item.title[:200],
                body_fi=item.note or "",
                send_at=timezone.make_aware(datetime.combine(start, time(8))),
                clock_item=item,
                clock_year=year,
            )
    except IntegrityError:  # another worker made it first
        return None
