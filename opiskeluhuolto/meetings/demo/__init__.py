"""Demo communal welfare: Sedu's group hierarchy (seed 003) and Etu-Töölö's groups (seed 000),
meetings past and upcoming with minutes and follow-ups, welfare plans with versions,
and Luksia-like indicators with data (seed 004)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.annualclock.demo import HOME_SCHOOL_CLOCK, WELFARE_CLOCK, sedu_clocks
from opiskeluhuolto.annualclock.models import Clock
from opiskeluhuolto.organisation.demo.cast import DemoContext
from opiskeluhuolto.organisation.demo.regional import NEIGHBOUR_BUSINESS_ID
from opiskeluhuolto.organisation.models import Provider

from .. import actions, hierarchy
from ..models import FollowUp, Group, Membership, StandingItem
from .regional_plan import seed_regional_plan as _seed_regional_plan
from .sedu_plan import seed_indicators, seed_plans

M = Membership.Role


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _weekday_near(day: date, weekday: int = 1) -> date:
    """The given weekday (Tuesday by default) on or after `day`."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _standing(group: Group, by, spec: dict) -> None:
    StandingItem.objects.bulk_create(
        [
            StandingItem(group=group, kind=StandingItem.Kind.EVERY_MEETING, title=t, order=n)
            for n, t in enumerate(spec.get("standing_items", []))
        ]
        + [
            StandingItem(group=group, kind=StandingItem.Kind.AS_NEEDED, title=t, order=50 + n)
            for n, t in enumerate(spec.get("as_needed_items", []))
        ]
    )


