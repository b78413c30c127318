"""Demo data for the organisation: two providers modelled on the seeds, people in every role.

Sedu-like multi-campus vocational provider (seed 003) and Etu-Töölön lukio
(seed 000). Names from Faker fi_FI; identity codes are synthetic, from the
temporary range 900–999, so none can belong to a real person.

The shared cast (who signs in, the seeders' context, contact details) is in `cast`; the
students, groups and guardians in `students`.
"""

from __future__ import annotations

from datetime import date, timedelta

from opiskeluhuolto.accounts.models import User

from ..admin_site import grant_admin_site
from ..models import (
    CalendarPeriod,
    Campus,
    Institution,
    Organisation,
    OrganisationService,
    Provider,
    Role,
    RoleAssignment,
    SchoolYear,
    WellbeingCounty,
)
from .cast import DemoContext, email_address, school_year_start
from .regional import seed_neighbour
from .students import seed_students


def seed_calendar(inst: Institution, first_year: int, *, lukio: bool) -> None:
    """Two school years (last and current), with terms and the usual breaks."""
    for y in (first_year - 1, first_year):
        year = SchoolYear.objects.create(
            institution=inst,
            name=f"{y}–{y + 1}",
            starts_on=date(y, 8, 1),
            ends_on=date(y + 1, 7, 31),
        )
        autumn_start = date(y, 8, 11 if lukio else 10)
        periods = [
            (
                CalendarPeriod.Kind.TERM,
                "Syyslukukausi",
                autumn_start,
                date(y, 12, 21 if lukio else 19),
            ),
            (
                CalendarPeriod.Kind.TERM,
                "Kevätlukukausi",
                date(y + 1, 1, 7),
                date(y + 1, 6, 4 if lukio else 1),
            ),
        ]
        # Autumn break in ISO week 42, winter break week 8 (Helsinki) or 9 (Etelä-Pohjanmaa).
        wk42 = date.fromisocalendar(y, 42, 1)
        winter = date.fromisocalendar(y + 1, 8 if lukio else 9, 1)
        periods += [
            (CalendarPeriod.Kind.BREAK, "Syysloma", wk42, wk42 + timedelta(days=4)),
            (CalendarPeriod.Kind.BREAK, "Talviloma", winter, winter + timedelta(days=4)),
        ]
        if not lukio:
            # A staff training day in the autumn term.
            periods.append(
                (
                    CalendarPeriod.Kind.DAY_OFF,
                    "Henkilöstön koulutuspäivä",
                    date.fromisocalendar(y, 45, 5),
                    date.fromisocalendar(y, 45, 5),
                )
            )
        for kind, name, start, end in periods:
            CalendarPeriod.objects.create(
                school_year=year, kind=kind, name=name, starts_on=start, ends_on=end
            )


