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
groups: summing them would give the hidden campus back. Per question the same rule applies; optional questions have their own
totals.

All counts come from one grouped SQL query over the answers (grouped by the breakdown's
units too when there is one; the overall counts are their sums), plus a count of
distinct responses for several-choice questions only (bench/bench_surveys.py);
free-text answers appear only in the overall view and only after screening.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count

from .models import SMALL_CELL, Answer, Question, Response, Survey, TextAnswer

#: The answer fields of each breakdown. Groups are keyed with their campus: a campus's
#: total is published in the campus breakdown, so its groups are protected within it.
BREAKDOWNS = {
    "campus": ("response__campus",),
    "group": ("response__campus", "response__student_group"),
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


def suppress(sizes: dict, threshold: int = SMALL_CELL) -> set:
    """The keys of the cells to hide, differencing included (see the module docstring)."""
    hidden = {k for k, n in sizes.items() if n < threshold}
    if not hidden:
        return hidden
    rest = sorted((n, str(k), k) for k, n in sizes.items() if k not in hidden)
    while rest and (len(hidden) < 2 or sum(sizes[k] for k in hidden) < threshold):
        hidden.add(rest.pop(0)[2])
    if len(hidden) < 2 or sum(sizes[k] for k in hidden) < threshold:
        return set(sizes)  # cannot be protected: withhold the whole breakdown
    return hidden


def suppress_groups(sizes: dict) -> set:
    """The (campus, group) cells to hide, consistently with the campus breakdown.

    A campus hidden in the campus breakdown hides all its groups (their sum would give
    it away); within a shown campus, whose total is published, the rule applies again.
    """
    campus_sizes: dict = {}
    for (campus, _group), n in sizes.items():
        campus_sizes[campus] = campus_sizes.get(campus, 0) + n
    hidden_campuses = suppress(campus_sizes)
    hidden = {u for u in sizes if u[0] in hidden_campuses}
    for part in set(campus_sizes) - hidden_campuses:
        hidden |= suppress({u: m for u, m in sizes.items() if u[0] == part})
    return hidden


def _labels(survey: Survey, by: str) -> dict:
    """Campus or group id → name."""
    from opiskeluhuolto.organisation.models import Campus, StudentGroup

    model = Campus if by == "campus" else StudentGroup
    field = "campus_id" if by == "campus" else "student_group_id"
    ids = set(Response.objects.filter(survey=survey).values_list(field, flat=True).distinct())
    return {o.pk: o.name for o in model.objects.filter(pk__in=ids - {None})}


def compute(survey: Survey, *, by: str | None = None) -> list[QuestionResult]:
    """The results of every question; `by` ("campus" or "group") adds the breakdown."""
    questions = list(survey.questions.all())
    closed = [q for q in questions if q.kind != Question.Kind.TEXT]
    multi = [q for q in closed if q.kind == Question.Kind.MULTI]
    keys = BREAKDOWNS[by] if by else ()
    # One grouped pass over the answers: (question, [breakdown units,] value) → count.
    # A scale, choice or number question has one answer row per respondent, so its
    # respondents are the sum of its counts; only several-choice questions need a
    # count of distinct responses (a respondent who ticks two options counts once).
    counts: dict[int, dict[int, int]] = {}
    per_cell: dict[tuple[int, tuple], dict[int, int]] = {}
    for row in (
        Answer.objects.filter(question__in=closed)
        .values("question", *keys, "value")
        .annotate(n=Count("id"))
        .values_list("question", *keys, "value", "n")
    ):
        qid, unit, value, n = row[0], tuple(row[1:-2]), row[-2], row[-1]
        cell = per_cell.setdefault((qid, unit), {})
        cell[value] = cell.get(value, 0) + n
        overall = counts.setdefault(qid, {})
        overall[value] = overall.get(value, 0) + n
    cell_n = {k: sum(v.values()) for k, v in per_cell.items()}
    totals = {qid: sum(v.values()) for qid, v in counts.items()}
    if multi:
        for row in (
            Answer.objects.filter(question__in=multi)
            .values("question", *keys)
            .annotate(n=Count("response", distinct=True))
            .values_list("question", *keys, "n")
        ):
            cell_n[(row[0], tuple(row[1:-1]))] = row[-1]
        for qid in {q.pk for q in multi}:
            totals[qid] = sum(n for (q, _u), n in cell_n.items() if q == qid)
    means = dict(
        Answer.objects.filter(question__in=[q for q in closed if q.kind == Question.Kind.NUMBER])
        .values("question")
        .annotate(m=Avg("value"))
        .values_list("question", "m")
    )
    labels = _labels(survey, by) if by else {}
    texts: dict[int, list[str]] = {}
    for qid, text in TextAnswer.objects.filter(
        question__in=questions, screening=TextAnswer.Screening.SHOWN
    ).values_list("question", "text"):
        texts.setdefault(qid, []).append(text)
    out = []
    for q in questions:
        if q.kind == Question.Kind.TEXT:
            n = TextAnswer.objects.filter(question=q).count()
            shown = sorted(texts.get(q.pk, [])) if n >= SMALL_CELL and not by else []
            out.append(QuestionResult(q, Cell("", n if n >= SMALL_CELL else None), texts=shown))
            continue
        n = totals.get(q.pk, 0)
        total = Cell("", n, counts.get(q.pk, {}), means.get(q.pk))
        if n < SMALL_CELL:
            total = Cell("", None)
        result = QuestionResult(q, total)
        if by and not total.suppressed:
            sizes = {unit: m for (qid, unit), m in cell_n.items() if qid == q.pk}
            hidden = suppress(sizes) if by == "campus" else suppress_groups(sizes)
            for unit in sorted(sizes, key=lambda u: labels.get(u[-1], "~")):
                label = labels.get(unit[-1], "") if unit[-1] is not None else ""
                if unit in hidden:
                    result.cells.append(Cell(label, None))
                else:
                    result.cells.append(Cell(label, sizes[unit], per_cell.get((q.pk, unit), {})))
        out.append(result)
    return out


def respondents(survey: Survey) -> int:
    return Response.objects.filter(survey=survey).count()
