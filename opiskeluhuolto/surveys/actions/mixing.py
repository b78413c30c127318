"""Mixing: an anonymous survey's answer sheets moved from the pending pool into the
answer side, in random order and in batches, in a transaction of their own
(docs/surveys.md, "Mixing").

Why: the answer POST marks the invitation answered and puts the sheet in the pool in
one transaction (so a sent sheet is never lost). Had it written the response there, the
response, its answers and free texts would share that transaction with the invitation:
on PostgreSQL every row records the transaction that wrote it (`xmin`), and on both
databases the rows' physical order (SQLite: the `rowid`) follows the order of writing.
The mixer writes each batch's responses in one transaction of its own, in an order
drawn at random, so within the batch neither says who wrote which.

Per breakdown cell: a response carries its (campus, group), and the invitations'
`has_answered` (and their `xmin` order) show who of a cell answered when. A batch of
four group-A sheets and one group-B sheet would name the group-B response's writer, so
the sheets are batched per cell (the stored campus and group): while the survey is
open a cell's sheets are mixed once it has at least SMALL_CELL waiting.

When:
- after an answer's commit, when the sheet's cell has at least SMALL_CELL sheets
  waiting (`answering.submit` enqueues `tasks.mix_answers`; the daily `release_due`
  sweeps any the worker missed: `mix_waiting`);
- when the survey closes (the close button, the window passing) and before its results
  are counted (`releasing.release`): everything waiting, whatever its number.

At closing, per cell, finest first: a remainder of fewer than SMALL_CELL would form a
batch naming the cell's last answerers' responses. It is mixed together with
SMALL_CELL responses of the same cell taken back at random from the earlier batches
(deleted and written again, with new random ids, in the same random order as the
remainder's). A cell with fewer than SMALL_CELL responses in all (mixed and waiting)
would name its few answerers whatever the mixing: its responses are written coarsened
instead, the group dropped (the campus kept if the campus alone is an allowed
`BreakdownCell`, else no unit), and join that coarser cell, to which the same rule then
applies; the cell with no unit is the last. Free texts carry no unit: when fewer than
SMALL_CELL sheets wait at closing, per question the remainder answered in free text
they are mixed with SMALL_CELL earlier free texts of that question (their screening
kept).
"""

from __future__ import annotations

import random
import secrets
import uuid
from typing import NamedTuple

from django.db import connection, transaction

from ..models import (
    SMALL_CELL,
    Answer,
    BreakdownCell,
    PendingSheet,
    Response,
    Survey,
    TextAnswer,
)


class Sheet(NamedTuple):
    """One response to write: its breakdown units and its closed answers."""

    campus_id: int | None
    student_group_id: int | None
    answers: list  # [[question id, value], …]


def mix(survey_id: int, *, rng: random.Random | None = None) -> int:
    """Mix the survey's waiting sheets if there are enough (SMALL_CELL of a breakdown cell
    while the survey is open; any number once it is not): one transaction. Returns the
    sheets mixed."""
    with transaction.atomic():
        # FOR NO KEY UPDATE: one mixer (or closing) at a time per survey, while the
        # answer POST's inserts (whose foreign key takes FOR KEY SHARE) go on.
        survey = Survey.objects.select_for_update(no_key=True).filter(pk=survey_id).first()
        if survey is None:
            return 0
        return mix_locked(survey, closing=survey.status != Survey.Status.OPEN, rng=rng)


Cell = tuple[int | None, int | None]  # (campus id, student group id)


