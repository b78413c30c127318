"""The organisations around Sedu (issue 20) and a municipal provider (Jämsä-like)."""

from __future__ import annotations

from datetime import date

from opiskeluhuolto.accounts.models import User

from ..models import (
    Campus,
    Institution,
    Organisation,
    OrganisationService,
    Provider,
    Role,
    RoleAssignment,
    WellbeingCounty,
)
from .cast import DemoContext, email_address, school_year_start
from .places import seed_calendar


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