def seed(ctx: DemoContext) -> None:
    u = ctx.users
    sedu_p, helsinki = ctx.providers["sedu"], ctx.providers["helsinki"]
    sedu, lukio = ctx.institutions["sedu"], ctx.institutions["lukio"]
    admin = u["admin"]
    data = sedu_clocks()
    sedu_clocks_db = list(Clock.objects.filter(provider=sedu_p, parent__isnull=True).order_by("pk"))
    welfare_clock = sedu_clocks_db[WELFARE_CLOCK]
    home_clock = sedu_clocks_db[HOME_SCHOOL_CLOCK]
    leads = {
        key: User.objects.get(username=f"koulutuspaallikko-{key}")
        for key in ("tornava", "lapua", "ilmajoki", "kurikka")
    }
    leads["seinajoki"] = u["rehtori"]

    # --- Sedu: the hierarchy of seed 003, top to bottom ---------------------------------
    def group(
        kind,
        name,
        *,
        institution=None,
        campus=None,
        chair=None,
        provider=sedu_p,
        by=admin,
        parent=None,
    ):
        return actions.create_group(
            by=by,
            provider=provider,
            kind=kind,
            name=name,
            institution=institution,
            campus=campus,
            chair=chair,
            parent=parent,
        )

    # The county's regional group (issue 20): Sedu keeps its record; its members come from
    # Sedu and the city of Seinäjoki (a second provider of the county).
    regional = group(
        Group.Kind.REGIONAL, "Alueellinen opiskeluhuollon ryhmä (EPHVA)", chair=u["psykologi"]
    )
    neighbour = Provider.objects.get(business_id=NEIGHBOUR_BUSINESS_ID)
    hierarchy.set_member_providers(regional, [sedu_p, neighbour], by=admin)
    steering = group(Group.Kind.STEERING, "Sedun opiskeluhuollon ohjausryhmä", chair=admin)
    sedu_group = group(
        Group.Kind.WELFARE,
        "Sedun opiskeluhuoltoryhmä",
        institution=sedu,
        chair=u["psykologi"],
        parent=steering,
    )
    campus_groups = {}
    for key, lead in leads.items():
        campus = ctx.campuses[key]
        campus_groups[key] = group(
            Group.Kind.CAMPUS,
            f"{campus.name}: yhteisöllinen opiskeluhuoltoryhmä",
            institution=sedu,
            campus=campus,
            chair=lead,
            parent=sedu_group,
        )
    amis = group(
        Group.Kind.THEME, "Sedun Hyvinvoiva Amis -ryhmä", institution=sedu, parent=sedu_group
    )
    safety = group(
        Group.Kind.THEME,
        "Turvallisuusryhmä, Sedu Seinäjoki",
        institution=sedu,
        campus=ctx.campuses["seinajoki"],
        chair=u["rehtori"],
    )
    fokus = group(Group.Kind.STUDENT_BODY, "Sedun opiskelijakunta Fokus", institution=sedu)
    forum = group(
        Group.Kind.STUDENT_BODY,
        "Opiskelijafoorumi, Sedu Seinäjoki",
        institution=sedu,
        campus=ctx.campuses["seinajoki"],
    )
    home_school = group(
        Group.Kind.THEME,
        "Kodin ja koulun yhteistyö, Sedu Seinäjoki (vastuuohjaajat)",
        institution=sedu,
        campus=ctx.campuses["seinajoki"],
        chair=u["ryhmanohjaaja"],
    )

    sei = campus_groups["seinajoki"]
    members = [
        (regional, u["sjk-rehtori"], M.MEMBER, "Seinäjoen kaupunki"),
        (steering, u["psykologi"], M.MEMBER, ""),
        (steering, u["rehtori"], M.MEMBER, "koulutuspäälliköt"),
        (steering, u["ulkojasen"], M.EXTERNAL, "Etelä-Pohjanmaan hyvinvointialue"),
        (sedu_group, u["rehtori"], M.MEMBER, ""),
        (sedu_group, u["kuraattori"], M.MEMBER, ""),
        (sei, u["kuraattori"], M.SECRETARY, ""),
        (sei, u["terveydenhoitaja"], M.MEMBER, ""),
        (sei, u["opo"], M.MEMBER, ""),
        (sei, u["erityisopettaja"], M.MEMBER, ""),
        (sei, u["ulkojasen"], M.EXTERNAL, "Seinäjoen etsivä nuorisotyö"),
        (sei, u["eero"], M.STUDENT_REP, "Opiskelijafoorumi"),
        (sei, u["huoltaja"], M.GUARDIAN_REP, "huoltajat"),
        (campus_groups["lapua"], u["kuraattori2"], M.SECRETARY, ""),
        (amis, u["terveydenhoitaja"], M.MEMBER, ""),
        (safety, u["opettaja"], M.MEMBER, ""),
        (fokus, u["eero"], M.STUDENT_REP, "puheenjohtaja"),
        (forum, u["eero"], M.STUDENT_REP, ""),
        (forum, u["opo"], M.MEMBER, "ohjaava opettaja"),
        (home_school, u["opettaja"], M.MEMBER, ""),
    ]
    Membership.objects.bulk_create(
        Membership(group=g, user=p, role=r, represents=rep) for g, p, r, rep in members
    )
    for g in campus_groups.values():
        _standing(g, admin, data["clocks"][WELFARE_CLOCK])
    _standing(home_school, admin, data["clocks"][HOME_SCHOOL_CLOCK])
    welfare_clock.groups.add(*campus_groups.values(), sedu_group)
    home_clock.groups.add(home_school)
    # Owner groups of the clock items, as seed 003 names them.
    welfare_clock.items.filter(type="drill").update(owner_group=safety)
    home_clock.items.update(owner_group=home_school)
    welfare_clock.items.exclude(type="drill").update(owner_group=sedu_group)

    # --- Etu-Töölö (seed 000): steering group of the city, the lukio's welfare group ---
    etu_by = u["etu-admin"]
    group(
        Group.Kind.STEERING,
        "Helsingin lukioiden opiskeluhuollon ohjausryhmä",
        provider=helsinki,
        chair=u["etu-admin"],
        by=etu_by,
    )
    etu_group = group(
        Group.Kind.WELFARE,
        "Etu-Töölön lukion opiskeluhuoltoryhmä",
        provider=helsinki,
        institution=lukio,
        chair=u["etu-rehtori"],
        by=etu_by,
    )
    etu_students = group(
        Group.Kind.STUDENT_BODY,
        "Etu-Töölön lukion opiskelijakunta",
        provider=helsinki,
        institution=lukio,
        by=etu_by,
    )
    Membership.objects.bulk_create(
        [
            Membership(group=etu_group, user=u["etu-kuraattori"], role=M.SECRETARY),
            Membership(group=etu_students, user=u["lotta"], role=M.STUDENT_REP),
            Membership(
                group=etu_group, user=u["lotta"], role=M.STUDENT_REP, represents="opiskelijakunta"
            ),
        ]
    )
    for n, title in enumerate(
        [
            "Ajankohtaiset asiat ja opiskelijakunnan terveiset",
            "Vuosikellon asiat",
            "Tiedotettavat asiat",
        ]
    ):
        StandingItem.objects.create(group=etu_group, kind="every", title=title, order=n)
    StandingItem.objects.create(
        group=etu_group, kind="as_needed", title="Kriisisuunnitelman läpikäynti", order=50
    )
    Clock.objects.get(provider=helsinki).groups.add(etu_group)

    _seed_meetings(ctx, sei, fokus, forum, etu_group, etu_students)
    _seed_regional(ctx, regional, steering, neighbour)
    seed_plans(ctx)
    seed_indicators(ctx)
    _seed_regional_plan(ctx, regional, neighbour)


