"""Indicators: CSV import all or nothing, small cells hidden, the trend chart."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opiskeluhuolto.meetings import goals
from opiskeluhuolto.meetings.models import DataPoint, Indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(cast):
    return Indicator.objects.create(
        provider=cast.provider,
        code="yksinaisyys",
        name="Yksinäisyyttä kokevien osuus",
        unit="%",
        direction="lower",
        target=10,
        source="khk",
    )


GOOD = "indicator;institution;campus;year;value;respondents\nyksinaisyys;etu-toolo;;2023;14,2;180\nyksinaisyys;etu-toolo;Etu-Töölö;2025;11,5;4\n"


def test_import_writes_all_rows(cast, indicator):
    result = goals.import_csv(cast.provider, GOOD.encode(), by=cast.admin)
    assert result.errors == [] and result.written == 2
    assert DataPoint.objects.get(year=2023).value == 14.2


def test_import_is_all_or_nothing_with_line_numbers(cast, indicator):
    bad = (
        GOOD
        + "tuntematon;etu-toolo;;2024;1;100\nyksinaisyys;etu-toolo;;kaksi;1;100\nyksinaisyys;naapuri;;2024;1;100\n"
    )
    result = goals.import_csv(cast.provider, bad.encode(), by=cast.admin)
    assert result.written == 0
    assert [line for line, _m in result.errors] == [4, 5, 6]
    assert DataPoint.objects.count() == 0  # the good lines were not written either


def test_import_reports_missing_columns_and_duplicates(cast, indicator):
    assert goals.import_csv(cast.provider, b"indicator,year\n", by=cast.admin).errors[0][0] == 1
    dup = GOOD + "yksinaisyys;etu-toolo;;2023;13;150\n"
    assert goals.import_csv(cast.provider, dup.encode(), by=cast.admin).errors == [
        (4, "Sama mittari, yksikkö ja vuosi ovat tiedostossa kahdesti.")
    ]


def test_small_cells_are_hidden_in_the_chart_and_the_table(client, cast, indicator):
    goals.import_csv(cast.provider, GOOD.encode(), by=cast.admin)
    points = list(indicator.points.select_related("institution", "campus"))
    chart = goals.chart(indicator, points)
    assert [p[2] for s in chart.series for p in s.points] == [2023]
    client.force_login(cast.rehtori)
    body = client.get(
        reverse("meetings:indicator", args=[indicator.pk]), HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert "piilotettu: alle 5 vastaajaa" in body
    assert "11.5" not in body and "11,5" not in body
    assert "<svg" in body and "2023: 14,2</title>" in body
    # The chart's words and numbers are in the reader's language (its coordinates are not).
    labels = re.findall(r'class="chart-label"[^>]*>([^<]*)</text>', body)
    assert labels and not [x for x in labels if re.search(r"\d\.\d", x)], labels
    assert any(re.search(r"\d,\d", x) for x in labels), labels


def test_import_page_shows_line_numbered_errors(client, cast, indicator):
    client.force_login(cast.admin)
    upload = SimpleUploadedFile("tulokset.csv", (GOOD + "x;etu-toolo;;2024;1;1\n").encode())
    body = client.post(
        reverse("meetings:indicators_import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert "Rivi 4" in body and "Mitään ei tallennettu" in body
    assert DataPoint.objects.count() == 0


def test_an_indicator_with_a_target_draws_it_and_says_whether_it_is_met(client, cast, indicator):
    goals.import_csv(cast.provider, GOOD.encode(), by=cast.admin)
    client.force_login(cast.rehtori)
    body = client.get(
        reverse("meetings:indicator", args=[indicator.pk]), HTTP_ACCEPT_LANGUAGE="fi"
    ).content.decode()
    assert 'class="chart-target"' in body and "badge--warn" in body  # 14,2 % > 10 %
    indicator.target = None
    indicator.save()
    chart = goals.chart(indicator, list(indicator.points.all()))
    assert chart is not None and chart.target_y is None
