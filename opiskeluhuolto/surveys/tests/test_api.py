"""The API contract: open surveys, answering once (409), results only after release (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opiskeluhuolto.surveys import actions
from opiskeluhuolto.surveys.models import PendingSheet, Response

from .conftest import five_and_five, full_answers, mixed

pytestmark = pytest.mark.django_db


def _post(client, survey, answers):
    return client.post(
        reverse("api:surveys-respond", args=[survey.pk]),
        {"answers": answers},
        content_type="application/json",
    )


def test_open_lists_what_i_may_answer(client, open_survey, sv, cast):
    client.force_login(sv.users[0])
    data = client.get(reverse("api:surveys-open")).json()
    assert [s["id"] for s in data] == [open_survey.pk]
    assert data[0]["anonymous"] and data[0]["questions"][0]["options"]
    client.force_login(cast.users["adult"])  # at the amis: not invited
    assert client.get(reverse("api:surveys-open")).json() == []


def test_answer_once_then_409(client, open_survey, sv):
    client.force_login(sv.users[0])
    first = _post(client, open_survey, full_answers(open_survey))
    assert first.status_code == 201, first.content
    assert first["Cache-Control"].startswith("no-store") or "no-store" in first["Cache-Control"]
    second = _post(client, open_survey, full_answers(open_survey))
    assert second.status_code == 409
    assert Response.objects.filter(survey=mixed(open_survey)).count() == 1
    assert client.get(reverse("api:surveys-open")).json() == []


def test_bad_answers_422_and_nothing_stored(client, open_survey, sv):
    client.force_login(sv.users[0])
    answers = full_answers(open_survey)
    q1 = open_survey.questions.get(position=1)
    answers[str(q1.pk)] = 99
    r = _post(client, open_survey, answers)
    assert r.status_code == 422 and str(q1.pk) in r.json()["errors"]
    del answers[str(q1.pk)]
    r = _post(client, open_survey, answers)
    assert r.status_code == 422
    r = client.post(
        reverse("api:surveys-respond", args=[open_survey.pk]),
        "{not json",
        content_type="application/json",
    )
    assert 400 <= r.status_code < 500
    assert not Response.objects.exists()
    assert not PendingSheet.objects.exists()


def test_not_invited_404_and_closed_409(client, open_survey, sv, cast):
    client.force_login(cast.users["adult"])
    assert _post(client, open_survey, full_answers(open_survey)).status_code == 404
    actions.close_survey(open_survey, by=sv.kuraattori, today=sv.today)
    client.force_login(sv.users[1])
    assert _post(client, open_survey, full_answers(open_survey)).status_code == 409
    assert not Response.objects.exists()
    assert not PendingSheet.objects.exists()


def test_results_404_before_release_and_for_the_unentitled(client, open_survey, sv, cast):
    five_and_five(sv, open_survey)  # both groups stored; 24B answered by 3 only
    for i, user in enumerate(sv.users[:8]):
        actions.submit(open_survey, user, full_answers(open_survey, i), today=sv.today)
    url = reverse("api:surveys-results", args=[open_survey.pk])
    client.force_login(sv.kuraattori)
    assert client.get(url).status_code == 404  # not released
    actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    # The release date is in the future of the test's today: still 404 until that day.
    from opiskeluhuolto.surveys.models import Survey

    Survey.objects.filter(pk=open_survey.pk).update(results_on=sv.today, closes_on=sv.today)
    data = client.get(url + "?by=group").json()
    assert data["respondents"] == 8
    assert all(c["n"] is None for c in data["questions"][0]["cells"])  # 5 + 3: both hidden
    for name in ("student", "teacher", "kuraattori_out", "guardian"):
        client.force_login(cast.users[name])
        assert client.get(url).status_code == 404, name
