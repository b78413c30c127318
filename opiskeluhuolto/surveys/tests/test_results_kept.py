"""A released survey's numbers are kept between views (results.compute_kept, issue 16) and
never outlive what they were computed from: the stored counts, the campuses' and groups'
names (labels and starting years). Free texts are read live (screening goes on)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opiskeluhuolto.access import facts, for_user
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.organisation.models import Campus, StudentGroup
from opiskeluhuolto.surveys import actions, results
from opiskeluhuolto.surveys.models import TextAnswer

from .test_results_page import BREAKDOWNS, _release, _survey, _view

pytestmark = pytest.mark.django_db

#: Read by the kept computation besides the tables whose writes change the token: the
#: survey (its id and released flag: released once, never unreleased) and its questions
#: (kind and options: no question is added, changed or removed once the survey opened).
FIXED = {"surveys_survey", "surveys_question"}


def _can(sv):
    """The resolver as the next request builds it (kept per user object)."""
    return for_user(User.objects.get(pk=sv.kuraattori.pk))


def _shown(rows) -> list:
    return [*_view(rows), [r.texts for r in rows]]


def _kept(survey, sv, by):
    return results.compute_kept(survey, by=by, can=_can(sv))


def _reads_counts(survey, sv, by) -> bool:
    with CaptureQueriesContext(connection) as ctx:
        _kept(survey, sv, by)
    return any("surveys_resultcount" in q["sql"] for q in ctx.captured_queries)


def test_kept_numbers_are_the_computed_ones_and_not_read_again(sv, cast):
    survey = _release(_survey(sv, cast), sv)
    for by in BREAKDOWNS:
        assert _reads_counts(survey, sv, by), by  # the first view computes
        assert not _reads_counts(survey, sv, by), by  # the next ones have them kept
        found, respondents = _kept(survey, sv, by)
        assert _shown(found) == _shown(results.compute(survey, by=by)), by
        assert respondents == results.respondents(survey) == 25


def test_a_renamed_campus_or_group_shows_at_the_next_view(sv, cast):
    survey = _release(_survey(sv, cast), sv)
    for by in BREAKDOWNS:
        _kept(survey, sv, by)
    campus = Campus.objects.get(name="Kampus 0")
    campus.name = "Kampus Ö"
    campus.save()
    labels = [c.label for r in _kept(survey, sv, "campus")[0] for c in r.cells]
    assert "Kampus Ö" in labels and "Kampus 0" not in labels
    # A group's new name carries another starting year: the year breakdown and its
    # suppression (protected with the campuses') change with it.
    before = _view(_kept(survey, sv, "year")[0])
    StudentGroup.objects.filter(name="20X0").update(name="29X0")
    for by in BREAKDOWNS:
        assert _shown(_kept(survey, sv, by)[0]) == _shown(results.compute(survey, by=by)), by
    after = _view(_kept(survey, sv, "year")[0])
    assert after != before
    assert "2029" in {c.label for r in _kept(survey, sv, "year")[0] for c in r.cells}


def test_a_text_screened_after_release_shows_at_once(sv, cast):
    survey = _release(_survey(sv, cast), sv)
    assert not any(r.texts for r in _kept(survey, sv, None)[0])  # none screened yet
    answer = TextAnswer.objects.filter(question__survey=survey).first()
    actions.screen_text(answer, show=True, by=sv.kuraattori)
    texts = [t for r in _kept(survey, sv, None)[0] for t in r.texts]
    assert texts == [answer.text]
    assert not any(r.texts for r in _kept(survey, sv, "campus")[0])  # overall only


def test_an_unreleased_surveys_live_counts_are_not_kept(sv, cast):
    survey = _survey(sv, cast)
    first = _kept(survey, sv, None)[1]
    from opiskeluhuolto.surveys.models import Response

    Response.objects.create(survey=survey)  # one more respondent, nothing answered
    assert _kept(survey, sv, None)[1] == first + 1


def test_the_kept_computation_reads_only_tables_whose_writes_change_the_token(sv, cast):
    survey = _release(_survey(sv, cast), sv)
    for by in BREAKDOWNS:
        with CaptureQueriesContext(connection) as ctx:
            results.compute_with_respondents(survey, by=by, with_texts=False)
        tables = {
            t
            for q in ctx.captured_queries
            for t in re.findall(r'(?:FROM|JOIN) "?(\w+)"?', q["sql"])
        }
        assert "surveys_resultcount" in tables, by
        assert tables <= set(facts.TABLES) | FIXED, (by, tables - set(facts.TABLES) - FIXED)
