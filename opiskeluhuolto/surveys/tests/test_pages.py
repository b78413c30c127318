"""The pages: answering on the form (errors next to the question, nothing stored), results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opiskeluhuolto.surveys import actions
from opiskeluhuolto.surveys.models import Response

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _form(survey, answers: dict) -> dict:
    return {f"q{k}": v for k, v in answers.items()}


def test_answer_page_errors_next_to_the_question_then_send(client, open_survey, sv):
    client.force_login(sv.users[0])
    url = reverse("surveys:answer", args=[open_survey.pk])
    page = client.get(url)
    assert page.status_code == 200 and "nimettömästi" in page.content.decode()
    answers = full_answers(open_survey)
    q1 = open_survey.questions.get(position=1)
    del answers[str(q1.pk)]
    bad = client.post(url, {**_form(open_survey, answers), "send": "1"})
    assert bad.status_code == 400
    assert f'id="error-{q1.pk}"' in bad.content.decode()
    assert (
        "Tähän kysymykseen tarvitaan vastaus" in bad.content.decode()
        or "vastaus" in bad.content.decode()
    )
    assert not Response.objects.exists()
    saved = client.post(url, {**_form(open_survey, answers), "save": "1"})
    assert saved.status_code == 302 and not Response.objects.exists()
    again = client.get(url).content.decode()
    assert "Enemmän valvontaa" in again  # the draft comes back
    done = client.post(url, {**_form(open_survey, full_answers(open_survey)), "send": "1"})
    assert done.status_code == 200 and Response.objects.count() == 1
    assert client.get(url).status_code == 200  # "you have answered" page
    assert Response.objects.count() == 1


def test_results_page_shows_suppression(client, open_survey, sv):
    for i, user in enumerate(sv.users):
        actions.submit(open_survey, user, full_answers(open_survey, i), today=sv.today)
    actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    from opiskeluhuolto.surveys.models import Survey

    Survey.objects.filter(pk=open_survey.pk).update(results_on=sv.today, closes_on=sv.today)
    client.force_login(sv.kuraattori)
    page = client.get(reverse("surveys:results", args=[open_survey.pk]) + "?by=group")
    assert page.status_code == 200
    assert 'class="suppressed"' in page.content.decode()
