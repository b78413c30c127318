"""The results page over the stored counts (issue 16): the same numbers and suppression as
counting the answers live, shown as computed, in a constant number of queries whatever
the number of questions and campuses."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.surveys import actions, library, results
from opiskeluhuolto.surveys.models import Survey

pytestmark = pytest.mark.django_db

#: The most queries of the results page, whole request: the session, the user, the
#: access facts' version, the survey, its questions, the counts (with the survey's
#: respondents), and by campus the group names, the campus names and the groups of the
#: questions not everyone answered (7 overall, 9 by campus here; 11 and 8 before).
MAX_QUERIES = 9


def _units(cast, campuses: int, tag: str):
    """`campuses` campuses of the lukio with a group each, named with a starting year, and
    one group without a year on the first."""
    from opiskeluhuolto.organisation.models import Campus, StudentGroup

    units = []
    for i in range(campuses):
        campus = Campus.objects.create(institution=cast.lukio, name=f"Kampus {tag}{i}")
        name = f"2{i % 4}X{tag}{i}"
        units.append(
            (campus, StudentGroup.objects.create(institution=cast.lukio, campus=campus, name=name))
        )
    no_year = StudentGroup.objects.create(
        institution=cast.lukio, campus=units[0][0], name=f"Aikuiset {tag}"
    )
    return units + [(units[0][0], no_year)]


def _survey(sv, cast, *, questions: int = 1, campuses: int = 3, tag: str = "") -> Survey:
    """Each kind of question `questions` times (an optional scale question and an optional
    several-choice one among them), answered by people over the units: the last two units
    small (their cells hidden), one respondent with no unit recorded, some leaving the
    optional questions out. Answers only: the invitations are not what is tested."""
    survey = actions.create_survey(
        sv.group, by=sv.kuraattori, title={"fi": "Tulokset"}, audience="students",
        institution=cast.lukio,
    )  # fmt: skip
    for n in range(questions):
        actions.add_question(survey, kind="likert", text={"fi": f"L{n}"}, options=library.AGREE)
        actions.add_question(
            survey, kind="likert", text={"fi": f"O{n}"}, options=library.AGREE, required=False
        )
        actions.add_question(
            survey, kind="multi", text={"fi": f"M{n}"}, options=library.HOW_OFTEN, required=False
        )
        actions.add_question(survey, kind="number", text={"fi": f"N{n}"}, minimum=0)
        actions.add_question(survey, kind="text", text={"fi": f"T{n}"}, required=False)
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    survey = actions.open_survey(survey, by=sv.kuraattori, today=sv.today, invitees=sv.users)
    units = _units(cast, campuses, tag)
    # The second campus has six respondents, four of whom answer the optional scale
    # question: hidden for that question only. The last two units are small.
    sizes = [12] + [6] * (len(units) - 3) + [4, 2]
    people = [(c.pk, g.pk) for (c, g), size in zip(units, sizes, strict=True) for _ in range(size)]
    people.append((None, None))
    qs = list(survey.questions.all())
    for i, (campus, group) in enumerate(people):
        answers: dict = {}
        for q in qs:
            if q.kind == "likert" and (q.required or i % 3):
                answers[str(q.pk)] = 1 + i % 5
            elif q.kind == "multi" and i % 4:
                answers[str(q.pk)] = [1, 2] if i % 2 else [3]
            elif q.kind == "number":
                answers[str(q.pk)] = i % 7
            elif q.kind == "text" and i % 2:
                answers[str(q.pk)] = "Hyvä."
        _store(survey, (campus, group), answers, qs)
    return survey


def _store(survey, unit: tuple, answers: dict, qs) -> None:
    """One response's answers as the answering stores them (one row per ticked option)."""
    from opiskeluhuolto.surveys.models import Answer, Response, TextAnswer

    campus, group = unit
    response = Response.objects.create(survey=survey, campus_id=campus, student_group_id=group)
    for q in qs:
        value = answers.get(str(q.pk))
        if value is None:
            continue
        if q.kind == "text":
            TextAnswer.objects.create(question=q, text=value)
        else:
            for v in value if isinstance(value, list) else [value]:
                Answer.objects.create(response=response, question=q, value=v)