def _seed_meetings(ctx, sei, fokus, forum, etu_group, etu_students) -> None:
    u, today = ctx.users, ctx.today
    rehtori = u["rehtori"]
    # Two published meetings of the Seinäjoki campus group; open follow-ups carry over.
    notes = {
        "Nostot Foorumin ja Fokuksen kokouksista": (
            "Foorumi toivoo lisää yhteistä tekemistä välitunneille.",
            "Opiskelijatoiminnan ohjaaja selvittää pelivuorot liikuntasaliin.",
        ),
        "Yksikön ajankohtaiset ja akuutit asiat": (
            "Syysloman jälkeen poissaolot ovat lisääntyneet yleisesti ensimmäisen vuoden ryhmissä.",
            "Vastuuohjaajat ottavat poissaolot puheeksi ryhmätasolla.",
        ),
        "Tulossa olevat tapahtumat ja tempaukset": (
            "Hyvinvointi virtaa -viikon ohjelma käytiin läpi.",
            "",
        ),
    }
    attendees = (
        "Riitta Rinne (pj), Kaisa Kuusela (siht.), Tiina Tuominen, Olli Ojala, Eila Eskola, "
        "Jari Jokela (etsivä nuorisotyö), Eero Ekholm (opiskelijaedustaja)"
    )
    for n, weeks_ago in enumerate((8, 4)):
        day = _weekday_near(today - timedelta(weeks=weeks_ago))
        meeting = actions.schedule_meeting(
            sei,
            by=rehtori,
            starts_at=_at(day, 13),
            ends_at=_at(day, 14, 30),
            place="Koulutie 2, neuvotteluhuone A",
        )
        actions.save_attendees(meeting, by=rehtori, attendees=attendees)
        for item in meeting.items.all():
            text, decision = notes.get(item.title, ("Käsiteltiin yleisellä tasolla.", ""))
            meeting.refresh_from_db()
            actions.save_minutes(
                item, by=u["kuraattori"], minutes=text, decision=decision, version=meeting.version
            )
            if item.source == "follow_up":
                carried = FollowUp.objects.get(pk=item.source_id)  # type: ignore[misc]  # a follow_up item has its source
                actions.complete_follow_up(carried, by=u["opo"], note="Käsitelty kokouksessa.")
            if item.title == "Yksikön ajankohtaiset ja akuutit asiat":
                actions.add_follow_up(
                    item,
                    by=u["kuraattori"],
                    title="Poissaolotilanne yleisellä tasolla seuraavaan kokoukseen"
                    if n == 0
                    else "Työrauhakyselyn tulokset kampuksen tasolla",
                    owner=u["opo"],
                    due_on=day + timedelta(days=21),
                )
        if n == 0:
            actions.submit_highlight(
                forum,
                by=u["eero"],
                to_group=sei,
                title="Ruokalan jonot ovat pitkiä välitunnilla",
                text="Foorumi toivoo porrastettuja ruokailuvuoroja.",
            )
        actions.publish_minutes(meeting, by=rehtori)
    # The upcoming meeting: a raised "as needed" item and a fresh highlight wait for it.
    raised = StandingItem.objects.get(
        group=sei, title="Kampuksen työrauha ja poissaolotilanne yleisellä tasolla"
    )
    actions.raise_item(raised, by=rehtori)
    actions.submit_highlight(
        fokus,
        by=u["eero"],
        to_group=sei,
        title="Fokus: hiljaisen tilan toive kirjastoon",
        text="Opiskelijat toivovat rauhallista tilaa taukojen ajaksi.",
    )
    nxt = _weekday_near(today + timedelta(days=7))
    actions.schedule_meeting(
        sei,
        by=rehtori,
        starts_at=_at(nxt, 13),
        ends_at=_at(nxt, 14, 30),
        place="Koulutie 2, neuvotteluhuone A",
    )
    later = _weekday_near(today + timedelta(days=35))
    actions.schedule_meeting(sei, by=rehtori, starts_at=_at(later, 13), ends_at=_at(later, 14, 30))

    # Etu-Töölö: one published meeting, one upcoming.
    etu_rehtori = u["etu-rehtori"]
    past = _weekday_near(today - timedelta(days=21), 2)
    m = actions.schedule_meeting(
        etu_group,
        by=etu_rehtori,
        starts_at=_at(past, 12),
        ends_at=_at(past, 13, 30),
        place="Kirjasto",
    )
    for item in m.items.all():
        m.refresh_from_db()
        actions.save_minutes(
            item,
            by=u["etu-kuraattori"],
            minutes="Käsiteltiin yhteisön tasolla; ei yksittäisiä opiskelijoita.",
            decision="",
            version=m.version,
        )
    actions.publish_minutes(m, by=etu_rehtori)
    actions.submit_highlight(
        etu_students,
        by=u["lotta"],
        to_group=etu_group,
        title="Opiskelijakunta: koeviikon jaksaminen",
    )
    upcoming = _weekday_near(today + timedelta(days=10), 2)
    actions.schedule_meeting(
        etu_group,
        by=etu_rehtori,
        starts_at=_at(upcoming, 12),
        ends_at=_at(upcoming, 13, 30),
        place="Kirjasto",
    )


