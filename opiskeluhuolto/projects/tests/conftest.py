from __future__ import annotations

from datetime import date


def make_project(cast):
    from opiskeluhuolto.meetings.models import DataPoint, Indicator
    from opiskeluhuolto.projects.models import Goal, Project

    year = cast.today.year
    project = Project.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        name="Yhdessä hyvinvointia -hanke",
        funder="Opetushallitus",
        starts_on=date(year - 1, 8, 1),
        ends_on=date(year, 12, 31),
        coordinator=cast.users["teacher"],
        partners="Nuorisopalvelut\nHyvinvointialue",
    )
    indicator = Indicator.objects.create(
        provider=cast.provider,
        code="hanke-tila",
        name="Kumppanit käyttävät tilaa",
        unit="%",
        direction="higher",
        target=50,
        source="own",
    )
    DataPoint.objects.create(indicator=indicator, institution=cast.lukio, year=year - 1, value=20)
    DataPoint.objects.create(indicator=indicator, institution=cast.lukio, year=year, value=45)
    Goal.objects.create(
        project=project,
        text="Kumppanit käyttävät yhteisöllistä tilaa",
        measures="Tila avataan kumppaneille\nKumppanien palveluajat näkyviin",
        indicator=indicator,
    )
    Goal.objects.create(project=project, order=1, text="Opiskelijat käyttävät tilaa")
    return project
