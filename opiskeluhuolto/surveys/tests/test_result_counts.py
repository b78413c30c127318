"""The results are counted once, at release, in the task worker; the pages read the stored
counts (ResultCount) and apply the small-cell rule on every read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.surveys import actions, results
from opiskeluhuolto.surveys.models import Answer, ResultCount, Survey

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _answer_all(survey, sv):
    """Everyone answers; the ten sheets are mixed into the answer side (the mixer the
    answers' commits would enqueue)."""
    for i, user in enumerate(sv.users):
        actions.submit(survey, user, full_answers(survey, i), today=sv.today)
    assert actions.mix(survey.pk) == len(sv.users)


def _view(rows) -> list:
    return [
        (r.question.pk, r.total.n, r.total.counts, r.total.mean, r.texts)
        + tuple((c.label, c.n, c.counts) for c in r.cells)
        for r in rows
    ]


def test_release_stores_the_counts_and_the_results_read_them_not_the_answers(open_survey, sv):
    _answer_all(open_survey, sv)
    live = {by: _view(results.compute(open_survey, by=by)) for by in (None, "campus", "group")}
    survey = actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    assert ResultCount.objects.filter(survey=survey).exists()
    for by in (None, "campus", "group"):
        with CaptureQueriesContext(connection) as ctx:
            stored = _view(results.compute(survey, by=by))
        assert stored == live[by], by  # the same results, suppression included
        assert not [q for q in ctx.captured_queries if "surveys_answer" in q["sql"]]
    assert results.respondents(survey) == 10
    # Proof that the stored counts are read: the answers are gone, the results are not.
    Answer.objects.filter(question__survey=survey).delete()
    assert _view(results.compute(survey)) == live[None]


def test_the_results_read_a_constant_number_of_queries(open_survey, sv):
    _answer_all(open_survey, sv)
    survey = actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    with CaptureQueriesContext(connection) as ctx:
        results.compute(survey, by="group")
    assert len(ctx.captured_queries) <= 4, [q["sql"] for q in ctx.captured_queries]


def test_stored_counts_keep_small_cells_suppressed(open_survey, sv):
    """Three respondents: every stored count is there, none is shown."""
    for user in sv.users[:3]:
        actions.submit(open_survey, user, full_answers(open_survey), today=sv.today)
    survey = actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    assert ResultCount.objects.filter(survey=survey, n=3).exists()
    for by in (None, "campus", "group"):
        assert all(r.total.suppressed and not r.cells for r in results.compute(survey, by=by))


def test_the_result_count_table_has_no_person_and_no_time(open_survey, sv):
    with connection.cursor() as cursor:
        cols = {
            c.name
            for c in connection.introspection.get_table_description(cursor, "surveys_resultcount")
        }
    assert cols == {"id", "survey_id", "question_id", "campus_id", "student_group_id", "value", "n"}


def test_the_release_button_releases_in_the_task_worker(
    client, open_survey, sv, settings, django_capture_on_commit_callbacks
):
    _answer_all(open_survey, sv)
    Survey.objects.filter(pk=open_survey.pk).update(
        closes_on=sv.today - timedelta(days=1), results_on=sv.today
    )
    client.force_login(sv.kuraattori)
    url = reverse("surveys:release", args=[open_survey.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client.post(url)
    assert page.status_code == 302 and len(callbacks) == 1
    survey = Survey.objects.get(pk=open_survey.pk)
    assert not survey.released and not ResultCount.objects.exists()  # not in the request
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    callbacks[0]()
    assert [r.task.name for r in default_task_backend.results] == ["release_survey"]
    assert not Survey.objects.get(pk=survey.pk).released
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    callbacks[0]()
    survey = Survey.objects.get(pk=survey.pk)
    assert survey.released and ResultCount.objects.filter(survey=survey).exists()


def test_the_release_button_says_why_not_at_once(client, open_survey, sv):
    """Still open: refused in the request with the reason; nothing is queued."""
    client.force_login(sv.kuraattori)
    page = client.post(reverse("surveys:release", args=[open_survey.pk]), follow=True)
    assert "Tulokset julkaistaan, kun kysely on sulkeutunut." in page.content.decode()
    assert not Survey.objects.get(pk=open_survey.pk).released


def test_the_release_button_on_a_released_survey_queues_nothing(
    client, open_survey, sv, django_capture_on_commit_callbacks
):
    _answer_all(open_survey, sv)
    survey = actions.release(open_survey, by=sv.kuraattori, today=open_survey.results_on)
    client.force_login(sv.kuraattori)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client.post(reverse("surveys:release", args=[survey.pk]), follow=True)
    assert callbacks == []
    assert "Tulokset on jo julkaistu." in page.content.decode()