def _seed_regional(ctx, regional: Group, steering: Group, neighbour) -> None:
    """A published regional meeting whose follow-up was sent down to the member providers'
    steering groups: open on Sedu's next steering-group agenda."""
    u, today = ctx.users, ctx.today
    chair = u["psykologi"]
    neighbour_steering = actions.create_group(
        by=u["sjk-rehtori"],
        provider=neighbour,
        kind=Group.Kind.STEERING,
        name="Seinäjoen lukiokoulutuksen opiskeluhuollon ohjausryhmä",
        chair=u["sjk-rehtori"],
    )
    StandingItem.objects.create(
        group=regional, kind="every", title="Alueellisen hyvinvointisuunnitelman seuranta"
    )
    StandingItem.objects.create(
        group=regional, kind="every", title="Kuraattori- ja psykologipalvelujen saatavuus"
    )
    day = _weekday_near(today - timedelta(days=18), 3)
    meeting = actions.schedule_meeting(
        regional,
        by=chair,
        starts_at=_at(day, 9),
        ends_at=_at(day, 11),
        place="Hyvinvointialueen talo, Seinäjoki",
    )
    actions.save_attendees(
        meeting, by=chair, attendees="Sedu, Seinäjoen kaupunki, Etelä-Pohjanmaan hyvinvointialue"
    )
    follow_up = None
    for item in meeting.items.all():
        meeting.refresh_from_db()
        actions.save_minutes(
            item,
            by=chair,
            minutes="Käsiteltiin alueen tilannekuva yleisellä tasolla; ei yksittäisiä opiskelijoita.",
            decision="",
            version=meeting.version,
        )
        if follow_up is None:
            follow_up = actions.add_follow_up(
                item,
                by=chair,
                title="Päivittäkää opiskeluhuoltosuunnitelman yhteistyöosio alueellisen "
                "suunnitelman mukaiseksi",
                owner=chair,
                due_on=today + timedelta(days=40),
            )
    actions.publish_minutes(meeting, by=chair)
    assert follow_up is not None
    hierarchy.send_down(follow_up, by=chair, groups=[steering, neighbour_steering])
    nxt = _weekday_near(today + timedelta(days=12), 3)
    actions.schedule_meeting(
        steering,
        by=u["admin"],
        starts_at=_at(nxt, 14),
        ends_at=_at(nxt, 15, 30),
        place="Sedu, Koulutie 2",
    )
