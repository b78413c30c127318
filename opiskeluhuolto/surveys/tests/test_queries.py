"""Answering a page costs a constant, small number of queries, whatever the number of
questions and answers (issue 16's performance: the answer POST at 100 concurrent
answerers). Counted on the whole request, middleware and session included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.surveys import actions
from opiskeluhuolto.surveys.models import Answer, PendingSheet, Response, TextAnswer

from .conftest import mixed

pytestmark = pytest.mark.django_db

#: The most queries one answering POST may take, whole request: about ten are every
#: signed-in page's (session, user, the access facts of access/permissions.py); the page's
#: own are the invitation with its survey, the questions, the invitation's update, the
#: sheet's insert into the pending pool (the respondent's campus and group read within
#: it) and the pool's count (and the test transaction's savepoints).
MAX_QUERIES = 20
SCALE = [{"value": v, "fi": f"V{v}"} for v in (1, 2, 3, 4)]


def _survey(sv, cast, n: int):
    """An open survey of `n` questions of each kind (scale, several choices, number, text)."""
    survey = actions.create_survey(
        sv.group,
        by=sv.kuraattori,
        title={"fi": f"Kysely {n}"},
        audience="students",
        institution=cast.lukio,
    )
    for i in range(n):
        actions.add_question(survey, kind="likert", text={"fi": f"L{i}"}, options=SCALE)
        actions.add_question(survey, kind="multi", text={"fi": f"M{i}"}, options=SCALE)
        actions.add_question(survey, kind="number", text={"fi": f"N{i}"}, minimum=0)
        actions.add_question(survey, kind="text", text={"fi": f"T{i}"})
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    return actions.open_survey(survey, by=sv.kuraattori, today=sv.today)


def _form(survey) -> dict:
    data: dict = {"send": "1"}
    for q in survey.questions.all():
        key = f"q{q.pk}"
        if q.kind == "likert":
            data[key] = "2"
        elif q.kind == "multi":
            data[key] = ["1", "3", "4"]  # three answer rows per question
        elif q.kind == "number":
            data[key] = "5"
        else:
            data[key] = "Hyvä."
    return data


def _post(client, user, survey, data) -> int:
    client.force_login(user)
    url = reverse("surveys:answer", args=[survey.pk])
    with CaptureQueriesContext(connection) as ctx:
        page = client.post(url, data)
    assert page.status_code == 302, page.content[:500]
    return len(ctx.captured_queries)


def test_sending_a_page_takes_the_same_few_queries_for_2_or_20_questions(client, sv, cast):
    small, large = _survey(sv, cast, 1), _survey(sv, cast, 5)
    few = _post(client, sv.users[0], small, _form(small))
    many = _post(client, sv.users[1], large, _form(large))
    assert few == many, (few, many)
    assert many <= MAX_QUERIES, many
    # Everything was stored: 4 + 20 questions, three answers per several-choice question,
    # in the pending pool, then in the answer side once mixed.
    assert PendingSheet.objects.filter(survey__in=[small, large]).count() == 2
    for survey in (small, large):
        mixed(survey)
    assert Response.objects.filter(survey__in=[small, large]).count() == 2
    assert Answer.objects.filter(question__survey=large).count() == 5 * (1 + 3 + 1)
    assert TextAnswer.objects.filter(question__survey=large).count() == 5


def test_saving_a_draft_takes_the_same_few_queries(client, sv, cast):
    small, large = _survey(sv, cast, 1), _survey(sv, cast, 5)
    few = _post(client, sv.users[0], small, {**_form(small), "save": "1"})
    many = _post(client, sv.users[1], large, {**_form(large), "save": "1"})
    assert few == many and many <= MAX_QUERIES, (few, many)
    assert not Response.objects.exists()
    assert not PendingSheet.objects.exists()


def test_the_answer_function_alone_is_constant(sv, cast, django_assert_max_num_queries):
    """The action, given what the view has already read: 5 queries (the update of the
    invitation, the sheet's insert into the pending pool with the respondent's units read
    within it, the pool's count, and the atomic block's savepoint and its release)."""
    from opiskeluhuolto.access.surveys import get_survey_to_answer

    large = _survey(sv, cast, 5)
    survey, invitation = get_survey_to_answer(sv.users[2], large.pk)
    questions = list(survey.questions.all())
    answers = {str(k[1:]): v for k, v in _form(large).items() if k.startswith("q")}
    with django_assert_max_num_queries(5):
        actions.submit(
            survey,
            sv.users[2],
            answers,
            today=sv.today,
            invitation=invitation,
            questions=questions,
        )
    assert PendingSheet.objects.filter(survey=large).count() == 1


def test_the_api_post_reads_the_breakdown_within_the_response_insert(client, open_survey, sv):
    """The answer API's whole request: the session, the user, then the survey's own
    (invitation, questions, update, the pending sheet's insert, the pool's count); the
    respondent's campus and group are read by the database within the sheet's INSERT
    (which its response carries once mixed), not by a query of their own (nor from the
    access facts: the request asks for none); no session write."""
    import json

    from .conftest import five_and_five, full_answers

    # 5 + 5 invitees in 24A and 24B: both groups are big enough to be stored.
    five_and_five(sv, open_survey)
    user = sv.users[0]
    client.force_login(user)
    url = reverse("api:surveys-respond", kwargs={"survey_id": open_survey.pk})
    body = json.dumps({"answers": full_answers(open_survey)})
    with CaptureQueriesContext(connection) as ctx:
        assert client.post(url, body, content_type="application/json").status_code == 201
    sqls = [q["sql"] for q in ctx.captured_queries]
    reads = [s for s in sqls if "organisation_student" in s]
    assert len(reads) == 1 and "INSERT INTO surveys_pendingsheet" in reads[0], sqls
    assert not [s for s in sqls if "access_factsversion" in s], sqls
    assert not [
        s for s in sqls if s.startswith(('UPDATE "django_session', 'INSERT INTO "django_session'))
    ]
    assert len([s for s in sqls if "SAVEPOINT" not in s]) <= 7, sqls
    response = Response.objects.get(survey=mixed(open_survey))
    student = sv.students[0]
    assert (response.campus_id, response.student_group_id) == (student.campus_id, student.group_id)


def test_an_open_surveys_questions_are_read_once_then_kept(client, sv, cast):
    """The questions of an open survey never change, so the answer POST reads them from
    the cache after the first (`actions.rules_of`); a second answerer's POST reads none."""
    survey = _survey(sv, cast, 2)
    url = reverse("api:surveys-respond", kwargs={"survey_id": survey.pk})
    body = _api_body(survey)
    seen = []
    for user in sv.users[:2]:
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            posted = client.post(url, body, content_type="application/json")
        assert posted.status_code == 201, posted.content
        seen.append(sum('FROM "surveys_question"' in q["sql"] for q in ctx.captured_queries))
    assert seen == [1, 0], seen


