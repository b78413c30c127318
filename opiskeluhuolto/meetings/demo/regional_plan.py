"""Demo: Etelä-Pohjanmaan hyvinvointialue's regional welfare plan (§13a, issue 20).

Published, prepared by the county's regional group; built on Sedu's plan, the plan of
Seinäjoen kaupunki's lukio and the city's wellbeing plan (a link), with the goals they
share; Seinäjoen kaupunki's indicators beside Sedu's for the comparison (one small cell).
"""

from __future__ import annotations

from datetime import timedelta

from opiskeluhuolto.organisation.models import Institution

from .. import plans, regional_plan
from ..models import DataPoint, Group, Indicator, WelfarePlan

REGIONAL_TEXT = {
    "goals": "Etelä-Pohjanmaan hyvinvointialue ja alueen koulutuksen järjestäjät edistävät yhdessä opiskelijoiden oppimista, hyvinvointia ja osallisuutta. Painopisteet valtuustokaudella: yksinäisyyden väheneminen, kiusaamisen ehkäisy ja keskeyttämisten väheneminen.",
    "cooperation": "Alueellinen opiskeluhuollon yhteistyöryhmä kokoontuu neljä kertaa vuodessa. Kuraattorit ja psykologit ovat hyvinvointialueen palveluksessa ja työskentelevät oppilaitosten yhteisöllisissä ryhmissä.",
    "need": "Kokonaistarve arvioidaan jäsenjärjestäjien indikaattoreista (Kouluterveyskysely, Arvo, opiskelijarekisteri) ja palvelujen saatavuudesta. Yksinäisyyttä kokevien osuus on yli tavoitteen kaikilla järjestäjillä.",
    "resources": "Kuraattori- ja psykologiresurssi kohdennetaan opiskelijamäärän ja arvioidun tarpeen mukaan; mitoitus tarkistetaan vuosittain yhteistyöryhmässä.",
    "follow_up": "Yhteistyöryhmä seuraa suunnitelman toteutumista jokaisessa kokouksessa ja lähettää jatkotoimet jäsenjärjestäjien ohjausryhmille.",
    "languages": "Palvelut järjestetään suomeksi; ruotsinkielinen palvelu järjestetään pyydettäessä yhteistyössä naapurialueiden kanssa.",
}

SHARED = [
    "Yksinäisyyttä kokevien osuus vähenee",
    "Kiusaaminen vähenee",
    "Keskeyttämiset vähenevät",
]


def _neighbour_plan(ctx, neighbour, lukio) -> WelfarePlan:
    rehtori = ctx.users["sjk-rehtori"]
    plan = plans.create_plan(
        by=rehtori,
        provider=neighbour,
        title="Seinäjoen lukion opiskeluhuoltosuunnitelma",
        institutions=[lukio],
    )
    version = plan.versions.get()
    for section in version.sections.all():
        version.refresh_from_db()
        plans.edit_section(
            section,
            by=rehtori,
            lock=version.lock,
            body=f"{section.title}: Seinäjoen lukiossa opiskeluhuolto on ensisijaisesti yhteisöllistä ja ennaltaehkäisevää.",
        )
    version.refresh_from_db()
    plans.approve_and_publish(
        version,
        by=rehtori,
        approved_on=ctx.today - timedelta(days=500),
        approved_by_body="Seinäjoen kaupungin sivistyslautakunta",
    )
    return plan


def _neighbour_indicators(ctx, neighbour, lukio) -> None:
    year = ctx.today.year
    specs: list[tuple] = [
        # code, name, unit, direction, target, source, (year, value, respondents)...
        (
            "yksinaisyys",
            "Yksinäisyyttä kokevien osuus",
            "%",
            "lower",
            10.0,
            "khk",
            [(year - 3, 13.1, 310), (year - 1, 12.2, 296)],
        ),
        (
            "hyvinvointi",
            "Koettu hyvinvointi (1–5)",
            "1–5",
            "higher",
            4.0,
            "arvo",
            [(year - 2, 3.8, 140), (year - 1, 3.9, 4)],
        ),  # the latest: a small cell
        (
            "keskeyttamiset",
            "Keskeyttäneiden ja eronneiden osuus",
            "%",
            "lower",
            5.0,
            "register",
            [(year - 2, 4.6, None), (year - 1, 4.2, None)],
        ),
    ]
    for code, name, unit, direction, target, source, points in specs:
        indicator = Indicator.objects.create(
            provider=neighbour,
            code=code,
            name=name,
            unit=unit,
            direction=direction,
            target=target,
            source=source,
        )
        DataPoint.objects.bulk_create(
            DataPoint(indicator=indicator, institution=lukio, year=y, value=v, respondents=n)
            for y, v, n in points
        )


def seed_regional_plan(ctx, regional: Group, neighbour) -> WelfarePlan:
    chair = ctx.users["psykologi"]
    lukio = Institution.objects.get(provider=neighbour, slug="seinajoen-lukio")
    neighbour_plan = _neighbour_plan(ctx, neighbour, lukio)
    _neighbour_indicators(ctx, neighbour, lukio)
    sedu_plan = WelfarePlan.objects.get(title="Sedun opiskeluhuoltosuunnitelma")
    plan = regional_plan.create_regional_plan(
        regional, by=chair, title="Etelä-Pohjanmaan alueellinen opiskeluhuoltosuunnitelma"
    )
    version = plan.versions.get()
    for section in version.sections.all():
        version.refresh_from_db()
        plans.edit_section(section, by=chair, body=REGIONAL_TEXT[section.key], lock=version.lock)
    regional_plan.add_reference(
        version, by=chair, kind="provider_plan", plan=sedu_plan, shared_goals=SHARED
    )
    regional_plan.add_reference(
        version, by=chair, kind="provider_plan", plan=neighbour_plan, shared_goals=SHARED[:2]
    )
    regional_plan.add_reference(
        version,
        by=chair,
        kind="municipal",
        title="Seinäjoen kaupungin hyvinvointisuunnitelma ja -kertomus",
        url="https://www.seinajoki.fi/",
        shared_goals=[SHARED[0], "Nuorten harrastusmahdollisuudet paranevat"],
    )
    version.refresh_from_db()
    plans.record_participation(
        version,
        by=chair,
        participant="students",
        description="Alueen opiskelijakuntien edustajat kuultiin yhteistyöryhmässä",
        on=ctx.today - timedelta(days=120),
    )
    plans.approve_and_publish(
        version,
        by=chair,
        approved_on=ctx.today - timedelta(days=90),
        approved_by_body="Etelä-Pohjanmaan hyvinvointialueen aluevaltuusto",
    )
    return plan
