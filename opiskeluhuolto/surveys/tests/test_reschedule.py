"""Rescheduling: those who run a planned or open survey move its window and results date;
audited in the one audit trail; nobody else, and never after closing or release."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opiskeluhuolto.access.permissions import for_user
from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.surveys import actions

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _dates(survey):
    survey.refresh_from_db()
    return survey.opens_on, survey.closes_on, survey.results_on


def test_who_may_reschedule(open_survey, sv, cast):
    assert for_user(sv.kuraattori).reschedule_survey(open_survey)
    assert for_user(cast.users["rehtori"]).reschedule_survey(open_survey)
    for name in ("teacher", "kuraattori_out", "guardian", "outsider"):
        assert not for_user(cast.users[name]).reschedule_survey(open_survey), name
    assert not for_user(sv.users[0]).reschedule_survey(open_survey)  # invited student


def test_the_owner_moves_an_open_survey_and_it_is_audited(open_survey, sv):
    opens, closes, _results = _dates(open_survey)
    new_close, new_results = closes + timedelta(days=7), closes + timedelta(days=30)
    actions.reschedule(
        open_survey, by=sv.kuraattori, opens_on=opens, closes_on=new_close,
        results_on=new_results, today=sv.today,
    )  # fmt: skip
    assert _dates(open_survey) == (opens, new_close, new_results)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SURVEY_RESCHEDULED)
    assert event.actor_id == sv.kuraattori.pk and event.object_id == open_survey.pk
    assert event.after["closes_on"] == new_close.isoformat()
    assert event.before["closes_on"] == closes.isoformat()


@pytest.mark.parametrize(
    "change",
    [
        {"opens_on": 3, "closes_on": 8},  # an open survey cannot open later than today
        {"opens_on": -9, "closes_on": -2},  # the window would end before today
        {"opens_on": 0, "closes_on": 5, "results_on": 2},  # results before closing
        {"opens_on": 2, "closes_on": 1},  # closes before it opens
    ],
)
def test_bad_dates_are_refused_and_nothing_changes(open_survey, sv, change):
    before = _dates(open_survey)
    days = {k: sv.today + timedelta(days=v) for k, v in change.items()}
    with pytest.raises(ValidationError):
        actions.reschedule(open_survey, by=sv.kuraattori, today=sv.today, **days)
    assert _dates(open_survey) == before
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SURVEY_RESCHEDULED).exists()


def test_a_planned_survey_may_open_later(sv, cast):
    survey = actions.create_from_template("bullying", sv.group, by=sv.kuraattori)
    later = sv.today + timedelta(days=30)
    actions.reschedule(
        survey, by=sv.kuraattori, opens_on=later, closes_on=later + timedelta(days=13),
        today=sv.today,
    )  # fmt: skip
    assert _dates(survey)[0] == later
    assert _dates(survey)[2] == later + timedelta(days=20)  # a week after closing


def test_closed_or_released_surveys_cannot_be_rescheduled(open_survey, sv):
    for user in sv.users[:5]:
        actions.submit(open_survey, user, full_answers(open_survey), today=sv.today)
    closed = actions.close_survey(open_survey, by=sv.kuraattori, today=sv.today)
    assert not for_user(sv.kuraattori).reschedule_survey(closed)
    with pytest.raises(ValidationError):
        actions.reschedule(
            closed, by=sv.kuraattori, opens_on=sv.today, closes_on=sv.today, today=sv.today
        )


def test_the_page(client, open_survey, sv, cast):
    url = reverse("surveys:reschedule", kwargs={"pk": open_survey.pk})
    client.force_login(cast.users["teacher"])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404
    client.force_login(sv.kuraattori)
    assert client.get(url).status_code == 200
    bad = {"opens_on": sv.today + timedelta(days=2), "closes_on": sv.today + timedelta(days=9),
           "results_on": sv.today + timedelta(days=20)}  # fmt: skip
    page = client.post(url, bad)
    assert page.status_code == 400
    assert "ei voi alkaa myöhemmin kuin tänään" in page.content.decode()
    good = {**bad, "opens_on": sv.today}
    assert client.post(url, good).status_code == 302
    assert _dates(open_survey) == (sv.today, good["closes_on"], good["results_on"])