def mix_locked(survey: Survey, *, closing: bool, rng: random.Random | None = None) -> int:
    """`mix` within the caller's transaction, the survey's row locked by the caller
    (closing, release). Open: the cells with at least SMALL_CELL sheets waiting.
    `closing`: everything waiting (`_closing_batch`). `rng` (tests): the order's source;
    by default the operating system's (`secrets.SystemRandom`). Returns the sheets
    taken from the pool."""
    rng = rng or secrets.SystemRandom()
    pending = list(
        PendingSheet.objects.filter(survey_id=survey.pk)
        .order_by("pk")
        .values_list("pk", "campus_id", "student_group_id", "answers", "texts")
    )
    cells: dict[Cell, list] = {}
    for row in pending:
        cells.setdefault((row[1], row[2]), []).append(row)
    if not closing:
        pending = [row for rows in cells.values() if len(rows) >= SMALL_CELL for row in rows]
    if not pending:
        return 0
    texts = [
        (int(qid), str(text), TextAnswer.Screening.PENDING.value)
        for *_rest, sheet_texts in pending
        for qid, text in sheet_texts
    ]
    if closing:
        sheets = _closing_batch(survey, cells, rng)
        if len(pending) < SMALL_CELL:
            texts += _take_back_texts({qid for qid, _text, _s in texts}, rng)
    else:
        sheets = _sheets(pending)
    PendingSheet.objects.filter(pk__in=[row[0] for row in pending]).delete()
    rng.shuffle(sheets)
    rng.shuffle(texts)
    _write(survey, sheets, texts)
    return len(pending)


def _sheets(rows: list) -> list[Sheet]:
    """The pool's rows (pk, campus, group, answers, texts) as sheets to write."""
    return [Sheet(campus, group, list(answers)) for _pk, campus, group, answers, _t in rows]


def _closing_batch(survey: Survey, cells: dict[Cell, list], rng: random.Random) -> list[Sheet]:
    """Every waiting sheet, per cell and finest first (group, campus, no unit): a cell
    with SMALL_CELL waiting as it is; a smaller remainder with SMALL_CELL of the cell's
    mixed responses taken back; a cell with fewer than SMALL_CELL responses in all
    (mixed and waiting, its coarsened ones included) coarsened into `_coarser`, its
    mixed responses taken back with it. The cell with no unit is never coarsened."""
    campuses = set(
        BreakdownCell.objects.filter(survey=survey, student_group__isnull=True).values_list(
            "campus_id", flat=True
        )
    )
    waiting: dict[Cell, list[Sheet]] = {cell: _sheets(rows) for cell, rows in cells.items()}
    batch: list[Sheet] = []
    for fineness in (2, 1, 0):
        for cell in sorted(
            (c for c in waiting if sum(unit is not None for unit in c) == fineness),
            key=lambda c: (c[0] or 0, c[1] or 0),
        ):
            sheets = waiting.pop(cell)
            if len(sheets) >= SMALL_CELL:
                batch += sheets
                continue
            mixed = _responses_of(survey, cell).count()
            if fineness == 0 or len(sheets) + mixed >= SMALL_CELL:
                batch += sheets + _take_back_responses(survey, cell, SMALL_CELL, rng)
                continue
            coarser = _coarser(cell, campuses)
            waiting.setdefault(coarser, []).extend(
                sheet._replace(campus_id=coarser[0], student_group_id=coarser[1])
                for sheet in sheets + _take_back_responses(survey, cell, mixed, rng)
            )
    return batch


def _coarser(cell: Cell, campuses: set[int]) -> Cell:
    """The cell's group dropped: its campus alone if that is an allowed breakdown cell
    of the survey (`campuses`), else no unit."""
    campus, group = cell
    if group is not None and campus in campuses:
        return (campus, None)
    return (None, None)


def _responses_of(survey: Survey, cell: Cell):
    """The survey's mixed responses carrying exactly the cell (a unit None: IS NULL)."""
    lookups: dict[str, object] = {}
    for name, unit in (("campus", cell[0]), ("student_group", cell[1])):
        lookups.update({f"{name}__isnull": True} if unit is None else {f"{name}_id": unit})
    return Response.objects.filter(survey=survey, **lookups)


