"""Demo events (seeds 003, 004): Sedu Seinäjoki's Hyvinvointi virtaa -viikko as a campaign of
events with registrations and attendance reported to the participation indicator and the
campus group's agenda; coming events to register for; and the clock items that students
and guardians see in their communal calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.demo.cast import UNUSABLE, DemoContext, school_year_start
from opiskeluhuolto.organisation.models import Student

from .. import actions, feedback, participation
from ..models import Event, Registration

#: Clock items (by title, in every layer) that students and guardians see, and in what
#: language besides Finnish.
COMMUNITY = {
    "Koulun aloitus ja ryhmäytymistoiminnat": ("students", "", ""),
    "Hyvinvointi virtaa -viikko": (
        "everyone",
        "Temaveckan Hyvinvointi virtaa",
        "Wellbeing week Hyvinvointi virtaa",
    ),
    "Liikenneturvallisuusviikko": ("students", "Trafiksäkerhetsveckan", "Road safety week"),
    "Kiusaamiskysely (Sedun oma)": ("students", "Enkät om mobbning", "Survey on bullying"),
    "Itsenäisyyspäiväjuhla": ("students", "Självständighetsfest", "Independence Day celebration"),
    "Valmistumisjuhla / joulujuhla": ("everyone", "Examens- och julfest", ""),
    "Kesän Vauhdittamo-toiminta": ("students", "", ""),
    "Opiskeluhuollon palvelut kesän ajalla": ("everyone", "Elevhälsans tjänster på sommaren", ""),
    "Kotiväenilta": ("guardians", "Föräldrakväll", "Evening for families"),
    "Kotiväenilta / avoimet ovet": ("everyone", "Föräldrakväll / öppet hus", "Open house"),
    "Sedun huoltajakysely": ("guardians", "Sedus enkät till vårdnadshavare", "Guardian survey"),
    "Opiskelijahyvinvoinnin uutiskirje": ("guardians", "Nyhetsbrev om välbefinnande", ""),
    "Opiskeluhyvinvoinnin infokirje": ("guardians", "Infobrev om välbefinnande", ""),
    "Opiskelijoiden virtuaalikahvit (tallenteen linkki Wilmaan)": (
        "students",
        "Virtuellt kaffe för studerande",
        "Virtual coffee for students",
    ),
    "Uusien opiskelijoiden tutustuminen kampukseen": ("students", "", ""),
    "Valmistumisjuhla": ("everyone", "Examensfest", "Graduation"),
}

WEEK = [
    # (day of the week, hour, title, registration, capacity, audience, place)
    (0, 9, "Aamupala ja hyvinvointitietoa", False, None, "students", "Ravintola Frami"),
    (1, 12, "Liikuntapäivä: frisbeegolf ja sähly", True, 40, "students", "Liikuntahalli"),
    (2, 13, "Rentoutumisen ja unen työpaja", True, 15, "students", "Luokka B204"),
    (3, 18, "Huoltajien hyvinvointi-ilta", True, 60, "guardians", "Auditorio"),
]


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _students_with_sign_in(campus, n: int) -> list[Student]:
    """Give `n` students of the campus a (not yet usable) account, as the roster import does
    when students are invited, so that they can register for events."""
    chosen = list(Student.objects.filter(campus=campus, user__isnull=True).order_by("pk")[:n])
    users = User.objects.bulk_create(
        [
            User(
                username=f"opiskelija-{s.pk}",
                first_name=s.first_name,
                last_name=s.last_name,
                password=UNUSABLE,
            )
            for s in chosen
        ]
    )
    for s, u in zip(chosen, users, strict=True):
        s.user = u
    Student.objects.bulk_update(chosen, ["user"])
    return chosen


def _community(sedu_p) -> None:
    for title, (community, sv, en) in COMMUNITY.items():
        ClockItem.objects.filter(clock__provider=sedu_p, title=title).update(
            community=community, title_sv=sv, title_en=en
        )


def seed(ctx: DemoContext) -> None:
    sedu_p, sedu = ctx.providers["sedu"], ctx.institutions["sedu"]
    seinajoki = ctx.campuses["seinajoki"]
    rehtori = ctx.users["rehtori"]
    _community(sedu_p)
    organiser = Group.objects.get(provider=sedu_p, campus=seinajoki, kind=Group.Kind.CAMPUS)
    week_item = ClockItem.objects.get(
        clock__provider=sedu_p, clock__parent__isnull=True, title="Hyvinvointi virtaa -viikko"
    )
    year = school_year_start(ctx.today)
    monday = date.fromisocalendar(year, 40, 1)
    campaign = actions.create_campaign(
        by=rehtori,
        institution=sedu,
        organiser=organiser,
        name="Hyvinvointi virtaa -viikko",
        description="Sedun hyvinvointiviikko: liikuntaa, lepoa, ravintoa ja yhdessäoloa.",
        starts_on=monday,
        ends_on=monday + timedelta(days=4),
    )
    students = _students_with_sign_in(seinajoki, 60)
    aino = ctx.students["aino"]
    now = timezone.now()
    for n, (weekday, hour, title, registration, capacity, audience, place) in enumerate(WEEK):
        start = _at(monday + timedelta(days=weekday), hour)
        event = actions.save_event(
            Event(
                institution=sedu,
                provider=sedu_p,
                organiser=organiser,
                campaign=campaign,
                audience=audience,
                title_fi=title,
                description_fi="Osa Hyvinvointi virtaa -viikkoa.",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                place=place,
                registration=registration,
                capacity=capacity,
                clock_item=week_item,
            ),
            by=rehtori,
            campuses=[seinajoki],
        )
        if not registration:
            if start < now:
                actions.record_attendance(event, by=rehtori, head_count=74)
                participation.report(event, by=rehtori)
            continue
        if audience == "students":
            takers = students[n * 7 : n * 7 + min(capacity or 0, 12 + 3 * n)]
            regs = [
                Registration(event=event, user=s.user, student=s, status="registered")
                for s in takers
            ]
            if n == 1 and aino.user_id:
                regs.append(
                    Registration(
                        event=event, user_id=aino.user_id, student=aino, status="registered"
                    )
                )
        else:
            guardian = ctx.users["huoltaja"]
            regs = [Registration(event=event, user=guardian, student=aino, status="registered")]
        made = Registration.objects.bulk_create(regs)
        if start < now:
            came = [r.pk for i, r in enumerate(made) if i % 5 != 4]
            actions.record_attendance(event, by=rehtori, attended_ids=came)
            participation.report(event, by=rehtori)
            if len(came) >= feedback.SMALL:
                feedback.send_feedback(event, by=rehtori)  # the survey tool's short survey

    # Coming events to register for (on the phone): the virtual coffee and the open house.
    coffee_day = ctx.today + timedelta(days=(2 - ctx.today.weekday()) % 7 + 7)
    coffee = _at(coffee_day, 14)
    actions.save_event(
        Event(
            institution=sedu,
            provider=sedu_p,
            organiser=organiser,
            audience="students",
            title_fi="Opiskelijoiden virtuaalikahvit",
            title_sv="Virtuellt kaffe för studerande",
            title_en="Virtual coffee for students",
            description_fi="Kuraattori ja terveydenhoitaja vastaavat kysymyksiin. Tallenne Wilmaan.",
            starts_at=coffee,
            ends_at=coffee + timedelta(hours=1),
            remote_link="https://teams.example.invalid/virtuaalikahvit",
            registration=True,
            capacity=40,
        ),
        by=rehtori,
        campuses=[seinajoki],
    )
    open_day = ctx.today + timedelta(days=(3 - ctx.today.weekday()) % 7 + 21)
    house = _at(open_day, 17)
    actions.save_event(
        Event(
            institution=sedu,
            provider=sedu_p,
            organiser=organiser,
            audience="everyone",
            title_fi="Kotiväenilta ja avoimet ovet",
            title_sv="Föräldrakväll och öppet hus",
            description_fi="Tutustu kampukseen, opettajiin ja opiskeluhuollon henkilöstöön.",
            starts_at=house,
            ends_at=house + timedelta(hours=2),
            place="Sedu Seinäjoki, pääaula",
            registration=True,
            capacity=120,
        ),
        by=rehtori,
        campuses=[seinajoki],
    )
