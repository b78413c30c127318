"""The member providers' indicators compared for the regional plan (§13a, issue 20): one
cell per provider, small cells hidden by the one rule, the region's figure only when no
cell of the row is hidden; and the demo's regional plan."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.insights.regional import comparison
from opiskeluhuolto.meetings import actions, hierarchy, regional_plan
from opiskeluhuolto.meetings.models import DataPoint, Group, Indicator, WelfarePlan
from opiskeluhuolto.organisation.models import Campus, Institution, Provider

pytestmark = pytest.mark.django_db


def _indicator(provider, code="yksinaisyys", target=10.0):
    return Indicator.objects.create(
        provider=provider,
        code=code,
        name="Yksinäisyys",
        unit="%",
        direction="lower",
        target=target,
        source="khk",
    )


def _point(indicator, institution, year, value, n, campus=None):
    DataPoint.objects.create(
        indicator=indicator,
        institution=institution,
        campus=campus,
        year=year,
        value=value,
        respondents=n,
    )


@pytest.fixture
def region(cast):
    neighbour = Provider.objects.create(
        name="Läänin kaupunki", wellbeing_county=cast.provider.wellbeing_county
    )
    inst = Institution.objects.create(
        provider=neighbour, name="Läänin lukio", slug="laani", level="upper_secondary"
    )
    group = actions.create_group(
        by=cast.users["admin"],
        provider=cast.provider,
        kind=Group.Kind.REGIONAL,
        name="Alueellinen ryhmä",
        chair=cast.users["kuraattori"],
    )
    hierarchy.set_member_providers(group, [neighbour], by=cast.users["admin"])
    plan = regional_plan.create_regional_plan(group, by=cast.users["kuraattori"], title="Alue")
    return plan, neighbour, inst


def test_cells_per_provider_weighted_and_small_cells_hidden(cast, region):
    plan, neighbour, inst = region
    own = _indicator(cast.provider)
    theirs = _indicator(neighbour)
    other_county = _indicator(cast.other_provider)
    # The cast's provider: two campuses of the lukio (weighted), the amis's own figure.
    campus2 = Campus.objects.create(institution=cast.lukio, name="Toinen")
    _point(own, cast.lukio, 2025, 10.0, 100, campus=cast.lukio_campus)
    _point(own, cast.lukio, 2025, 20.0, 100, campus=campus2)
    _point(own, cast.amis, 2025, 40.0, 200)
    _point(own, cast.amis, 2025, 99.0, 50, campus=cast.amis_campus)  # the amis's own wins
    _point(own, cast.lukio, 2024, 1.0, 100, campus=cast.lukio_campus)  # an older year
    _point(theirs, inst, 2025, 8.0, 4)  # a small cell
    _point(other_county, cast.other_institution, 2026, 50.0, 500)  # not a member
    providers, rows = comparison(plan)
    assert providers == [neighbour, cast.provider]  # by name
    [row] = rows
    assert row.year == 2025
    small, mine = row.cells
    assert small["hidden"] and small["value"] is None and small["respondents"] is None
    assert not mine["hidden"] and mine["value"] == 27.5 and mine["respondents"] == 400
    assert mine["meets"] is False
    # A hidden cell: no region figure, which would give it away with the other cells.
    assert row.region is None
    DataPoint.objects.filter(indicator=theirs).update(respondents=100)
    [row] = comparison(plan)[1]
    assert row.cells[0]["value"] == 8.0 and row.cells[0]["meets"] is True
    assert row.region == 23.6  # (8 × 100 + 27.5 × 400) / 500


def test_a_provider_without_the_indicator_shows_no_data(cast, region):
    plan, neighbour, _inst = region
    _point(_indicator(cast.provider), cast.lukio, 2025, 12.0, 80)
    [row] = comparison(plan)[1]
    theirs, mine = row.cells
    assert theirs["value"] is None and not theirs["hidden"]
    assert mine["value"] == 12.0
    assert row.region == 12.0


def test_demo_regional_plan_is_published_with_references_and_comparison():
    call_command("seed_demo", "--students", "20", stdout=io.StringIO())
    plan = WelfarePlan.objects.get(kind="regional")
    assert plan.group.name.startswith("Alueellinen") and plan.group.county.name.startswith(
        "Etelä-Pohjanmaan"
    )
    published = plan.versions.get(status="published")
    references = list(published.references.all())
    assert {r.kind for r in references} == {"provider_plan", "municipal"}
    assert len({r.plan.provider_id for r in references if r.plan}) == 2
    assert regional_plan.shared_goals(references)[0].shared_with == [r.title for r in references]
    providers, rows = comparison(plan)
    assert len(providers) == 2
    assert any(c["hidden"] for row in rows for c in row.cells)
    assert any(c["value"] is not None for row in rows for c in row.cells)
    # Seinäjoen kaupunki's principal reads the published plan and the comparison.
    from opiskeluhuolto.accounts.models import User

    client = Client(HTTP_ACCEPT_LANGUAGE="fi")
    client.force_login(User.objects.get(username="sjk-rehtori"))
    page = client.get(reverse("meetings:plan_version", args=[published.pk])).content.decode()
    assert "Seinäjoen kaupungin hyvinvointisuunnitelma" in page
    page = client.get(reverse("insights:regional_comparison", args=[plan.pk])).content.decode()
    assert "piilotettu (pieni ryhmä)" in page