def _take_back_responses(
    survey: Survey, cell: Cell, number: int, rng: random.Random
) -> list[Sheet]:
    """`number` (or all, if fewer) of the cell's mixed responses, drawn at random, read
    and deleted (their answers with them), to be written again with the remainder."""
    ids = sorted(_responses_of(survey, cell).values_list("pk", flat=True))
    chosen = rng.sample(ids, min(number, len(ids)))
    if not chosen:
        return []
    answers: dict = {pk: [] for pk in chosen}
    for response_id, qid, value in (
        Answer.objects.filter(response_id__in=chosen)
        .order_by("question_id", "value")
        .values_list("response_id", "question_id", "value")
    ):
        answers[response_id].append([qid, value])
    Answer.objects.filter(response_id__in=chosen).delete()
    Response.objects.filter(pk__in=chosen).delete()
    return [Sheet(cell[0], cell[1], answers[pk]) for pk in chosen]


def _take_back_texts(question_ids: set[int], rng: random.Random) -> list[tuple]:
    """Per question: SMALL_CELL (or all) of its mixed free texts, drawn at random, read
    and deleted, to be written again (their screening kept) with the remainder's."""
    taken: list[tuple] = []
    for qid in sorted(question_ids):
        rows = sorted(
            TextAnswer.objects.filter(question_id=qid).values_list("pk", "text", "screening")
        )
        chosen = rng.sample(rows, min(SMALL_CELL, len(rows)))
        TextAnswer.objects.filter(pk__in=[pk for pk, _t, _s in chosen]).delete()
        taken += [(qid, text, screening) for _pk, text, screening in chosen]
    return taken


#: Rows per INSERT statement: 4 parameters a row stay far under the databases' limits.
CHUNK = 500


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain multi-row INSERTs, in the order of `rows` (which becomes the rows' physical
    order). Why not `bulk_create`: building a model instance per answer (a batch of
    sheets of 20 questions is hundreds of them) cost the worker about 4 ms of CPU per
    answer sheet in bench/bench_surveys.py, a third of what the answer POST costs."""
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            # The table and column names are this module's own constants; values are
            # parameters.
            values = ", ".join([row] * len(chunk))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"  # noqa: S608
            cursor.execute(sql, [value for r in chunk for value in r])


def _write(survey: Survey, sheets: list[Sheet], texts: list[tuple]) -> None:
    """The batch, in the order given (already drawn at random): the rows go into the
    tables in this order, so their physical order (SQLite: rowid) is this order. New
    random ids throughout (prepared for the database as the models' UUID fields do)."""
    prep = Response._meta.pk.get_db_prep_value
    responses: list[tuple] = []
    answers: list[tuple] = []
    for sheet in sheets:
        rid = prep(uuid.uuid4(), connection)
        responses.append((rid, survey.pk, sheet.campus_id, sheet.student_group_id))
        answers += [
            (prep(uuid.uuid4(), connection), rid, qid, value) for qid, value in sheet.answers
        ]
    _insert(
        Response._meta.db_table, ("id", "survey_id", "campus_id", "student_group_id"), responses
    )
    _insert(Answer._meta.db_table, ("id", "response_id", "question_id", "value"), answers)
    _insert(
        TextAnswer._meta.db_table,
        ("id", "question_id", "text", "screening"),
        [(prep(uuid.uuid4(), connection), qid, text, screening) for qid, text, screening in texts],
    )


def waiting_sheets(survey: Survey) -> int:
    """How many of the survey's sheets wait to be mixed (none once it has closed)."""
    return PendingSheet.objects.filter(survey_id=survey.pk).count()


def mix_waiting() -> int:
    """The daily sweep (`release_due`): every survey with sheets the worker has not mixed
    (an enqueue lost, or two answers committed together, each seeing fewer than
    SMALL_CELL waiting in its cell): `mix` decides for each (open: the cells with at
    least SMALL_CELL; otherwise all). Returns the sheets mixed."""
    survey_ids = (
        PendingSheet.objects.values_list("survey_id", flat=True).distinct().order_by("survey_id")
    )
    return sum(mix(survey_id) for survey_id in list(survey_ids))