def seed(ctx: DemoContext) -> None:
    f = ctx.faker
    ep = WellbeingCounty.objects.create(name="Etelä-Pohjanmaan hyvinvointialue")
    hki = WellbeingCounty.objects.create(name="Helsingin kaupunki (sosiaali- ja terveystoimi)")
    sedu = Provider.objects.create(
        name="Koulutuskeskus Sedu", business_id="0204819-8", wellbeing_county=ep
    )
    helsinki = Provider.objects.create(
        name="Helsingin kaupunki, kasvatuksen ja koulutuksen toimiala",
        business_id="0201256-6",
        wellbeing_county=hki,
    )
    ctx.providers.update(sedu=sedu, helsinki=helsinki)
    sedu_inst = Institution.objects.create(
        provider=sedu,
        name="Sedu",
        slug="sedu",
        level=Institution.Level.VOCATIONAL,
        municipality="Seinäjoki",
    )
    lukio = Institution.objects.create(
        provider=helsinki,
        name="Etu-Töölön lukio",
        slug="etu-toolon-lukio",
        level=Institution.Level.UPPER_SECONDARY,
        municipality="Helsinki",
    )
    ctx.institutions.update(sedu=sedu_inst, lukio=lukio)
    campus_names = [
        ("seinajoki", "Sedu Seinäjoki, Koulutie", "Koulutie 2, 60100 Seinäjoki"),
        ("tornava", "Sedu Seinäjoki, Törnäväntie", "Törnäväntie 24, 60200 Seinäjoki"),
        ("lapua", "Sedu Lapua", "Kiviristintie 1, 62100 Lapua"),
        ("ilmajoki", "Sedu Ilmajoki", "Ilmajoentie 525, 60800 Ilmajoki"),
        ("kurikka", "Sedu Kurikka", "Kurikantie 4, 61300 Kurikka"),
    ]
    for key, name, address in campus_names:
        ctx.campuses[key] = Campus.objects.create(institution=sedu_inst, name=name, address=address)
    ctx.campuses["etu"] = Campus.objects.create(
        institution=lukio, name="Etu-Töölön lukio", address="Cygnaeuksenkatu 2, 00100 Helsinki"
    )
    first_year = school_year_start(ctx.today)
    seed_calendar(sedu_inst, first_year, lukio=False)
    seed_calendar(lukio, first_year, lukio=True)

    start = date(ctx.today.year - 3, 8, 1)

    def assign(user, role, provider, institution=None, campus=None):
        RoleAssignment.objects.create(
            user=user,
            role=role,
            provider=provider,
            institution=institution,
            campus=campus,
            valid_from=start,
        )

    # --- the named demo sign-ins -------------------------------------------------
    admin = ctx.sign_in(
        "admin",
        "admin",
        "Paula",
        "Pääkäyttäjä",
        role_text="provider admin (Sedu)",
        title="pääkäyttäjä",
        try_text="school calendars, administration",
    )
    assign(admin, Role.PROVIDER_ADMIN, sedu)
    grant_admin_site(admin)
    sedu.register_responsible = admin
    sedu.save(update_fields=["register_responsible"])

    rehtori = ctx.sign_in(
        "rehtori",
        "rehtori",
        "Riitta",
        "Rinne",
        role_text="koulutuspäällikkö, Sedu Seinäjoki",
        title="koulutuspäällikkö",
        try_text="welfare group, dashboards",
    )
    assign(rehtori, Role.PRINCIPAL, sedu, sedu_inst, ctx.campuses["seinajoki"])
    kuraattori = ctx.sign_in(
        "kuraattori",
        "kuraattori",
        "Kaisa",
        "Kuusela",
        role_text="kuraattori, Sedu Seinäjoki",
        title="kuraattori",
        try_text="requests, cases, records",
    )
    assign(kuraattori, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    kuraattori2 = ctx.sign_in(
        "kuraattori2",
        "kuraattori2",
        "Kalle",
        "Koskinen",
        role_text="kuraattori, Sedu Lapua",
        title="kuraattori",
        try_text="not in the demo student's group: sees no record",
    )
    assign(kuraattori2, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses["lapua"])
    psykologi = ctx.sign_in(
        "psykologi",
        "psykologi",
        "Pekka",
        "Peltola",
        role_text="psykologi, Sedu",
        title="psykologi",
        try_text="requests and bookings",
    )
    assign(psykologi, Role.PSYCHOLOGIST, sedu, sedu_inst)
    nurse = ctx.sign_in(
        "terveydenhoitaja",
        "terveydenhoitaja",
        "Tiina",
        "Tuominen",
        role_text="terveydenhoitaja, Sedu Seinäjoki",
        title="terveydenhoitaja",
        try_text="walk-in hours, bookings",
    )
    assign(nurse, Role.NURSE, sedu, sedu_inst, ctx.campuses["seinajoki"])
    opo = ctx.sign_in(
        "opo",
        "opo",
        "Olli",
        "Ojala",
        role_text="opinto-ohjaaja, Sedu Seinäjoki",
        title="opinto-ohjaaja",
        try_text="referral",
    )
    assign(opo, Role.STUDY_COUNSELLOR, sedu, sedu_inst, ctx.campuses["seinajoki"])
    eo = ctx.sign_in(
        "erityisopettaja",
        "erityisopettaja",
        "Eila",
        "Eskola",
        role_text="erityisopettaja, Sedu Seinäjoki",
        title="erityisopettaja",
        try_text="referral",
    )
    assign(eo, Role.SPECIAL_NEEDS_TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    ro = ctx.sign_in(
        "ryhmanohjaaja",
        "ryhmanohjaaja",
        "Sanna",
        "Salo",
        role_text="vastuuohjaaja of group SEI-LOG25A",
        title="opettaja, vastuuohjaaja",
        try_text="my group, care conversations",
    )
    assign(ro, Role.GROUP_SUPERVISOR, sedu, sedu_inst, ctx.campuses["seinajoki"])
    assign(ro, Role.TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    teacher = ctx.sign_in(
        "opettaja",
        "opettaja",
        "Teemu",
        "Toivonen",
        role_text="opettaja, Sedu Seinäjoki",
        title="opettaja",
        try_text="refer a student to welfare staff",
    )
    assign(teacher, Role.TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    external = ctx.sign_in(
        "ulkojasen",
        "ulkojasen",
        "Jari",
        "Jokela",
        role_text="etsivä nuorisotyö (external member)",
        title="etsivä nuorisotyöntekijä",
        try_text="welfare group membership",
    )
    assign(external, Role.EXTERNAL_MEMBER, sedu, sedu_inst)

    lukio_rehtori = ctx.sign_in(
        "etu-rehtori",
        "etu-rehtori",
        "Helena",
        "Heikkilä",
        role_text="rehtori, Etu-Töölön lukio",
        title="rehtori",
        try_text="another provider: sees nothing of Sedu",
    )
    assign(lukio_rehtori, Role.PRINCIPAL, helsinki, lukio)
    lukio_admin = ctx.sign_in(
        "etu-admin",
        "etu-admin",
        "Antti",
        "Aalto",
        role_text="provider admin (Helsinki)",
        title="pääkäyttäjä",
        try_text="Etu-Töölö calendar",
    )
    assign(lukio_admin, Role.PROVIDER_ADMIN, helsinki)
    grant_admin_site(lukio_admin)
    helsinki.register_responsible = lukio_rehtori
    helsinki.save(update_fields=["register_responsible"])
    lukio_kuraattori = ctx.sign_in(
        "etu-kuraattori",
        "etu-kuraattori",
        "Minna",
        "Mäkelä",
        role_text="kuraattori, Etu-Töölön lukio",
        title="kuraattori",
        try_text="lukio requests",
    )
    assign(lukio_kuraattori, Role.SOCIAL_WORKER, helsinki, lukio)
    lukio_nurse = User.objects.create(
        username="etu-terveydenhoitaja",
        first_name="Sari",
        last_name="Savolainen",
        title="terveydenhoitaja",
        password=ctx.password_hash,
        phone=ctx.phone(),
        email=email_address("Sari", "Savolainen"),
    )
    assign(lukio_nurse, Role.NURSE, helsinki, lukio)
    lukio_psych = User.objects.create(
        username="etu-psykologi",
        first_name="Jussi",
        last_name="Jääskeläinen",
        title="psykologi",
        password=ctx.password_hash,
        phone=ctx.phone(),
        email=email_address("Jussi", "Jääskeläinen"),
    )
    assign(lukio_psych, Role.PSYCHOLOGIST, helsinki, lukio)

    doctor = User.objects.create(
        username="laakari",
        first_name="Leena",
        last_name="Lahtinen",
        title="koululääkäri",
        password=ctx.password_hash,
        email=email_address("Leena", "Lahtinen"),
        phone=ctx.phone(),
    )
    assign(doctor, Role.DOCTOR, sedu, sedu_inst)

    # Welfare staff of the other Sedu campuses.
    for key in ("tornava", "lapua", "ilmajoki", "kurikka"):
        if key == "lapua":
            continue  # kuraattori2 works there
        first, last = f.first_name_female(), f.last_name()
        u = User.objects.create(
            username=f"kuraattori-{key}",
            first_name=first,
            last_name=last,
            title="kuraattori",
            password=ctx.password_hash,
            phone=ctx.phone(),
            email=email_address(first, last),
        )
        assign(u, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses[key])
    for key in ("tornava", "lapua", "ilmajoki", "kurikka"):
        first, last = f.first_name_female(), f.last_name()
        u = User.objects.create(
            username=f"terveydenhoitaja-{key}",
            first_name=first,
            last_name=last,
            title="terveydenhoitaja",
            password=ctx.password_hash,
            phone=ctx.phone(),
            email=email_address(first, last),
        )
        assign(u, Role.NURSE, sedu, sedu_inst, ctx.campuses[key])
        first, last = f.first_name(), f.last_name()
        p = User.objects.create(
            username=f"koulutuspaallikko-{key}",
            first_name=first,
            last_name=last,
            title="koulutuspäällikkö",
            password=ctx.password_hash,
            phone=ctx.phone(),
            email=email_address(first, last),
        )
        assign(p, Role.PRINCIPAL, sedu, sedu_inst, ctx.campuses[key])

    seed_students(ctx, ro)
    seed_partners(ctx, ep)
    seed_neighbour(ctx, ep)


def seed_partners(ctx: DemoContext, county: WellbeingCounty) -> None:
    """The organisations around Sedu (issue 20): the wellbeing county employing the welfare
    professionals, the municipal youth work with a public service on Sedu Seinäjoki, a
    parish; a community coordinator; and a municipal provider with a basic school
    (Jämsä-like, seed 002)."""
    from .. import actions

    sedu, sedu_inst = ctx.providers["sedu"], ctx.institutions["sedu"]
    seinajoki = ctx.campuses["seinajoki"]
    start = date(ctx.today.year - 3, 8, 1)
    ep = actions.save_organisation(
        Organisation(provider=sedu),
        kind=Organisation.Kind.COUNTY,
        name=county.name,
        wellbeing_county=county,
        description="Opiskeluhuollon psykologi- ja kuraattoripalvelut sekä opiskeluterveydenhuolto.",
        website="https://www.hyvaep.fi/",
        campuses=list(sedu_inst.campuses.all()),
    )
    actions.add_contact(
        ep,
        name="Heli Hautala",
        role="opiskeluhuollon palvelupäällikkö",
        phone=ctx.phone(),
        email=email_address("Heli", "Hautala"),
    )
    actions.add_agreement(
        ep,
        starts_on=date(2023, 1, 1),
        scope="Kuraattori- ja psykologipalvelut sekä opiskeluterveydenhuolto Sedun kampuksilla.",
    )
    # The county employs the welfare professionals it posts to Sedu.
    RoleAssignment.objects.filter(provider=sedu).welfare_staff().update(employer=ep)

    youth = actions.save_organisation(
        Organisation(provider=sedu),
        kind=Organisation.Kind.YOUTH_WORK,
        name="Seinäjoen kaupungin nuorisopalvelut",
        description="Koulunuorisotyö ja etsivä nuorisotyö.",
        campuses=[seinajoki],
    )
    actions.add_contact(
        youth,
        name="Jari Jokela",
        role="etsivä nuorisotyöntekijä",
        phone=ctx.phone(),
        email=email_address("Jari", "Jokela"),
    )
    actions.save_service(
        OrganisationService(organisation=youth),
        name="Koulunuorisotyö",
        description="Juttele nuorisotyöntekijän kanssa mistä vain: vapaa-aika, asuminen, raha-asiat.",
        audience="kaikki opiskelijat",
        hours="tiistaisin ja torstaisin klo 11–14 yhteisöllisessä tilassa",
    )
    actions.save_service(
        OrganisationService(organisation=youth),
        name="Etsivä nuorisotyö",
        description="Tukea alle 29-vuotiaalle, jonka opinnot ovat katkolla.",
        audience="alle 29-vuotiaat",
        hours="sopimuksen mukaan, puh. tai viesti",
    )
    actions.save_service(
        OrganisationService(organisation=youth),
        name="Verkostopalaveri henkilöstön kanssa",
        hours="kuukauden ensimmäinen maanantai",
        public=False,
    )
    actions.add_agreement(
        youth,
        starts_on=date(ctx.today.year - 1, 8, 1),
        ends_on=date(ctx.today.year + 1, 7, 31),
        scope="Koulunuorisotyö Koulutien kampuksella kahtena päivänä viikossa.",
    )
    parish = actions.save_organisation(
        Organisation(provider=sedu),
        kind=Organisation.Kind.PARISH,
        name="Seinäjoen seurakunta",
        campuses=[seinajoki, ctx.campuses["tornava"]],
    )
    actions.save_service(
        OrganisationService(organisation=parish),
        name="Oppilaitospappi",
        audience="kaikki opiskelijat",
        hours="keskiviikkoisin klo 10–13",
    )

    coordinator = ctx.sign_in(
        "yhteisokoordinaattori",
        "yhteisokoordinaattori",
        "Ylva",
        "Yli-Kokko",
        role_text="yhteisökoordinaattori, Sedu Seinäjoki",
        title="yhteisökoordinaattori",
        try_text="events, announcements, the communal space; no welfare records",
    )
    RoleAssignment.objects.create(
        user=coordinator,
        role=Role.COMMUNITY_COORDINATOR,
        provider=sedu,
        institution=sedu_inst,
        campus=seinajoki,
        valid_from=start,
    )

    # A municipal provider (Jämsä-like): basic education, TUVA and lukio planned together.
    ks = WellbeingCounty.objects.create(name="Keski-Suomen hyvinvointialue")
    jamsa = Provider.objects.create(
        name="Jämsän kaupunki", business_id="0208201-1", wellbeing_county=ks
    )
    # Kept out of `ctx`: the other seeders give every institution there students and data.
    jamsa_institutions = {}
    levels = [
        ("jamsa-yhtenainen", "Jämsän yhtenäiskoulu", Institution.Level.BASIC),
        ("jamsa-tuva", "Jämsän TUVA-koulutus", Institution.Level.PREPARATORY),
        ("jamsa-lukio", "Jämsän lukio", Institution.Level.UPPER_SECONDARY),
    ]
    for slug, name, level in levels:
        inst = Institution.objects.create(
            provider=jamsa, name=name, slug=slug, level=level, municipality="Jämsä"
        )
        jamsa_institutions[slug] = inst
        Campus.objects.create(institution=inst, name=name, address="Koulukatu 1, 42100 Jämsä")
    seed_calendar(jamsa_institutions["jamsa-yhtenainen"], school_year_start(ctx.today), lukio=True)
    jamsa_county = actions.save_organisation(
        Organisation(provider=jamsa),
        kind=Organisation.Kind.COUNTY,
        name=ks.name,
        wellbeing_county=ks,
        campuses=list(Campus.objects.filter(institution__provider=jamsa)),
    )
    first, last = "Kirsi", "Kangas"
    kuraattori = User.objects.create(
        username="jamsa-kuraattori",
        first_name=first,
        last_name=last,
        title="koulukuraattori",
        password=ctx.password_hash,
        phone=ctx.phone(),
        email=email_address(first, last),
    )
    RoleAssignment.objects.create(
        user=kuraattori,
        role=Role.SOCIAL_WORKER,
        provider=jamsa,
        institution=jamsa_institutions["jamsa-yhtenainen"],
        valid_from=start,
        employer=jamsa_county,
    )
