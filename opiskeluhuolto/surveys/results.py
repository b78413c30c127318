"""Released results: per question, overall and broken down, with small cells suppressed.

The small-cell rule (PRODUCT.md §5): a cell of fewer than `SMALL_CELL` respondents is
never shown. Differencing: within a breakdown the cells add up to the total, so a single
hidden cell could be computed as "total minus the shown ones". Whenever a breakdown
hides anything, further cells are hidden (smallest first) until at least two are
hidden and the hidden ones together hold at least `SMALL_CELL` respondents; if that is
impossible the whole breakdown is withheld. Respondents without a campus or group form
their own cell, so no remainder is left unaccounted for.

Between breakdowns: the groups of a campus add up to the campus's cell in the campus
breakdown, so the group breakdown applies the rule within each campus (a hidden group
is never the only hidden one of its campus), and a campus hidden in the campus
breakdown (small, or hidden with a small one against differencing) hides all its
groups: summing them would give the hidden campus back. The starting-year breakdown
(the year from the respondent's group's name, no column of its own) adds up the same
respondents another way; suppression.hidden_cells protects the three breakdowns
together (a hidden campus or year is never computable from the shown ones, and the
groups are protected within every shown campus and every shown year). Per question the same rule applies; optional questions have their own
totals.

The counts are taken once, at release (`tally`, in the task worker), into
`ResultCount`: one grouped SQL query over the answers at the finest grain (question ×
campus × group × value), plus a count of distinct responses for several-choice
questions only. The results pages and the API read those few rows and sum them up to
the breakdown asked for (bench/bench_surveys.py); the suppression is applied on every
read. Free-text answers appear only in the overall view and only after screening
(read live: screening may change after release).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, Count, F, Q, Sum, When

from .models import SMALL_CELL, Answer, Question, Response, ResultCount, Survey, TextAnswer
from .suppression import hidden_cells, hidden_margins, suppress

__all__ = [
    "BREAKDOWNS",
    "compute",
    "compute_kept",
    "compute_with_respondents",
    "respondents",
    "suppress",
    "suppress_groups",
    "tally",
]

#: The breakdowns and their units. Groups are keyed with their campus: a campus's total
#: is published in the campus breakdown, so its groups are protected within it.
BREAKDOWNS = {
    "campus": ("response__campus",),
    "group": ("response__campus", "response__student_group"),
    "year": ("response__student_group",),  # the starting year of the respondent's group
}


@dataclass
class Cell:
    label: str
    n: int | None  # None: suppressed
    counts: dict[int, int] = field(default_factory=dict)  # option value → respondents
    mean: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.n is None

    def share(self, value: int) -> float | None:
        if not self.n:
            return None
        return round(100 * self.counts.get(value, 0) / self.n, 1)


@dataclass
class QuestionResult:
    question: Question
    total: Cell
    cells: list[Cell] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def suppress_groups(sizes: dict) -> set:
    """The (campus, group) cells to hide, consistently with the campus breakdown (and
    the starting-year breakdown): see suppression.hidden_cells."""
    return hidden_cells(sizes, _year_of(_group_names({g for _c, g in sizes})))["group"]


def _group_names(group_ids: set, campus_ids: set | frozenset = frozenset()) -> dict[int, str]:
    """Group id → name for `group_ids`. Read by the campuses given (a few parameters
    instead of a provider's thousand group ids, whose binding alone cost milliseconds),
    then by id for any group not found there (a group recorded with another campus)."""
    from opiskeluhuolto.organisation.models import StudentGroup

    wanted = group_ids - {None}
    names: dict[int, str] = {}
    if campus_ids:
        groups = StudentGroup.objects.filter(campus__in=campus_ids).values_list("pk", "name")
        names = {pk: name for pk, name in groups if pk in wanted}
    if missing := wanted - names.keys():
        names |= dict(StudentGroup.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def _year_of(names: dict[int, str]) -> Callable[[int | None], int | None]:
    """group id → its starting year from the group's name (access.audiences), None when
    the name carries none or several."""
    from opiskeluhuolto.access.audiences import starting_years

    years: dict = {}
    for pk, name in names.items():
        found = starting_years(name)
        years[pk] = next(iter(found)) if len(found) == 1 else None
    return lambda group: years.get(group)


def count_rows(survey: Survey) -> list[tuple]:
    """Every count of the survey at the finest grain, from the answers:
    (question id or None, campus id, group id, value or None, n).

    One grouped pass over the answers (question × campus × group × value); a scale,
    choice or number question has one answer row per respondent, so its respondents per
    cell are the sum of its counts; only several-choice questions need a count of
    distinct responses (a respondent who ticks two options counts once). Free-text
    answers are counted per question only (they are not linked to a response, so they
    have no campus or group). Rows with no question: the survey's respondents per cell.
    """
    questions = {q.pk: q for q in survey.questions.all()}
    multi = [qid for qid, q in questions.items() if q.kind == Question.Kind.MULTI]
    rows: list[tuple] = []
    respondents: dict[tuple, int] = {}
    for qid, campus, group, value, n in (
        Answer.objects.filter(question__survey=survey)
        .values("question", "response__campus", "response__student_group", "value")
        .annotate(n=Count("id"))
        .values_list("question", "response__campus", "response__student_group", "value", "n")
    ):
        rows.append((qid, campus, group, value, n))
        if qid not in multi:
            key = (qid, campus, group)
            respondents[key] = respondents.get(key, 0) + n
    if multi:
        for qid, campus, group, n in (
            Answer.objects.filter(question__in=multi)
            .values("question", "response__campus", "response__student_group")
            .annotate(n=Count("response", distinct=True))
            .values_list("question", "response__campus", "response__student_group", "n")
        ):
            respondents[(qid, campus, group)] = n
    rows += [(qid, campus, group, None, n) for (qid, campus, group), n in respondents.items()]
    rows += [
        (qid, None, None, None, n)
        for qid, n in TextAnswer.objects.filter(question__survey=survey)
        .values("question")
        .annotate(n=Count("id"))
        .values_list("question", "n")
    ]
    rows += [
        (None, campus, group, None, n)
        for campus, group, n in Response.objects.filter(survey=survey)
        .values("campus", "student_group")
        .annotate(n=Count("id"))
        .values_list("campus", "student_group", "n")
    ]
    if not any(r[0] is None for r in rows):
        rows.append((None, None, None, None, 0))  # counted: nobody answered
    return rows


@transaction.atomic
def tally(survey: Survey) -> int:
    """Count the results once and store them (at release); returns the rows stored."""
    ResultCount.objects.filter(survey=survey).delete()
    stored = ResultCount.objects.bulk_create(
        [
            ResultCount(
                survey=survey,
                question_id=qid,
                campus_id=campus,
                student_group_id=group,
                value=value,
                n=n,
            )
            for qid, campus, group, value, n in count_rows(survey)
        ],
        batch_size=2000,
    )
    return len(stored)


def _rows(
    survey: Survey, by: str | None, questions: list[Question]
) -> tuple[list[tuple], dict | None]:
    """The counts of a survey and, by campus, each question's respondents per (campus,
    group) (None: take them from the rows). Stored at release (counted now, once, for a
    survey released before counts were stored); a live count for an unreleased one.

    Overall and by campus, one query summed by the database to the grain the view needs:
    per question (and campus) and value, a few hundred rows instead of one per group and
    value (most of the stored rows at a provider's size). A scale, choice or number
    question's respondents are the sum of its counts (`count_rows`), so they are summed
    here from those rows instead of read; only several-choice and free-text questions'
    are read. By campus, the suppression protects the campus and starting-year
    breakdowns together at the group's grain: the survey's respondents per group are
    read with the counts (see `_atoms` for the questions' own). By group or year, the
    rows as stored."""
    if not survey.released:
        return count_rows(survey), None
    stored = ResultCount.objects.filter(survey=survey)
    atoms: dict | None = None
    if by in (None, "campus"):
        summed = {
            q.pk for q in questions if q.kind not in (Question.Kind.MULTI, Question.Kind.TEXT)
        }
        read = (
            Q(value__isnull=False)
            | Q(question__isnull=True)
            | Q(question__in=set(q.pk for q in questions) - summed)
        )
        fields = ("question", "campus", "atom", "value") if by else ("question", "value")
        found = stored.filter(read)
        if by:  # the survey's respondents per group: the suppression's grain
            found = found.annotate(atom=Case(When(question__isnull=True, then=F("student_group"))))
        found = found.values(*fields).annotate(total=Sum("n")).values_list(*fields, "total")
        rows: list[tuple] = [r if by else (r[0], None, None, r[1], r[2]) for r in found]
        respondents: dict[tuple, int] = {}
        for qid, campus, _g, value, n in rows:
            if qid in summed and value is not None:
                respondents[(qid, campus)] = respondents.get((qid, campus), 0) + n
        rows += [(qid, campus, None, None, n) for (qid, campus), n in respondents.items()]
        if by:
            atoms = _atoms(stored, rows)
    else:
        rows = list(stored.values_list("question", "campus", "student_group", "value", "n"))
    if not rows:
        tally(survey)
        return _rows(survey, by, questions)
    return rows, atoms


def _atoms(stored, rows: list[tuple]) -> dict[int, dict[tuple, int]]:
    """Question → (campus, group) → respondents, from the survey's respondents per group
    where the question's total is the survey's (see `_rows`), else read."""
    everyone = {(campus, group): n for qid, campus, group, _v, n in rows if qid is None}
    whole = sum(everyone.values())
    totals: dict[int, int] = {}
    for qid, _c, _g, value, n in rows:
        if qid is not None and value is None:
            totals[qid] = totals.get(qid, 0) + n
    atoms = {qid: everyone for qid, n in totals.items() if n == whole}
    partial = [qid for qid in totals if qid not in atoms]
    if not partial:
        return atoms
    for qid, campus, group, n in stored.filter(
        question__in=partial, value__isnull=True
    ).values_list("question", "campus", "student_group", "n"):
        q_atoms = atoms.setdefault(qid, {})
        q_atoms[(campus, group)] = q_atoms.get((campus, group), 0) + n
    return atoms


def _labels(by: str, ids: set) -> dict:
    """Campus or group id → name."""
    from opiskeluhuolto.organisation.models import Campus, StudentGroup

    model = Campus if by == "campus" else StudentGroup
    return dict(model.objects.filter(pk__in=ids - {None}).values_list("pk", "name"))


def _same(year: int | None) -> int | None:
    """The year of an atom already keyed by (campus, year)."""
    return year


def _unit_key(by: str | None, year_of: Callable) -> Callable[[int | None, int | None], tuple]:
    """(campus, group) → the unit of the breakdown `by` the cell belongs to."""
    if by == "campus":
        return lambda campus, group: (campus,)
    if by == "group":
        return lambda campus, group: (campus, group)
    if by == "year":
        return lambda campus, group: (year_of(group),)
    return lambda campus, group: ()


def compute(survey: Survey, *, by: str | None = None) -> list[QuestionResult]:
    """The results of every question; `by` ("campus", "group" or "year") adds the breakdown.

    Reads the counts stored at release (`tally`), not the answers."""
    return compute_with_respondents(survey, by=by)[0]


def compute_with_respondents(
    survey: Survey,
    *,
    by: str | None = None,
    questions: list[Question] | None = None,
    with_texts: bool = True,
) -> tuple[list[QuestionResult], int]:
    """`compute` and the survey's respondents (`respondents`), from the same rows: the
    page needs both, and a second read of the stored counts costs a pass over them.
    `questions`: the survey's, when the caller has read them already; `with_texts`
    False: no free texts (`compute_kept` reads them itself)."""
    questions = list(survey.questions.all()) if questions is None else questions
    kinds = {q.pk: q.kind for q in questions}

    rows, stored_atoms = _rows(survey, by, questions)
    group_names = _group_names({r[2] for r in rows}, {r[1] for r in rows} - {None}) if by else {}
    year_of = _year_of(group_names)
    unit_of = _unit_key(by, year_of)

    answered = sum(r[4] for r in rows if r[0] is None)  # the survey's rows: no question
    counts: dict[int, dict[int, int]] = {}
    per_cell: dict[tuple[int, tuple], dict[int, int]] = {}
    cell_n: dict[tuple[int, tuple], int] = {}
    atoms: dict[int, dict[tuple, int]] = {}  # question → (campus, group) → respondents
    for qid, campus, group, value, n in rows:
        if qid not in kinds:  # the survey's respondents (no question)
            continue
        unit = unit_of(campus, group)
        if value is None:
            key = (qid, unit)
            cell_n[key] = cell_n.get(key, 0) + n
            if by and stored_atoms is None:
                q_atoms = atoms.setdefault(qid, {})
                q_atoms[(campus, group)] = q_atoms.get((campus, group), 0) + n
            continue
        cell = per_cell.setdefault((qid, unit), {})
        cell[value] = cell.get(value, 0) + n
        overall = counts.setdefault(qid, {})
        overall[value] = overall.get(value, 0) + n
    totals: dict[int, int] = {}
    for (qid, _unit), n in cell_n.items():
        totals[qid] = totals.get(qid, 0) + n
    means = {
        qid: sum(v * n for v, n in c.items()) / sum(c.values())
        for qid, c in counts.items()
        if kinds[qid] == Question.Kind.NUMBER and sum(c.values()) > 0
    }
    if by == "year":
        labels = {u[0]: str(u[0]) for (_q, u) in cell_n if u[0] is not None}
    else:
        labels = _labels(by, {u[-1] for (_q, u) in cell_n if u}) if by == "campus" else {}
        labels = group_names if by == "group" else labels
    texts = _shown_texts(questions) if with_texts and not by else {}
    atoms = atoms if stored_atoms is None else stored_atoms
    protect = hidden_cells if by == "group" else hidden_margins
    no_atoms: dict = {}
    hidden_of: dict[int, set] = {}  # questions sharing their groups' counts: one pass

    def hidden_in(q_atoms: dict) -> set:
        if id(q_atoms) not in hidden_of:  # each alive until compute() returns
            if protect is hidden_margins:  # the margins need only (campus, year)
                by_year: dict[tuple, int] = {}
                for (campus, group), n in q_atoms.items():
                    key = (campus, year_of(group))
                    by_year[key] = by_year.get(key, 0) + n
                hidden_of[id(q_atoms)] = protect(by_year, _same)[by or ""]
            else:
                hidden_of[id(q_atoms)] = protect(q_atoms, year_of)[by or ""]
        return hidden_of[id(q_atoms)]

    sizes_of: dict[int, dict[tuple, int]] = {}
    for (qid, unit), m in cell_n.items():
        sizes_of.setdefault(qid, {})[unit] = m
    out = []
    for q in questions:
        if q.kind == Question.Kind.TEXT:
            n = totals.get(q.pk, 0)
            total = Cell("", n if n >= SMALL_CELL else None)
            out.append(QuestionResult(q, total, texts=_texts_shown(q, total, texts, by)))
            continue
        n = totals.get(q.pk, 0)
        total = Cell("", n, counts.get(q.pk, {}), means.get(q.pk))
        if n < SMALL_CELL:
            total = Cell("", None)
        result = QuestionResult(q, total)
        if by and not total.suppressed:
            sizes = sizes_of.get(q.pk, {})
            hidden = hidden_in(atoms.get(q.pk, no_atoms))
            for unit in sorted(sizes, key=lambda u: labels.get(u[-1], "~")):
                label = labels.get(unit[-1], "") if unit[-1] is not None else ""
                if unit in hidden:
                    result.cells.append(Cell(label, None))
                else:
                    result.cells.append(Cell(label, sizes[unit], per_cell.get((q.pk, unit), {})))
        out.append(result)
    return out, answered


def _shown_texts(questions: list[Question]) -> dict[int, list[str]]:
    """The free-text answers screened as shown, per question (none read when the survey
    has no free-text question). Read live: screening goes on after release."""
    texts: dict[int, list[str]] = {}
    if any(q.kind == Question.Kind.TEXT for q in questions):
        for qid, text in TextAnswer.objects.filter(
            question__in=questions, screening=TextAnswer.Screening.SHOWN
        ).values_list("question", "text"):
            texts.setdefault(qid, []).append(text)
    return texts


def _texts_shown(q: Question, total: Cell, texts: dict[int, list[str]], by) -> list[str]:
    """A free-text question's screened answers as the page shows them: only without a
    breakdown, and only when enough answered (the small-cell rule)."""
    if q.kind != Question.Kind.TEXT or by or total.suppressed:
        return []
    return sorted(texts.get(q.pk, []))


def compute_kept(
    survey: Survey, *, by: str | None = None, can=None
) -> tuple[list[QuestionResult], int]:
    """`compute_with_respondents` for the results page: a released survey's numbers
    (every cell's counts and the suppression) computed once and kept in the cache under
    the facts' token of `can` (`access.facts.cached`), the free texts read live.

    Why: the numbers come from the counts stored at release, summed and suppressed on
    every view; that sum over a provider's stored rows was most of the page's time
    (issue 16, bench/README.md). They change only when their inputs do: the stored counts
    (written at release; a campus's or group's deletion sets their unit to none), the
    campuses' and groups' names (labels, and the starting years the suppression
    protects together with the campuses), and the questions, which no longer change
    once the survey has opened. Writes to the counts, campuses and groups change the
    token (access migration 0004's triggers), so a view never uses numbers older than
    the token it read. An unreleased survey's live counts are never kept. Screening
    goes on after release, so the shown texts are read on every view."""
    if not survey.released or can is None:
        return compute_with_respondents(survey, by=by)
    from opiskeluhuolto.access import facts

    questions = list(survey.questions.all())

    def numbers() -> tuple[dict[int, tuple[Cell, list[Cell]]], int]:
        found, answered = compute_with_respondents(
            survey, by=by, questions=questions, with_texts=False
        )
        return {r.question.pk: (r.total, r.cells) for r in found}, answered

    kept, answered = facts.cached(can, f"survey-results:{survey.pk}:{by or ''}", numbers)
    texts = _shown_texts(questions) if not by else {}
    out = []
    for q in questions:
        total, cells = kept[q.pk]
        out.append(QuestionResult(q, total, cells, _texts_shown(q, total, texts, by)))
    return out, answered


def respondents(survey: Survey) -> int:
    if not survey.released:
        return Response.objects.filter(survey=survey).count()
    stored = ResultCount.objects.filter(survey=survey, question__isnull=True)
    return stored.aggregate(n=Sum("n"))["n"] or 0