def _view(rows) -> list:
    return [
        (r.question.pk, r.total.n, r.total.counts, r.total.mean)
        + tuple((c.label, c.n, c.counts) for c in r.cells)
        for r in rows
    ]


def _release(survey, sv) -> Survey:
    survey = actions.release(survey, by=sv.kuraattori, today=survey.results_on)
    Survey.objects.filter(pk=survey.pk).update(results_on=sv.today, closes_on=sv.today)
    survey.refresh_from_db()
    return survey


BREAKDOWNS = (None, "campus", "group", "year")


def test_the_stored_counts_give_the_live_results_with_optional_and_several_choice_questions(
    sv, cast
):
    survey = _survey(sv, cast)
    live = {by: _view(results.compute(survey, by=by)) for by in BREAKDOWNS}
    for by in BREAKDOWNS:
        assert results.compute_with_respondents(survey, by=by)[1] == 25
    survey = _release(survey, sv)
    assert results.respondents(survey) == 25
    for by in BREAKDOWNS:
        found, respondents = results.compute_with_respondents(survey, by=by)
        assert _view(found) == live[by], by
        assert respondents == 25, by
    by_campus = results.compute(survey, by="campus")
    assert any(c.suppressed for r in by_campus for c in r.cells)  # the small campuses
    assert any(not c.suppressed for r in by_campus for c in r.cells)
    # The optional question hides the second campus, where only four answered it.
    required, optional = ({c.label: c.n for c in r.cells} for r in by_campus[:2])
    assert required["Kampus 1"] == 6 and optional["Kampus 1"] is None


def test_the_page_shows_what_compute_gives_localised(client, sv, cast):
    """Every shown share with the Finnish decimal comma, every hidden row hidden in each
    of its cells, in the order of compute."""
    survey = _release(_survey(sv, cast), sv)
    client.force_login(sv.kuraattori)
    for by in (None, "campus"):
        page = client.get(reverse("surveys:results", args=[survey.pk]), {"by": by or ""})
        html = page.content.decode()
        rows = results.compute(survey, by=by)
        shown = [(c, r) for r in rows if r.question.kind != "text" for c in [r.total, *r.cells]]
        hidden = [c for c, _r in shown if c.suppressed]
        assert html.count('<tr class="suppressed">') == len(hidden)
        for cell, r in shown:
            if cell.suppressed:
                continue
            for o in r.question.options:
                share = cell.share(int(o["value"]))
                text = str(share).replace(".", ",") if share else "0"
                assert f'width="{share or 0:.1f}" height="8"/></svg> {text} %</td>' in html
        slots = {1 + len(r.question.options) + (r.question.kind == "number") for r in rows}
        hidden_cell = '<td><span aria-hidden="true">–</span>'
        assert html.count(hidden_cell) == sum(
            1 + len(r.question.options) + (r.question.kind == "number")
            for r in rows
            if r.question.kind != "text"
            for c in [r.total, *r.cells]
            if c.suppressed
        ), slots
        if by:
            assert hidden and "Kampus 0" in html


#: What a view of kept results does not read (results.compute_kept).
KEPT_TABLES = ("surveys_resultcount", "organisation_campus", "organisation_studentgroup")


def _queries(client, survey, by, unread: tuple[str, ...] = ()) -> int:
    url = reverse("surveys:results", args=[survey.pk]) + (f"?by={by}" if by else "")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    read = [t for q in ctx.captured_queries for t in unread if t in q["sql"]]
    assert not read, read
    return len(ctx.captured_queries)


def test_the_results_page_takes_the_same_few_queries_for_more_questions_and_campuses(
    client, sv, cast
):
    small = _release(_survey(sv, cast, questions=1, campuses=3), sv)
    big = _release(_survey(sv, cast, questions=4, campuses=8, tag="B"), sv)
    client.force_login(sv.kuraattori)
    for by in (None, "campus"):
        cache.clear()  # computed: the first view after the release or a change
        _queries(client, small, "year")  # warm: the access facts (another breakdown)
        few, many = _queries(client, small, by), _queries(client, big, by)
        assert few == many <= MAX_QUERIES, (by, few, many)
        # Kept (results.compute_kept): the stored counts, the campuses and groups not read.
        kept = _queries(client, small, by, unread=KEPT_TABLES), _queries(client, big, by)
        assert kept[0] == kept[1] < few, (by, few, kept)
