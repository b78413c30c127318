"""A second provider of Etelä-Pohjanmaan hyvinvointialue for the regional cooperation
group (issue 20): a municipal lukio whose principal sits in the county's group.

Kept out of `ctx.providers` and `ctx.institutions`: the other seeders give every provider
and institution there students and data; this one only needs its people.
"""

from __future__ import annotations

from datetime import date

from ..models import Campus, Institution, Provider, Role, RoleAssignment, WellbeingCounty
from .cast import DemoContext

NEIGHBOUR_BUSINESS_ID = "0177736-4"


def seed_neighbour(ctx: DemoContext, county: WellbeingCounty) -> Provider:
    provider = Provider.objects.create(
        name="Seinäjoen kaupunki", business_id=NEIGHBOUR_BUSINESS_ID, wellbeing_county=county
    )
    lukio = Institution.objects.create(
        provider=provider,
        name="Seinäjoen lukio",
        slug="seinajoen-lukio",
        level=Institution.Level.UPPER_SECONDARY,
        municipality="Seinäjoki",
    )
    Campus.objects.create(
        institution=lukio, name="Seinäjoen lukio", address="Vapaudentie 47, 60100 Seinäjoki"
    )
    rehtori = ctx.sign_in(
        "sjk-rehtori",
        "sjk-rehtori",
        "Sari",
        "Saarinen",
        role_text="rehtori, Seinäjoen lukio (another provider of the county)",
        title="rehtori",
        try_text="the county's regional welfare group; no Sedu student is visible",
    )
    RoleAssignment.objects.create(
        user=rehtori,
        role=Role.PRINCIPAL,
        provider=provider,
        institution=lukio,
        valid_from=date(ctx.today.year - 2, 8, 1),
    )
    return provider
