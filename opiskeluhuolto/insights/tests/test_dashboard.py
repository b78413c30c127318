"""Dashboards: aggregates in the person's units, small cells hidden, constant query counts,
CSV, SVG and PDF exports, and the API."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date

import pytest
from django.urls import reverse

from opiskeluhuolto.front.services import current_break
from opiskeluhuolto.imports.tests.helpers import (
    MARKS_HEADER,
    fi,
    import_text,
    school_days_before,
    seed_absences,
)
from opiskeluhuolto.insights import actions, charts
from opiskeluhuolto.organisation.models import Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(cast):
    seed_absences(cast)
    actions.run_early_warning(cast.lukio, today=cast.today)
    return cast


def more_students(cast, n: int) -> None:
    """n more students with a week of marks, to show that query counts stay the same."""
    base = 1_000
    students = [
        Student(
            institution=cast.lukio,
            campus=cast.lukio_campus,
            group=cast.group,
            first_name="Lisä",
            last_name=f"Opiskelija{i}",
            date_of_birth=date(2009, 1, 1),
            oppijanumero=f"1.2.246.562.24.{base + i:011d}",
        )
        for i in range(n)
    ]
    Student.objects.bulk_create(students)
    rows = [
        f"{s.oppijanumero};{fi(d)};{lesson};MAA01;{'X' if lesson == 1 else '+'}\n"
        for s in students
        for d in school_days_before(cast.today, 3)
        for lesson in range(1, 4)
    ]
    run = import_text(
        cast.lukio, MARKS_HEADER + "".join(rows), kind="attendance", today=cast.today, name="m.csv"
    )
    assert run.status == "succeeded", run.errors


def test_rehtori_sees_the_charts_and_tables(client, seeded):
    client.force_login(seeded.rehtori)
    page = client.get(reverse("insights:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="application/json"' in html and "spec-trend" in html
    assert "Etu-Töölö" in html
    assert "<script>" not in html  # no inline script: CSP


def test_small_cells_are_hidden(client, cast):
    """One student with absences is a cell of one: the figures are not shown."""
    from opiskeluhuolto.imports.tests.helpers import AINO, give_learner_ids

    give_learner_ids(cast)
    rows = "".join(f"{AINO};{fi(d)};1;ENA01;X\n" for d in school_days_before(cast.today, 3))
    import_text(cast.lukio, MARKS_HEADER + rows, kind="attendance", today=cast.today)
    client.force_login(cast.rehtori)
    csv = client.get(reverse("insights:export_csv"), {"chart": "trend"}).content.decode("utf-8-sig")
    assert "fewer than 5" in csv or "alle 5" in csv
    assert "100.0" not in csv


def test_dashboard_query_count_does_not_grow_with_the_data(
    client, seeded, django_assert_num_queries
):
    from django.core.cache import cache

    client.force_login(seeded.rehtori)
    client.get(reverse("insights:dashboard"))  # warm the session
    cache.clear()
    current_break()  # the service-break notice has its own cache: count the dashboard's
    # Cold: the person's facts too (access.facts, each read when first asked for); per
    # absence aggregate one check that whole months cover the period, and the rollup
    # queries (distinct students: the presence counts of those who stayed plus the
    # movers' own rows), group names apart (docs/knowledge-management.md, Storage).
    with django_assert_num_queries(25) as ctx:
        client.get(reverse("insights:dashboard"))
    before = len(ctx.captured_queries)
    more_students(seeded, 40)
    cache.clear()
    current_break()
    with django_assert_num_queries(before):
        client.get(reverse("insights:dashboard"))


def test_aggregates_are_cached_until_the_data_changes(client, seeded):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(seeded.rehtori)
    url = reverse("insights:dashboard")
    client.get(url)  # the first request after signing in writes the session
    cache.clear()
    current_break()  # the service-break notice is cached apart from the dashboard's figures
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as warm:
        html = client.get(url).content.decode()
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert "24A" in html
    more_students(seeded, 5)  # a new import: the figures are computed again
    with CaptureQueriesContext(connection) as fresh:
        client.get(url)
    assert len(fresh.captured_queries) == len(cold.captured_queries)


def _panels(html: str) -> str:
    return html.split('<div class="panels">', 1)[1].split('</div>\n<p class="muted">', 1)[0]


def test_cached_panels_follow_the_language_the_filter_and_new_data(client, seeded):
    """The chart panels are rendered once and cached: the cache must still answer for
    each language and filter, and a new import must show at once."""
    from django.conf import settings
    from django.utils import translation

    client.force_login(seeded.rehtori)
    url = reverse("insights:dashboard")
    first = _panels(client.get(url).content.decode())
    assert _panels(client.get(url).content.decode()) == first  # now from the cache
    with translation.override("sv"):
        swedish = translation.gettext("Show as a table")
    assert swedish != "Show as a table" and swedish not in first
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert swedish in _panels(client.get(url).content.decode())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    same_period = _panels(client.get(url, {"period": "current"}).content.decode())
    assert "period=current" in same_period and "period=current" not in first
    more_students(seeded, 5)  # a new import: the tables are rendered again
    assert _panels(client.get(url).content.decode()) != first


def test_csv_export(client, seeded):
    client.force_login(seeded.admin)
    response = client.get(reverse("insights:export_csv"), {"chart": "groups"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Ryhmä;") or text.splitlines()[0].startswith("Group;")
    assert "24A" in text
    assert client.get(reverse("insights:export_csv"), {"chart": "nope"}).status_code == 404


def test_svg_download(client, seeded):
    client.force_login(seeded.rehtori)
    response = client.get(reverse("insights:chart_svg"), {"chart": "trend"})
    assert response.status_code == 200
    assert response.content.lstrip().startswith(b"<svg")


def test_pdf_report_for_the_steering_group(client, seeded):
    client.force_login(seeded.rehtori)
    response = client.get(reverse("insights:report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(response.content)
        f.flush()
        text = subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert "24A" in text
    assert "Opiskelija, Aino" not in text  # aggregates only


def test_api_trend_and_tasks(client, seeded):
    client.force_login(seeded.rehtori)
    rows = client.get(reverse("api:insights-trend")).json()
    assert rows and {"month", "unit", "absent_pct", "hidden"} <= set(rows[0])
    client.force_login(seeded.supervisor)
    tasks = client.get(reverse("api:insights-tasks")).json()
    assert any(t["student_name"] == "Aino Opiskelija" for t in tasks)


def test_teacher_has_no_dashboard(client, seeded):
    client.force_login(seeded.teacher)
    assert client.get(reverse("insights:dashboard")).status_code == 404


def test_campus_grant_sees_only_its_campus(seeded):
    from opiskeluhuolto.access import for_user

    scope = for_user(seeded.nurse).dashboard_scope()  # the nurse's role is tied to a campus
    assert scope.campus_ids == {seeded.lukio_campus.pk}
    assert not scope.institution_ids


def test_rehtori_home_panel_shows_absence_trends(client, seeded):
    client.force_login(seeded.rehtori)
    html = client.get(reverse("front:home")).content.decode()
    assert reverse("insights:dashboard") in html


def test_a_chart_carries_no_english_descriptions_of_its_own():
    """Vega described each axis in English ("Y-axis titled …") on Finnish and Swedish pages
    and in the downloaded SVG; the chart's title and table describe it instead."""
    values = [{"month": "2026-09", "pct": 5.0, "unit": "Koulutie"}]
    spec = charts._line(values, "month", "pct", "unit", ("Kuukausi", "Poissa", "Kampus"))
    chart = charts.Chart("trend", "Poissaolot", spec, [], [])
    svg = charts.to_svg(chart.spec)
    assert "titled" not in svg
    assert "Kuukausi" in svg
    # Without their descriptions the marks must leave the accessibility tree too: a mark
    # with a role and no name is what axe refuses (svg-img-alt) on the dashboard.
    assert 'role="graphics-symbol"' not in svg
    assert "mark container" not in svg.replace("group mark container", "")
