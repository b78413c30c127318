"""Small cells, differencing within and between breakdowns, free text after screening."""

from __future__ import annotations

import pytest

from opiskeluhuolto.surveys import actions, results
from opiskeluhuolto.surveys.models import TextAnswer

from .conftest import five_and_five, full_answers

pytestmark = pytest.mark.django_db


def test_suppress_hides_small_cells_and_their_complements():
    assert results.suppress({"a": 10, "b": 12}) == set()
    # One small cell: the next smallest is hidden too, so total − shown is not one cell.
    assert results.suppress({"a": 3, "b": 6, "c": 20}) == {"a", "b"}
    # Two small cells that together hold fewer than five: a third is hidden.
    assert results.suppress({"a": 1, "b": 2, "c": 7, "d": 30}) == {"a", "b", "c"}
    # Nothing left to hide with: the whole breakdown is withheld.
    assert results.suppress({"a": 3, "b": 40}) == {"a", "b"}
    assert results.suppress({"a": 2}) == {"a"}


def _answer_all(survey, sv):
    for i, user in enumerate(sv.users):
        actions.submit(survey, user, full_answers(survey, i), today=sv.today)


def _release(survey, sv):
    return actions.release(survey, by=sv.kuraattori, today=survey.results_on)


def test_group_breakdown_suppresses_with_differencing(open_survey, sv):
    # Invited: 24A 6 (with Aino), 24B 5: both groups are stored (test_anonymity.py).
    five_and_five(sv, open_survey)
    for i, user in enumerate(sv.users[:8]):  # answered: 24A 5, 24B 3, all on the lukio campus
        actions.submit(open_survey, user, full_answers(open_survey, i), today=sv.today)
    survey = _release(open_survey, sv)
    overall = results.compute(survey)
    q1 = overall[0]
    assert q1.total.n == 8 and not q1.cells
    by_group = results.compute(survey, by="group")[0]
    # 24B's 3 are fewer than five in all: the closing stored them without a unit
    # (actions.mixing). That cell is hidden, and 24A with it (the total 8 would give
    # it away).
    assert [(c.label, c.suppressed) for c in by_group.cells] == [("24A", True), ("", True)]
    by_campus = results.compute(survey, by="campus")[0]
    assert [(c.label, c.n) for c in by_campus.cells] == [("Etu-Töölö", None), ("", None)]


def test_too_few_answers_hide_the_question(open_survey, sv):
    for user in sv.users[:4]:
        actions.submit(open_survey, user, full_answers(open_survey), today=sv.today)
    survey = _release(open_survey, sv)
    assert all(r.total.suppressed for r in results.compute(survey))


def test_free_text_only_after_screening_and_never_in_a_breakdown(open_survey, sv):
    _answer_all(open_survey, sv)
    survey = _release(open_survey, sv)
    text_q = survey.questions.get(kind="text")
    row = next(r for r in results.compute(survey) if r.question == text_q)
    assert row.texts == []  # nobody has screened them
    answers = list(TextAnswer.objects.filter(question=text_q))
    for a in answers[:-1]:
        actions.screen_text(a, show=True, by=sv.kuraattori)
    actions.screen_text(answers[-1], show=False, by=sv.kuraattori)
    row = next(r for r in results.compute(survey) if r.question == text_q)
    assert len(row.texts) == len(answers) - 1
    row = next(r for r in results.compute(survey, by="campus") if r.question == text_q)
    assert row.texts == []


def test_group_breakdown_never_reveals_a_campus_hidden_in_the_campus_breakdown():
    """Campus B (3) is small, campus A (20) is hidden with it against differencing. Were
    A's groups (12 and 8) shown, their sum would give A back, and total − C − A gives B."""
    sizes = {("A", 1): 12, ("A", 2): 8, ("B", 3): 3, ("C", 4): 30, ("C", 5): 40}
    campus = results.suppress({"A": 20, "B": 3, "C": 70})
    assert campus == {"A", "B"}
    hidden = results.suppress_groups(sizes)
    assert {("A", 1), ("A", 2), ("B", 3)} <= hidden
    assert ("C", 4) not in hidden and ("C", 5) not in hidden
    # Whatever the groups show must not let any hidden campus be computed back.
    for c in campus:
        shown = [n for u, n in sizes.items() if u[0] == c and u not in hidden]
        assert not shown


def test_respondents_of_several_choices_count_once_and_sums_match(sv, cast):
    """Scale questions count their respondents from the answer counts; several-choice
    questions count distinct responses (two ticks are one respondent)."""
    from opiskeluhuolto.surveys import library

    survey = actions.create_survey(
        sv.group, by=sv.kuraattori, title={"fi": "Monivalinta"}, audience="students",
        institution=cast.lukio,
    )  # fmt: skip
    scale = actions.add_question(survey, kind="likert", text={"fi": "A"}, options=library.AGREE)
    multi = actions.add_question(
        survey, kind="multi", text={"fi": "B"}, options=library.HOW_OFTEN, required=False
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    survey = actions.open_survey(survey, by=sv.kuraattori, today=sv.today)
    for i, user in enumerate(sv.users):
        answers = {str(scale.pk): 1 + i % 5, str(multi.pk): [1, 2] if i < 7 else [3]}
        actions.submit(survey, user, answers, today=sv.today)
    survey = _release(survey, sv)
    for by in (None, "campus", "group"):
        rows = {r.question.pk: r for r in results.compute(survey, by=by)}
        assert rows[scale.pk].total.n == 10 and sum(rows[scale.pk].total.counts.values()) == 10
        assert rows[multi.pk].total.n == 10
        assert rows[multi.pk].total.counts == {1: 7, 2: 7, 3: 3}
    campus = results.compute(survey, by="campus")
    assert [(c.n, c.counts) for c in campus[1].cells] == [(10, {1: 7, 2: 7, 3: 3})]


def test_the_margins_alone_hide_what_the_three_breakdowns_together_hide():
    """The page by campus or by year skips the groups' protection (`hidden_margins`): the
    campus and year cells it hides must be exactly those of `hidden_cells`."""
    import random

    from opiskeluhuolto.surveys.suppression import hidden_cells, hidden_margins

    rng = random.Random(16)
    for _ in range(200):
        groups = rng.randint(1, 30)
        atoms = {
            (rng.randint(1, 4), g): rng.choice([0, 1, 2, 3, 4, 5, 8, 20, 60]) for g in range(groups)
        }
        years = {g: rng.choice([2023, 2024, 2025, None]) for g in range(groups)}
        whole = hidden_cells(atoms, years.get)
        margins = hidden_margins(atoms, years.get)
        assert margins == {"campus": whole["campus"], "year": whole["year"]}, atoms
