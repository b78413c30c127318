"""Demo data of appointments: hours, phone hours, and requests and bookings in every state.

Six months of history (bulk inserted, independent of the number of students)
feed the compliance report; the current requests go through the real actions
so that deadlines and slots are exactly what the app computes: some overdue,
some due soon, some with a time, some closed with a reason.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from opiskeluhuolto.lib.workdays import nth_working_day_after, working_days_between
from opiskeluhuolto.organisation.demo.cast import DemoContext
from opiskeluhuolto.organisation.models import Role, Student

from .. import actions, conversation, deadlines
from ..models import (
    AppointmentEvent,
    AppointmentRequest,
    Availability,
    Booking,
    ContactChannel,
    GroupWork,
    Mode,
)
from ..slots import free_slots

HISTORY_MONTHS = 6
PER_MONTH = {"sedu": 24, "lukio": 9}


def _week(ctx, user, inst, start, end, *, days=range(5), kind="bookable", minutes=45, place=""):
    valid_from = ctx.today - timedelta(days=HISTORY_MONTHS * 31 + 31)
    return [
        Availability(
            professional=user,
            institution=inst,
            kind=kind,
            weekday=d,
            starts_at=start,
            ends_at=end,
            slot_minutes=minutes,
            mode="on_site",
            place=place,
            valid_from=valid_from,
        )
        for d in days
    ]


def _seed_hours(ctx: DemoContext) -> dict[str, list]:
    """Weekly hours of the demo professionals; returns who handles which service where."""
    u, sedu, lukio = ctx.users, ctx.institutions["sedu"], ctx.institutions["lukio"]
    from opiskeluhuolto.accounts.models import User

    etu = {x.username: x for x in User.objects.filter(username__startswith="etu-")}
    rows = []
    rows += _week(ctx, u["kuraattori"], sedu, time(9), time(12), place="Koulutie, huone A214")
    rows += _week(
        ctx,
        u["kuraattori"],
        sedu,
        time(13),
        time(15),
        days=[1, 3],
        minutes=60,
        place="Koulutie, huone A214",
    )
    rows += _week(
        ctx, u["kuraattori2"], sedu, time(9), time(14), days=[0, 2, 4], place="Lapua, huone 12"
    )
    rows += _week(
        ctx,
        u["psykologi"],
        sedu,
        time(10),
        time(15),
        days=[1, 2, 3],
        minutes=60,
        place="Koulutie, huone A220",
    )
    rows += _week(
        ctx,
        u["terveydenhoitaja"],
        sedu,
        time(8),
        time(10),
        kind="walk_in",
        place="Terveydenhoitajan vastaanotto A110",
    )
    rows += _week(
        ctx, u["terveydenhoitaja"], sedu, time(12), time(15), days=[1, 3], minutes=30, place="A110"
    )
    rows += _week(ctx, etu["etu-kuraattori"], lukio, time(9), time(13), place="Huone 105")
    rows += _week(
        ctx,
        etu["etu-psykologi"],
        lukio,
        time(12),
        time(15),
        days=[0, 2],
        minutes=60,
        place="Huone 107",
    )
    rows += _week(
        ctx,
        etu["etu-terveydenhoitaja"],
        lukio,
        time(8),
        time(9, 30),
        kind="walk_in",
        place="Terveydenhoitaja, 1. krs",
    )
    Availability.objects.bulk_create(rows)  # the triggers change the free times' versions
    ContactChannel.objects.bulk_create(
        [
            ContactChannel(
                professional=u["terveydenhoitaja"],
                institution=sedu,
                phone=u["terveydenhoitaja"].phone,  # the professional's own number
                hours="ma–pe 8.00–9.00",
            ),
            ContactChannel(
                professional=etu["etu-terveydenhoitaja"],
                institution=lukio,
                phone=etu["etu-terveydenhoitaja"].phone,
                hours="ma–pe 8.00–9.00 ja 12.00–12.30",
            ),
            ContactChannel(
                professional=u["kuraattori"],
                institution=sedu,
                phone=u["kuraattori"].phone,
                hours="ma–to 8.30–9.00",
            ),
        ]
    )
    return {
        "sedu": [
            (u["kuraattori"], Role.SOCIAL_WORKER),
            (u["kuraattori2"], Role.SOCIAL_WORKER),
            (u["psykologi"], Role.PSYCHOLOGIST),
        ],
        "lukio": [
            (etu["etu-kuraattori"], Role.SOCIAL_WORKER),
            (etu["etu-psykologi"], Role.PSYCHOLOGIST),
        ],
    }


def _aware(day: date, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, t))


def _history(ctx: DemoContext, key: str, staff: list, student_ids: list[int]) -> None:
    """Past requests, decided: most given a time on time, some late, some closed, bulk inserted."""
    inst = ctx.institutions[key]
    cal = inst.school_calendar()
    rng = ctx.rng
    first = (ctx.today.replace(day=1) - timedelta(days=HISTORY_MONTHS * 30)).replace(day=1)
    days = [first + timedelta(days=i) for i in range((ctx.today - first).days - 14)]
    work_days = [d for d in days if cal.is_working_day(d)]
    if not work_days or not student_ids:
        return
    n = PER_MONTH[key] * HISTORY_MONTHS
    reqs, plans = [], []
    for _ in range(n):
        day = rng.choice(work_days)
        prof, service = rng.choice(staff)
        urgent = rng.random() < 0.15
        try:
            deadline = deadlines.deadline_for(cal, day, urgent=urgent)
        except deadlines.DeadlineUnknown:
            continue
        # Mostly on time; sometimes later than the law allows.
        k = (
            rng.choice([0, 1] if urgent else [1, 2, 3, 4, 5, 6, 7])
            if rng.random() < 0.86
            else rng.choice([3, 8, 9, 11] if not urgent else [2, 3])
        )
        offered = day if k == 0 else nth_working_day_after(cal, day, k)
        closed = rng.random() < 0.06
        by = rng.choices(["student", "guardian", "other", "staff"], [60, 15, 5, 20])[0]
        at = _aware(day, time(rng.randint(8, 14), rng.choice([0, 15, 30, 45])))
        start = _aware(offered, time(rng.randint(9, 14), 0))
        req = AppointmentRequest(
            student_id=rng.choice(student_ids),
            institution=inst,
            service=service,
            professional=prof,
            requested_by=by,
            requester_description="nuorisotyöntekijä" if by == "other" else "",
            channel=rng.choice(["online", "online", "phone", "in_person", "email"]),
            requested_at=at,
            request_day=day,
            urgent=urgent,
            urgency_set_by=prof if urgent else None,
            urgency_set_at=at if urgent else None,
            deadline=deadline,
        )
        if closed:
            req.status = AppointmentRequest.Status.CLOSED
            req.close_reason = rng.choice(["advice_only", "unnecessary", "withdrawn"])
            req.closed_at = at + timedelta(hours=3)
            req.closed_by = prof
        else:
            req.status = AppointmentRequest.Status.HELD
            req.first_offer_start = start
            req.first_offer_made_at = at + timedelta(hours=2)
            req.first_offer_working_days = working_days_between(cal, day, offered)
            req.deadline_met = offered <= deadline
        reqs.append(req)
        plans.append((closed, prof, start))
    reqs = AppointmentRequest.objects.bulk_create(reqs, batch_size=1000)
    bookings, events = [], []
    for req, (closed, prof, start) in zip(reqs, plans, strict=True):
        events.append(
            AppointmentEvent(request=req, kind="requested", actor=None, at=req.requested_at)
        )
        if closed:
            events.append(
                AppointmentEvent(
                    request=req,
                    kind="closed",
                    actor=prof,
                    at=req.closed_at,  # type: ignore[misc]  # a closed demo request has its closing time
                    detail=req.close_reason,
                )
            )
            continue
        bookings.append(
            Booking(
                professional=prof,
                student_id=req.student_id,
                institution=inst,
                request=req,
                service=req.service,
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                place="",
                status=Booking.Status.HELD,
                booked_by=prof,
                created_at=req.first_offer_made_at,  # type: ignore[misc]  # a held demo request had an offer
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=1000)
    AppointmentEvent.objects.bulk_create(events, batch_size=2000)


def _past_working_day(cal, today: date, n: int) -> date:
    """The working day n working days before today (or the closest earlier day)."""
    day, count = today, 0
    while count < n and day > today - timedelta(days=90):
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            count += 1
    return day


def _current(ctx: DemoContext, key: str, staff: list, students: list[Student]) -> None:
    """Requests of the last weeks in every state, through the real actions."""
    inst = ctx.institutions[key]
    cal = inst.school_calendar()
    today = ctx.today
    (kur, kur_service), psy = staff[0], staff[-1]
    plans = [
        # (working days ago, requested by, service, urgent, outcome)
        (12, "guardian", kur_service, False, "open"),  # overdue
        (9, "student", kur_service, False, "open"),  # overdue
        (8, "staff", psy[1], False, "open"),  # overdue
        (6, "student", kur_service, False, "open"),  # due soon
        (1, "other", kur_service, True, "open"),  # urgent, overdue or due today
        (3, "student", kur_service, False, "open"),
        (0, "student", kur_service, False, "open"),
        (0, "guardian", psy[1], False, "open"),
        (2, "student", kur_service, False, "book"),
        (1, "staff", kur_service, False, "book"),
        (4, "student", psy[1], False, "book"),
        (5, "other", kur_service, False, "close"),
        (3, "guardian", kur_service, False, "book_cancel"),
    ]
    for i, (ago, by, service, urgent, outcome) in enumerate(plans):
        student = students[i % len(students)]
        day = _past_working_day(cal, today, ago)
        prof = kur if service == kur_service else psy[0]
        requested_at = min(_aware(day, time(9, 10 + i)), timezone.now() - timedelta(minutes=5))
        req = actions.create_request(
            student,
            service=service,
            requested_by=by,
            channel="phone" if by in ("guardian", "other") else "online",
            actor=prof,
            requester_description="etsivä nuorisotyö" if by == "other" else "",
            requested_at=requested_at,
        )
        if urgent:
            req = actions.set_urgency(req, urgent=True, actor=prof)
        if outcome in ("book", "book_cancel"):
            found = free_slots(prof.pk, inst.pk, cal, today, today + timedelta(days=21))
            if found:
                slot = found[min(len(found) - 1, 2 + i)]
                booking = actions.book(
                    student=student,
                    professional=prof,
                    starts_at=slot.starts_at,
                    actor=prof,
                    request=req,
                )
                if outcome == "book_cancel":
                    actions.cancel_booking(booking, actor=prof)
        elif outcome == "close":
            actions.close_request(req, reason="advice_only", actor=prof)


def _named(ctx: DemoContext, staff: dict) -> None:
    """Aino has a coming time with the psychologist; her guardian has asked for one too."""
    aino, sedu = ctx.students["aino"], ctx.institutions["sedu"]
    psy = ctx.users["psykologi"]
    found = free_slots(
        psy.pk, sedu.pk, sedu.school_calendar(), ctx.today, ctx.today + timedelta(days=21)
    )
    if found:
        booking = actions.book(
            student=aino,
            professional=psy,
            starts_at=found[-1].starts_at,
            actor=ctx.users["aino"],
            service=Role.PSYCHOLOGIST,
        )
        # She asked to meet remotely; the psychologist answered and sent the link.
        assert booking.request is not None
        conversation.post_message(
            booking.request,
            author=ctx.users["aino"],
            body="Voisimmeko tavata etänä? Asun kaukana koulusta.",
            from_staff=False,
        )
        conversation.post_message(
            booking.request,
            author=psy,
            body="Sopii hyvin. Linkki on nyt ajan tiedoissa.",
            from_staff=True,
        )
        conversation.set_meeting(
            booking,
            mode=Mode.REMOTE,
            link="https://teams.microsoft.com/l/meetup-join/demo-psykologi",
            place="",
            actor=psy,
        )
    kuraattori = ctx.users["kuraattori"]
    for days_ago, kind, minutes, people in ((20, "communal", 90, 24), (6, "group", 60, 7)):
        GroupWork.objects.create(
            professional=kuraattori,
            institution=sedu,
            campus=aino.campus,
            service=Role.SOCIAL_WORKER,
            kind=kind,
            day=ctx.today - timedelta(days=days_ago),
            minutes=minutes,
            participants=people,
        )
    actions.create_request(
        aino,
        service=Role.NURSE,
        requested_by=AppointmentRequest.RequestedBy.GUARDIAN,
        channel=AppointmentRequest.Channel.ONLINE,
        actor=ctx.users["huoltaja"],
    )


def seed(ctx: DemoContext) -> None:
    staff = _seed_hours(ctx)
    named = {s.pk for s in ctx.students.values()}
    for key in ("sedu", "lukio"):
        inst = ctx.institutions[key]
        ids = list(
            Student.objects.filter(institution=inst)
            .exclude(pk__in=named)
            .values_list("pk", flat=True)[:3000]
        )
        _history(ctx, key, staff[key], ids)
        current = list(
            Student.objects.filter(institution=inst, campus__isnull=False)
            .exclude(pk__in=named)
            .order_by("pk")[:13]
        )
        if current:
            _current(ctx, key, staff[key], current)
    _named(ctx, staff)
