"""Compliance report (LAW.md L-15-4, L-25-1): met on time, medians, small cells, CSV, chart."""

from datetime import date

import pytest
from django.urls import reverse

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import AppointmentRequest
from opiskeluhuolto.appointments.reports import compliance_summary
from opiskeluhuolto.organisation.models import Role

from .conftest import at

pytestmark = pytest.mark.django_db
NOV = date(2026, 11, 1)


def _request(cast, student, *, urgent=False, by=AppointmentRequest.RequestedBy.STUDENT):
    req = actions.create_request(
        student,
        service=Role.SOCIAL_WORKER,
        requested_by=by,
        channel=AppointmentRequest.Channel.ONLINE,
        actor=cast.kuraattori,
    )
    if urgent:
        req = actions.set_urgency(req, urgent=True, actor=cast.kuraattori)
    return req


@pytest.fixture
def history(hours, time_machine):
    """Monday 9.11.: three normal requests and one urgent; on 20.11. the picture is decided."""
    cast = hours
    met = _request(cast, cast.aino)
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 11), 9),
        actor=cast.kuraattori,
        request=met,
    )
    late = _request(cast, cast.onni)
    time_machine.move_to(at(date(2026, 11, 19), 8), tick=False)
    actions.book(
        student=cast.onni,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 20), 9),
        actor=cast.kuraattori,
        request=late,
    )
    time_machine.move_to(at(date(2026, 11, 9), 8), tick=False)
    _request(cast, cast.aino)  # never given a time: overdue on 19.11.
    # A guardian's contact closed as advice only, by its deadline: met, and counted (L-15-5).
    closed = _request(cast, cast.onni, by=AppointmentRequest.RequestedBy.GUARDIAN)
    actions.close_request(closed, reason="advice_only", actor=cast.kuraattori)
    urgent = _request(cast, cast.aino, urgent=True)
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(date(2026, 11, 10), 10, 30),
        actor=cast.kuraattori,
        request=urgent,
    )
    time_machine.move_to(at(date(2026, 11, 20), 12), tick=False)
    return cast


def test_compliance_summary_counts_met_and_missed(history):
    rows = compliance_summary(institution_ids=[history.lukio.pk], start=NOV, end=date(2026, 11, 30))
    assert rows == [
        {
            "month": NOV,
            "urgent": False,
            "total": 4,
            "met": 2,
            "share_met": pytest.approx(1 / 2),
            "median_working_days_to_first_offer": 5.5,
        },
        {
            "month": NOV,
            "urgent": True,
            "total": 1,
            "met": 1,
            "share_met": 1.0,
            "median_working_days_to_first_offer": 1.0,
        },
    ]


def test_other_institutions_and_months_are_left_out(history):
    assert (
        compliance_summary(institution_ids=[history.amis.pk], start=NOV, end=date(2026, 11, 30))
        == []
    )
    assert (
        compliance_summary(
            institution_ids=[history.lukio.pk], start=date(2026, 12, 1), end=date(2026, 12, 31)
        )
        == []
    )


def test_report_hides_small_cells_from_the_principal(history, client):
    client.force_login(history.rehtori)
    response = client.get(reverse("appointments:report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "piilotettu" in html
    assert "Aino" not in html and "Onni" not in html
    client.force_login(history.kuraattori)
    html = client.get(reverse("appointments:report"), {"by": "professional"}).content.decode()
    assert "Erittely: työntekijä" in html
    assert "<td>Kaisa Kuraattori</td>" in html
    assert "piilotettu" not in html
    assert "data:image/svg+xml;base64," in html


def test_csv_export(history, client):
    client.force_login(history.kuraattori)
    response = client.get(reverse("appointments:report_csv"), {"by": "institution"})
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("yksikkö;kuukausi")
    assert "Etu-Töölön lukio;2026-11;tavallinen;4;2;50.0;5.5" in lines
    client.force_login(history.rehtori)
    text = client.get(reverse("appointments:report_csv")).content.decode("utf-8-sig")
    assert ";<5;<5;" in text
