"""Demo communal space (seeds 004 and 003): Olkkari, a Luksia-style yhteisöllinen tila on
Sedu's Koulutie campus in Seinäjoki, opened to partners. Youth work, Ohjaamo, the parish
and the wellbeing county's low-threshold service keep regular hours there; groups,
partners and staff have booked it in past months and the coming weeks; the visitors are
counted at the door on school days (partners' and students' use are indicators of the
plan's goals, 004's "partners use the space" and "students use the space")."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from opiskeluhuolto.organisation.demo.cast import DemoContext

from ..models import Booking, ServiceHours, Space, Visit

HOURS = [
    # (organisation, service, weekday, start, end, shown to students)
    ("Seinäjoen kaupungin nuorisopalvelut", "Nuorisotyöntekijän päivystys", 1, 12, 16, True),
    ("Ohjaamo Seinäjoki", "Ohjaus ja neuvonta alle 30-vuotiaille", 3, 10, 14, True),
    ("Seinäjoen seurakunta", "Oppilaitospappi tavattavissa", 2, 11, 13, True),
    ("Etelä-Pohjanmaan hyvinvointialue", "Nuorten matalan kynnyksen vastaanotto", 0, 12, 15, True),
    ("Etelä-Pohjanmaan hyvinvointialue", "Verkostopalaveri oppilaitoksen kanssa", 4, 8, 9, False),
]

#: The weekly pattern of bookings: (weekday, start, hours, who, purpose); who is a user
#: key of the demo, or "group" for the campus's communal welfare group.
WEEKLY = [
    (0, 9, 2, "group", "Yhteisöllisen opiskeluhuoltoryhmän tapaaminen"),
    (1, 12, 4, "ulkojasen", "Etsivän nuorisotyön päivystys"),
    (2, 14, 2, "kuraattori", "Ryhmätoiminta: jännittäjät"),
    (3, 15, 2, "rehtori", "Opiskelijafoorumi"),
]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed(ctx: DemoContext) -> None:
    campus = ctx.campuses["seinajoki"]
    space = Space.objects.create(
        campus=campus,
        name="Olkkari",
        description=(
            "Kaikille avoin yhteisöllinen tila kampuksen aulassa: sohvia, pelejä ja "
            "kahvia. Kumppanit pitävät täällä säännöllisiä vastaanottoja, ja ryhmät ja "
            "henkilöstö voivat varata tilan tapaamisiinsa."
        ),
        capacity=30,
        opens_at=time(8),
        closes_at=time(18),  # the student forum meets on Thursdays until 17
    )
    ServiceHours.objects.bulk_create(
        ServiceHours(
            space=space,
            organisation=org,
            service=service,
            weekday=weekday,
            starts_at=time(start),
            ends_at=time(end),
            public=public,
        )
        for org, service, weekday, start, end, public in HOURS
    )
    # The campus group, through the booking's foreign key (spaces does not import meetings).
    group_model = Booking._meta.get_field("group").related_model
    group: Any = (
        group_model._default_manager.filter(campus=campus, kind="campus").order_by("pk").first()
    )
    today = ctx.today
    monday = today - timedelta(days=today.weekday())
    calendar = campus.institution.school_calendar()
    rows = []
    for week in range(-12, 4):
        for weekday, hour, length, who, purpose in WEEKLY:
            day = monday + timedelta(weeks=week, days=weekday)
            if not calendar.is_working_day(day) or (who == "group" and group is None):
                continue
            if who == "group":
                kind, user = Booking.Kind.GROUP, None
            else:
                user = ctx.users.get(who)
                kind = Booking.Kind.PARTNER if who == "ulkojasen" else Booking.Kind.STAFF
            rows.append(
                Booking(
                    space=space,
                    starts_at=_at(day, hour),
                    ends_at=_at(day, hour + length),
                    kind=kind,
                    group=group if kind == Booking.Kind.GROUP else None,
                    booked_by=user,
                    purpose=purpose,
                )
            )
    Booking.objects.bulk_create(rows)
    visits = []
    for back in range(1, 90):
        day = today - timedelta(days=back)
        if not calendar.is_working_day(day):
            continue
        counts = {
            "students": 25 + ctx.rng.randint(0, 30),
            "partners": ctx.rng.randint(1, 6),
            "staff": ctx.rng.randint(2, 8),
        }
        visits += [Visit(space=space, day=day, kind=kind, count=n) for kind, n in counts.items()]
    Visit.objects.bulk_create(visits)
