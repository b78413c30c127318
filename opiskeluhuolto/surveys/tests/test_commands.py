"""The scheduled command of surveys (README.md, "Scheduled jobs") does the daily work."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from opiskeluhuolto.surveys import actions
from opiskeluhuolto.surveys.models import ResultCount, Survey

from .conftest import full_answers

pytestmark = pytest.mark.django_db


def _run() -> None:
    call_command("release_due_surveys", stdout=io.StringIO())


def test_the_command_closes_and_releases_due_surveys_once(open_survey, sv):
    for i, user in enumerate(sv.users):
        actions.submit(open_survey, user, full_answers(open_survey, i % 2), today=sv.today)
    # The window has passed and the results date has come (the survey is still "open").
    Survey.objects.filter(pk=open_survey.pk).update(
        opens_on=sv.today - timedelta(days=10),
        closes_on=sv.today - timedelta(days=2),
        results_on=sv.today,
    )
    _run()
    survey = Survey.objects.get(pk=open_survey.pk)
    assert survey.status == Survey.Status.CLOSED and survey.released
    counted = ResultCount.objects.filter(survey=survey).count()
    assert counted > 0
    _run()  # a second run releases nothing twice
    assert ResultCount.objects.filter(survey=survey).count() == counted


def test_the_command_leaves_an_open_survey_and_waits_for_the_results_date(open_survey, sv):
    _run()
    assert Survey.objects.get(pk=open_survey.pk).status == Survey.Status.OPEN
    Survey.objects.filter(pk=open_survey.pk).update(
        opens_on=sv.today - timedelta(days=10),
        closes_on=sv.today - timedelta(days=2),
        results_on=sv.today + timedelta(days=3),
    )
    _run()
    survey = Survey.objects.get(pk=open_survey.pk)
    assert survey.status == Survey.Status.CLOSED and not survey.released