#: The answer API's whole request, pinned: the session, the user, the invitation with its
#: survey, the questions (the first answer to the survey only: then they are cached), the
#: invitation's conditional update, the insert of the sheet into the pending pool (its
#: campus and group read within it) and the pool's count, and the atomic block's
#: savepoint and its release. A new query anywhere on this path fails the test below.
API_POST_QUERIES = 9


def _api_body(survey) -> str:
    import json

    answers: dict = {}
    for q in survey.questions.all():
        if q.kind == "likert":
            answers[str(q.pk)] = 2
        elif q.kind == "multi":
            answers[str(q.pk)] = [1, 3, 4]
        elif q.kind == "number":
            answers[str(q.pk)] = 5
        else:
            answers[str(q.pk)] = "Hyvä."
    return json.dumps({"answers": answers})


def test_one_api_answer_post_takes_a_pinned_number_of_queries_for_4_or_80_questions(
    client, sv, cast, django_assert_max_num_queries
):
    """Issue 16's benchmark posts to this API: its query count must not grow with the
    questions, nor by a query added anywhere on the path (middleware, access, action)."""
    small, large = _survey(sv, cast, 1), _survey(sv, cast, 20)
    counts = []
    for user, survey in ((sv.users[0], small), (sv.users[1], large)):
        client.force_login(user)
        client.get(reverse("front:home"))  # the person's facts, cached as in use
        url = reverse("api:surveys-respond", kwargs={"survey_id": survey.pk})
        body = _api_body(survey)
        with django_assert_max_num_queries(API_POST_QUERIES) as ctx:
            posted = client.post(url, body, content_type="application/json")
        assert posted.status_code == 201, posted.content
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == API_POST_QUERIES, counts
    mixed(large)
    assert Answer.objects.filter(question__survey=large).count() == 20 * (1 + 3 + 1)
    assert TextAnswer.objects.filter(question__survey=large).count() == 20


#: The same request from a person seen by no earlier request (the benchmark's case: every
#: answerer posts once, straight after signing in), with staff two-factor sign-in
#: required as in production: the session, the user, the facts' token (the two-factor
#: middleware asks whether they are staff: the session's note from signing in says they
#: held no role under that token, so their role assignments are not read), then the
#: survey's own as above (the questions read: the first answer). No access fact is read,
#: and the session is not written (signing in was its first touch).
API_POST_COLD_QUERIES = 10


def test_a_first_api_answer_post_reads_only_the_facts_it_needs(client, sv, cast, settings):
    from django.core.cache import cache

    settings.REQUIRE_STAFF_MFA = True
    survey = _survey(sv, cast, 5)
    user = sv.users[3]
    client.force_login(user)
    cache.clear()  # signing in cached the person's roles in this process; a worker has not
    url = reverse("api:surveys-respond", kwargs={"survey_id": survey.pk})
    body = _api_body(survey)
    with CaptureQueriesContext(connection) as ctx:
        posted = client.post(url, body, content_type="application/json")
    assert posted.status_code == 201, posted.content
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) == API_POST_COLD_QUERIES, "\n".join(s[:150] for s in sqls)
    assert not [s for s in sqls if "django_session" in s and not s.startswith("SELECT")], sqls
    for table in (
        "organisation_roleassignment",
        "organisation_guardianship",
        "cases_expertgroupmembership",
        "meetings_membership",
    ):
        assert not [s for s in sqls if table in s], (table, sqls)
    assert "INSERT INTO surveys_pendingsheet" in [s for s in sqls if "organisation_student" in s][0]
    response = Response.objects.get(survey=mixed(survey))
    student = sv.students[3]
    # The campus's ten invitees are stored; not the group: 24B's three would be alone
    # in the responses without one (test_anonymity.py).
    assert (response.campus_id, response.student_group_id) == (student.campus_id, None)
