"""A development project's results: the indicators at its start and end, as a page, a PDF
and JSON."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opiskeluhuolto.access import projects as access
from opiskeluhuolto.projects.results import results

from .conftest import make_project

pytestmark = pytest.mark.django_db


def test_results_are_the_indicator_at_the_start_and_the_end(cast):
    project = make_project(cast)
    first, second = results(project)
    assert (first["start"], first["end"], first["change"]) == (20, 45, 25)
    assert first["measures"] == ["Tila avataan kumppaneille", "Kumppanien palveluajat näkyviin"]
    assert second["indicator"] is None and second["start"] is None


def test_the_api_and_the_pdf(client, cast):
    project = make_project(cast)
    client.force_login(cast.external)
    body = client.get(reverse("api:projects-results", kwargs={"project_id": project.pk})).json()
    assert body["partners"] == ["Nuorisopalvelut", "Hyvinvointialue"]
    assert body["goals"][0]["end"] == 45
    pdf = client.get(reverse("projects:results_pdf", args=[project.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    page = client.get(reverse("projects:project", args=[project.pk])).content.decode()
    assert "Kumppanit käyttävät yhteisöllistä tilaa" in page


def test_the_list_scope_matches_the_rule(cast):
    from opiskeluhuolto.access import for_user

    project = make_project(cast)
    for name in (
        "admin",
        "rehtori",
        "kuraattori_out",
        "external",
        "student",
        "outsider",
        "teacher",
    ):
        user = cast.users[name]
        listed = project in access.projects_visible_to(user)
        assert listed == for_user(user).view_project(project), name


def test_a_small_cell_is_not_shown_and_a_campus_project_reads_its_campus(cast):
    from opiskeluhuolto.meetings.models import DataPoint

    project = make_project(cast)
    goal = project.goals.get(order=0)
    project.campus = cast.lukio_campus
    project.save()
    year = cast.today.year
    for y, value, respondents in [(year - 1, 30, 4), (year, 50, 80)]:
        DataPoint.objects.create(
            indicator=goal.indicator,
            institution=cast.lukio,
            campus=cast.lukio_campus,
            year=y,
            value=value,
            respondents=respondents,
        )
    first = results(project)[0]
    assert (first["start"], first["end"], first["change"]) == (None, 50, None)
