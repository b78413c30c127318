"""Demo development project (seed 004, Luksia's project, here on Sedu's Koulutie campus):
goals and measures linked to the plan's indicators, partners, and results for the funder."""

from __future__ import annotations

from datetime import date

from opiskeluhuolto.meetings.models import Indicator
from opiskeluhuolto.organisation.demo.cast import DemoContext

from ..models import Goal, Project

GOALS = [
    (
        "yksinaisyys",
        "Yksinäisyyden ja ostrakismin kokemukset vähenevät",
        "Yhteisöllinen tila Olkkari avataan opiskelijoille ja kumppaneille\n"
        "Ryhmäytyminen jokaisen ryhmän alussa",
    ),
    (
        "hyvinvointi",
        "Opiskelijoiden koettu hyvinvointi nousee",
        "Nuorisotyön ja Ohjaamon säännölliset palveluajat kampuksella\n"
        "Yhteisökoordinaattori kokoaa toiminnan",
    ),
    (
        "keskeyttamiset",
        "Keskeytykset ja eroamiset vähenevät",
        "Etsivä nuorisotyö tavoittaa opintonsa keskeyttämässä olevat",
    ),
    (None, "Kumppanit käyttävät tilaa", "Kumppanien palveluajat näkyviin tilan sivulle"),
    (None, "Opiskelijat käyttävät tilaa", "Kävijämäärät lasketaan päivittäin"),
]


def seed(ctx: DemoContext) -> None:
    year = ctx.today.year
    project = Project.objects.create(
        provider=ctx.providers["sedu"],
        institution=ctx.institutions["sedu"],
        campus=ctx.campuses["seinajoki"],
        name="Yhdessä hyvinvointia – yhteisöllisen opiskeluhuollon kehittämishanke",
        funder="Opetushallitus",
        starts_on=date(year - 3, 8, 1),
        ends_on=date(year - 1, 12, 31),
        coordinator=ctx.users.get("rehtori"),
        partners="Seinäjoen kaupungin nuorisopalvelut\nOhjaamo Seinäjoki\n"
        "Etelä-Pohjanmaan hyvinvointialue\nSeinäjoen seurakunta",
        description=(
            "Hanke avaa kampuksen yhteisöllisen tilan kumppaneille, tuo nuorisotyön ja "
            "hyvinvointialueen palvelut opiskelijoiden arkeen ja seuraa, käyttävätkö "
            "kumppanit ja opiskelijat tilaa."
        ),
    )
    indicators = {i.code: i for i in Indicator.objects.filter(provider=ctx.providers["sedu"])}
    Goal.objects.bulk_create(
        Goal(
            project=project,
            order=n,
            text=text,
            measures=measures,
            indicator=indicators.get(code) if code else None,
        )
        for n, (code, text, measures) in enumerate(GOALS)
    )
