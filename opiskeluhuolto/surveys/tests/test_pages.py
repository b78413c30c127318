"""The pages: answering on the form (errors next to the question, nothing stored), results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opiskeluhuolto.surveys import actions
from opiskeluhuolto.surveys.models import PendingSheet, Response

from .conftest import five_and_five, full_answers

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
    assert not Response.objects.exists() and not PendingSheet.objects.exists()
    saved = client.post(url, {**_form(open_survey, answers), "save": "1"})
    assert saved.status_code == 302 and not PendingSheet.objects.exists()
    again = client.get(url).content.decode()
    assert "Enemmän valvontaa" in again  # the draft comes back
    done = client.post(url, {**_form(open_survey, full_answers(open_survey)), "send": "1"})
    # PRG; the sheet waits for the mixer (actions.mixing)
    assert done.status_code == 302 and PendingSheet.objects.count() == 1
    assert done["Location"].endswith("?sent=1")
    landed = client.get(done["Location"])
    assert landed.status_code == 200
    assert "Kiitos! Vastauksesi on tallennettu." in landed.content.decode()
    assert client.get(url).status_code == 200  # "you have answered" page
    assert PendingSheet.objects.count() == 1 and not Response.objects.exists()


def test_results_page_shows_suppression(client, open_survey, sv):
    five_and_five(sv, open_survey)  # both groups stored; 24B answered by 3 only
    for i, user in enumerate(sv.users[:8]):
        actions.submit(open_survey, user, full_answers(open_survey, i), today=sv.today)
    actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    from opiskeluhuolto.surveys.models import Survey

    Survey.objects.filter(pk=open_survey.pk).update(results_on=sv.today, closes_on=sv.today)
    client.force_login(sv.kuraattori)
    page = client.get(reverse("surveys:results", args=[open_survey.pk]) + "?by=group")
    assert page.status_code == 200
    assert 'class="suppressed"' in page.content.decode()


def test_a_non_anonymous_survey_says_so_before_answering(client, sv, cast):
    """On the answering page (and in the invitation), before any answer is given."""
    survey = actions.create_from_template(
        "event_feedback", sv.group, by=sv.kuraattori, is_anonymous=False, institution=cast.lukio
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    survey = actions.open_survey(survey, by=sv.kuraattori, invitees=sv.users[:3], today=sv.today)
    client.force_login(sv.users[0])
    page = client.get(reverse("surveys:answer", args=[survey.pk])).content.decode()
    notice = "Tämä kysely ei ole nimetön: nimesi tallennetaan vastaustesi kanssa."
    assert notice in page
    assert page.index(notice) < page.index('class="survey-form"')
    assert "Vastaat nimettömästi" not in page


def test_an_anonymous_survey_says_so_and_not_the_opposite(client, open_survey, sv):
    client.force_login(sv.users[0])
    page = client.get(reverse("surveys:answer", args=[open_survey.pk])).content.decode()
    assert "ei ole nimetön" not in page and "nimettömästi" in page


def test_the_builder_warns_and_refuses_to_open_a_too_small_anonymous_survey(client, sv, cast):
    survey = actions.create_from_template(
        "safety",
        sv.group,
        by=sv.kuraattori,
        student_group=sv.other_group,  # 3 students
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    client.force_login(sv.kuraattori)
    edit = client.get(reverse("surveys:edit", args=[survey.pk])).content.decode()
    assert "Liian vähän" in edit
    page = client.post(reverse("surveys:open", args=[survey.pk]), follow=True).content.decode()
    assert "vähintään 5" in page
    survey.refresh_from_db()
    assert survey.status == "draft" and not survey.invitations.exists()


def test_opening_e_mails_the_invitations_through_the_task_worker(
    sv, cast, mailoutbox, settings, django_capture_on_commit_callbacks
):
    """Nothing is sent inside the opening transaction: the task is enqueued on commit,
    and the worker sends one message per invited person."""
    survey = actions.create_from_template(
        "bullying", sv.group, by=sv.kuraattori, institution=cast.lukio
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        survey = actions.open_survey(survey, by=sv.kuraattori, today=sv.today)
    assert mailoutbox == [] and len(callbacks) == 1
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    callbacks[0]()
    enqueued = default_task_backend.results
    assert [r.task.name for r in enqueued] == ["send_invitations"]
    assert mailoutbox == []  # the web request sends nothing itself
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    callbacks[0]()
    assert len(mailoutbox) == survey.invitations.exclude(user__email="").count() >= 10
    assert "nimettömästi" in mailoutbox[0].body


def test_results_csv_carries_hostile_unit_names_as_text(client, open_survey, sv, cast):
    """Campus and group names come from imports and admin forms: in the CSV they are text
    (tests/test_csv_exports.py names this test for `surveys:results_csv`)."""
    import csv
    import io

    from opiskeluhuolto.lib.csvexport import FORMULA_STARTS
    from opiskeluhuolto.surveys.models import Survey

    hostile_group, hostile_other = '=HYPERLINK("http://evil.invalid","x")', "@SUM(1+1)"
    cast.group.name = hostile_group
    cast.group.save(update_fields=["name"])
    sv.other_group.name = hostile_other
    sv.other_group.save(update_fields=["name"])
    five_and_five(sv, open_survey)  # both groups big enough to be stored
    for i, user in enumerate(sv.users):
        actions.submit(open_survey, user, full_answers(open_survey, i), today=sv.today)
    actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    Survey.objects.filter(pk=open_survey.pk).update(results_on=sv.today, closes_on=sv.today)
    client.force_login(sv.kuraattori)
    seen: list[str] = []
    for by in ("", "campus", "group"):
        r = client.get(reverse("surveys:results_csv", args=[open_survey.pk]), {"by": by})
        assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
        text = r.content.decode("utf-8-sig")
        cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row]
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], (by, cells)
        seen += cells
    assert "'" + hostile_group in seen


def test_a_refused_send_after_a_saved_draft_says_the_draft_is_kept(client, open_survey, sv):
    """The answers saved earlier stay; the page says so (not "nothing was saved"), says
    this send was not accepted, and what to fix."""
    from opiskeluhuolto.surveys.models import Invitation

    client.force_login(sv.users[0])
    url = reverse("surveys:answer", args=[open_survey.pk])
    answers = full_answers(open_survey)
    q1 = open_survey.questions.get(position=1)
    # Before any draft: a refused send saved nothing, and says so.
    partial = {k: v for k, v in answers.items() if k != str(q1.pk)}
    bad = client.post(url, {**_form(open_survey, partial), "send": "1"}).content.decode()
    assert "Vastauksiasi ei lähetetty, eikä mitään tallennettu." in bad
    assert "Korjaa alla merkityt vastaukset ja lähetä uudelleen." in bad
    # A draft, then a refused send: the draft is kept, and the page says so.
    client.post(url, {**_form(open_survey, partial), "save": "1"})
    draft = Invitation.objects.get(survey=open_survey, user=sv.users[0]).draft
    assert draft
    bad = client.post(url, {**_form(open_survey, partial), "send": "1"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "mitään ei tallennettu" not in page
    assert "Vastauksiasi ei lähetetty. Aiemmin tallentamasi vastaukset ovat tallessa." in page
    assert "Korjaa alla merkityt vastaukset ja lähetä uudelleen." in page
    assert f'id="error-{q1.pk}"' in page
    assert Invitation.objects.get(survey=open_survey, user=sv.users[0]).draft == draft
    assert not Response.objects.exists()
    assert not PendingSheet.objects.exists()
