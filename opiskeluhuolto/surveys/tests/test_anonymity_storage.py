"""Anonymity below the columns (docs/surveys.md, "Mixing"): the databases' own
bookkeeping — PostgreSQL's `xmin` (the transaction that wrote a row), the rows'
physical order (`ctid`; SQLite's `rowid`) — must not relate an answered invitation to
its response, answers or free texts. Read from the live database, as test_anonymity.py
reads the columns.

The order is drawn at random by the mixer; the tests give it a seeded generator
(`rng=`, or the operating system's generator replaced by one), so that what they check
is decided, not likely: the answering order is not the order in the tables.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection

from opiskeluhuolto.surveys import actions, results
from opiskeluhuolto.surveys.actions import mixing
from opiskeluhuolto.surveys.models import (
    SMALL_CELL,
    Answer,
    BreakdownCell,
    Invitation,
    PendingSheet,
    Response,
    ResultCount,
    TextAnswer,
)

from .conftest import five_and_five


def _numbered_survey(sv, cast):
    """An open students' survey of a number and a free text: answerer i answers i and
    "vastaus i", so the rows say in which order they were sent."""
    survey = actions.create_survey(
        sv.group,
        by=sv.kuraattori,
        title={"fi": "Järjestys"},
        audience="students",
        institution=cast.lukio,
    )
    actions.add_question(survey, kind="number", text={"fi": "Luku"}, minimum=0, maximum=99)
    actions.add_question(survey, kind="text", text={"fi": "Vapaa sana"})
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    survey = actions.open_survey(survey, by=sv.kuraattori, today=sv.today)
    number, text = survey.questions.order_by("position")
    return survey, number, text


def _answer(survey, number, text, users, today, start: int = 0) -> None:
    for i, user in enumerate(users, start=start):
        actions.submit(
            survey, user, {str(number.pk): i, str(text.pk): f"vastaus {i:02d}"}, today=today
        )


def _physical(sql: str, params: list) -> list:
    """The rows of `sql` (which names its table `t`) in the table's physical order:
    PostgreSQL's ctid, SQLite's rowid."""
    order = "t.ctid" if connection.vendor == "postgresql" else "t.rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY {order}", params)
        return [row[0] for row in cursor.fetchall()]


def _orders(survey, number, text) -> dict[str, list]:
    """The answering number of each response, answer and free text, in table order."""
    return {
        "responses": _physical(
            "SELECT a.value FROM surveys_response t JOIN surveys_answer a"
            " ON a.response_id = t.id WHERE t.survey_id = %s",
            [survey.pk],
        ),
        "answers": _physical(
            "SELECT t.value FROM surveys_answer t WHERE t.question_id = %s", [number.pk]
        ),
        "texts": [
            int(s.split()[1])
            for s in _physical(
                "SELECT t.text FROM surveys_textanswer t WHERE t.question_id = %s", [text.pk]
            )
        ],
    }


@pytest.mark.django_db
def test_an_answer_waits_in_the_pool_and_the_mixer_is_enqueued_after_the_commit(
    sv, cast, settings, django_capture_on_commit_callbacks
):
    """Answering writes the invitation and the pending sheet only; once SMALL_CELL sheets
    wait, the mixer is enqueued on the commit (not run in the request) and, run by the
    worker, moves them into the answer side and empties the pool."""
    survey, number, text = _numbered_survey(sv, cast)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _answer(survey, number, text, sv.users[: SMALL_CELL - 1], sv.today)
    assert callbacks == []
    assert PendingSheet.objects.filter(survey=survey).count() == SMALL_CELL - 1
    assert not Response.objects.filter(survey=survey).exists()
    assert not TextAnswer.objects.filter(question=text).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        last = sv.users[SMALL_CELL - 1 : SMALL_CELL]
        _answer(survey, number, text, last, sv.today, start=SMALL_CELL - 1)
    assert len(callbacks) == 1
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    callbacks[0]()
    assert [r.task.name for r in default_task_backend.results] == ["mix_answers"]
    assert not Response.objects.filter(survey=survey).exists()  # the request mixes nothing
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    callbacks[0]()
    assert not PendingSheet.objects.filter(survey=survey).exists()
    assert Response.objects.filter(survey=survey).count() == SMALL_CELL
    assert sorted(Answer.objects.filter(question=number).values_list("value", flat=True)) == list(
        range(SMALL_CELL)
    )
    assert TextAnswer.objects.filter(question=text, screening="pending").count() == SMALL_CELL


@pytest.mark.django_db
def test_the_mixer_is_enqueued_at_every_fifth_waiting_sheet_only(
    sv, cast, django_capture_on_commit_callbacks
):
    """Ten answers with no worker run between them: the mixer is enqueued at the fifth
    and the tenth waiting sheet, not at each answer past five (one run mixes them all)."""
    survey, number, text = _numbered_survey(sv, cast)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _answer(survey, number, text, sv.users, sv.today)
    assert len(sv.users) == 10 and len(callbacks) == 2
    assert PendingSheet.objects.filter(survey=survey).count() == 10


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_tables_do_not_keep_the_answering_order(sv, cast, seed):
    """Ten answer in a known order; the responses, answers and free texts lie in the
    tables (SQLite rowid, PostgreSQL ctid) in the order the mixer drew, not in that one."""
    survey, number, text = _numbered_survey(sv, cast)
    _answer(survey, number, text, sv.users, sv.today)
    answering = list(range(len(sv.users)))
    assert _physical(
        "SELECT t.answers FROM surveys_pendingsheet t WHERE t.survey_id = %s", [survey.pk]
    )  # the pool holds them (in the answering order) until mixed
    assert mixing.mix(survey.pk, rng=random.Random(seed)) == len(sv.users)
    for table, order in _orders(survey, number, text).items():
        assert sorted(order) == answering, table  # every sheet, once
        assert order != answering, (table, order)


@pytest.mark.django_db
def test_a_remainder_at_closing_is_mixed_with_earlier_responses(sv, cast):
    """Seven mixed, then two more: too few to mix while open. Closing mixes the two with
    SMALL_CELL earlier responses (and, of the free-text question, SMALL_CELL earlier
    texts) written again with new ids in the same transaction, so the closing batch
    does not consist of the last answerers' sheets alone. Nothing is lost, nothing
    doubled; a screening already done is kept."""
    survey, number, text = _numbered_survey(sv, cast)
    _answer(survey, number, text, sv.users[:7], sv.today)
    assert actions.mix(survey.pk) == 7
    before = set(Response.objects.filter(survey=survey).values_list("pk", flat=True))
    texts_before = set(TextAnswer.objects.filter(question=text).values_list("pk", flat=True))
    shown = TextAnswer.objects.filter(question=text).order_by("text").first()
    actions.screen_text(shown, show=True, by=sv.kuraattori)
    _answer(survey, number, text, sv.users[7:9], sv.today, start=7)
    assert actions.mix(survey.pk) == 0  # open: two are too few for a batch
    assert PendingSheet.objects.filter(survey=survey).count() == 2

    actions.close_survey(survey, by=sv.kuraattori, today=sv.today)
    assert not PendingSheet.objects.filter(survey=survey).exists()
    after = set(Response.objects.filter(survey=survey).values_list("pk", flat=True))
    # Written by the closing: the remainder's 2 and SMALL_CELL taken back (new ids).
    assert len(after - before) == 2 + SMALL_CELL and len(before - after) == SMALL_CELL
    texts_after = set(TextAnswer.objects.filter(question=text).values_list("pk", flat=True))
    assert len(texts_after - texts_before) == 2 + SMALL_CELL
    assert sorted(Answer.objects.filter(question=number).values_list("value", flat=True)) == list(
        range(9)
    )
    assert sorted(TextAnswer.objects.filter(question=text).values_list("text", flat=True)) == [
        f"vastaus {i:02d}" for i in range(9)
    ]
    assert TextAnswer.objects.get(question=text, text=shown.text).screening == "shown"
    assert TextAnswer.objects.filter(question=text, screening="shown").count() == 1


@pytest.mark.django_db
def test_a_mixer_failing_midway_loses_nothing(sv, cast, monkeypatch):
    """The mixer's one transaction: a failure after the responses are written leaves the
    pool as it was and writes nothing; the next run mixes everything once."""
    survey, number, text = _numbered_survey(sv, cast)
    _answer(survey, number, text, sv.users[:6], sv.today)

    real = mixing._insert

    def broken(table, columns, rows):
        if table == "surveys_textanswer":  # the responses and answers are written by now
            raise RuntimeError("the worker died")
        real(table, columns, rows)

    monkeypatch.setattr(mixing, "_insert", broken)
    with pytest.raises(RuntimeError):
        actions.mix(survey.pk)
    assert PendingSheet.objects.filter(survey=survey).count() == 6
    assert not Response.objects.filter(survey=survey).exists()
    assert not Answer.objects.filter(question=number).exists()
    monkeypatch.undo()
    assert actions.mix(survey.pk) == 6
    assert not PendingSheet.objects.filter(survey=survey).exists()
    assert Answer.objects.filter(question=number).count() == 6
    assert TextAnswer.objects.filter(question=text).count() == 6


@pytest.mark.django_db
def test_the_results_count_mixed_sheets_only_and_release_mixes_the_rest(sv, cast):
    """Waiting sheets are in no count; the release mixes them first (a remainder with
    earlier responses), so the stored counts hold every answer once."""
    survey, number, text = _numbered_survey(sv, cast)
    _answer(survey, number, text, sv.users[:6], sv.today)
    assert results.respondents(survey) == 0  # all six wait
    assert actions.mix(survey.pk) == 6
    assert results.respondents(survey) == 6
    _answer(survey, number, text, sv.users[6:9], sv.today, start=6)
    assert results.respondents(survey) == 6
    assert actions.waiting_sheets(survey) == 3
    survey = actions.release(survey, by=sv.kuraattori, today=survey.results_on)
    assert actions.waiting_sheets(survey) == 0
    assert results.respondents(survey) == 9
    stored = ResultCount.objects.filter(survey=survey, question=number, value__isnull=False)
    assert sorted(stored.values_list("value", flat=True)) == list(range(9))


@pytest.mark.django_db
def test_the_daily_run_mixes_what_the_worker_missed(sv, cast):
    """Sheets whose mixer was never enqueued (two answers committed together, each
    counting four waiting) are mixed by the daily `release_due`."""
    survey, number, text = _numbered_survey(sv, cast)
    _answer(survey, number, text, sv.users[:SMALL_CELL], sv.today)  # no commit: no mixer
    actions.release_due(today=sv.today)
    assert not PendingSheet.objects.filter(survey=survey).exists()
    assert Response.objects.filter(survey=survey).count() == SMALL_CELL


def _xmins(sql: str, params: list) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(row[0]) for row in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_no_answer_row_shares_its_transaction_or_order_with_an_invitation(sv, cast, monkeypatch):
    """Real commits, the mixer run by the task worker after them (the test settings'
    immediate backend), then closing: eleven answer one by one (batches of five, five and
    a remainder of one mixed at closing with five taken back).

    On PostgreSQL no response, answer or free-text row has the `xmin` of any answered
    invitation, and every answerer's response is among at least SMALL_CELL responses
    written after their answer; on both databases the tables do not keep the answering
    order."""
    monkeypatch.setattr(mixing.secrets, "SystemRandom", lambda: random.Random(16))
    survey, number, text = _numbered_survey(sv, cast)
    users = [i.user for i in Invitation.objects.filter(survey=survey).order_by("pk")]
    assert len(users) == 11
    _answer(survey, number, text, users, sv.today)
    assert PendingSheet.objects.filter(survey=survey).count() == 1  # two batches mixed
    actions.close_survey(survey, by=sv.kuraattori, today=sv.today)
    assert not PendingSheet.objects.filter(survey=survey).exists()
    orders = _orders(survey, number, text)
    for table, order in orders.items():
        assert sorted(order) == list(range(11)), table
        assert order != list(range(11)), (table, order)
    if connection.vendor != "postgresql":
        return
    person = _xmins(
        "SELECT xmin::text FROM surveys_invitation WHERE survey_id = %s AND has_answered",
        [survey.pk],
    )
    responses = _xmins("SELECT xmin::text FROM surveys_response WHERE survey_id = %s", [survey.pk])
    answers = _xmins("SELECT xmin::text FROM surveys_answer WHERE question_id = %s", [number.pk])
    texts = _xmins("SELECT xmin::text FROM surveys_textanswer WHERE question_id = %s", [text.pk])
    assert len(person) == 11 and len(set(person)) == 11  # one transaction each
    assert not set(person) & (set(responses) | set(answers) | set(texts))
    # Batches of at least SMALL_CELL: whoever answered, at least SMALL_CELL responses
    # were written after their answer, among which theirs is.
    for xid in person:
        assert sum(r > xid for r in responses) >= SMALL_CELL, (xid, sorted(responses))
    closing = max(responses)
    assert responses.count(closing) == 1 + SMALL_CELL


def _cells(survey) -> dict:
    """How many of the survey's mixed responses carry each (campus, group)."""
    out: dict = {}
    for cell in Response.objects.filter(survey=survey).values_list("campus_id", "student_group_id"):
        out[cell] = out.get(cell, 0) + 1
    return out


@pytest.mark.django_db
def test_sheets_are_batched_per_breakdown_cell(sv, cast, django_capture_on_commit_callbacks):
    """24A and 24B are both stored (five invitees or more each). Four 24A sheets and one
    24B sheet are five waiting, but a batch of them would name the 24B response's writer
    (the one 24B invitee who answered meanwhile): nothing is enqueued or mixed until 24B
    itself has five waiting, and then only 24B's five are written."""
    five_and_five(sv)  # before opening: 24A 6 invitees (with Aino), 24B 5
    survey, number, text = _numbered_survey(sv, cast)
    a_users, b_users = sv.users[:5], sv.users[5:]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _answer(survey, number, text, a_users[:4] + b_users[:1], sv.today)
    assert callbacks == []
    assert mixing.mix(survey.pk) == 0  # five waiting, but 4 + 1 over two cells
    assert not Response.objects.filter(survey=survey).exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _answer(survey, number, text, b_users[1:], sv.today, start=5)
    assert len(callbacks) == 1  # at 24B's fifth
    assert mixing.mix(survey.pk) == SMALL_CELL
    campus = cast.lukio_campus.pk
    assert _cells(survey) == {(campus, sv.other_group.pk): SMALL_CELL}
    assert TextAnswer.objects.filter(question=text).count() == SMALL_CELL
    assert PendingSheet.objects.filter(survey=survey, student_group=cast.group).count() == 4
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _answer(survey, number, text, a_users[4:], sv.today, start=10)
    assert len(callbacks) == 1  # at 24A's fifth
    assert mixing.mix(survey.pk) == SMALL_CELL
    assert _cells(survey) == {(campus, cast.group.pk): 5, (campus, sv.other_group.pk): 5}
    assert not PendingSheet.objects.filter(survey=survey).exists()


@pytest.mark.django_db
def test_a_cell_with_fewer_than_five_responses_is_stored_coarser_at_closing(sv, cast):
    """24A, 24B and five students with no group (the campus alone) are stored. 24A's five
    were mixed while open. At closing, 24B's three answers are fewer than five in all,
    so the invitations (who of 24B answered) would name them: they are stored without
    the group, with the campus, whose own three waiting make six. A remainder of a cell
    with enough responses is mixed with responses taken back from the same cell."""
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation import actions as org

    five_and_five(sv)
    loose = []
    for i in range(5):
        user = User.objects.create_user(username=f"ilman{i}", password="x")
        org.enrol_student(
            user=user, institution=cast.lukio, campus=cast.lukio_campus, group=None,
            first_name=f"Ilman{i}", last_name="Ryhmää", date_of_birth=date(2008, 3, 1 + i),
        )  # fmt: skip
        loose.append(user)
    survey, number, text = _numbered_survey(sv, cast)
    campus, a, b = cast.lukio_campus.pk, cast.group.pk, sv.other_group.pk
    assert set(
        BreakdownCell.objects.filter(survey=survey).values_list("campus_id", "student_group_id")
    ) == {(campus, None), (campus, a), (campus, b)}
    _answer(survey, number, text, sv.users[:5], sv.today)  # 24A
    assert mixing.mix(survey.pk) == SMALL_CELL
    a_before = set(Response.objects.filter(survey=survey).values_list("pk", flat=True))
    _answer(survey, number, text, [cast.aino.user], sv.today, start=5)  # 24A's sixth
    _answer(survey, number, text, sv.users[5:8], sv.today, start=6)  # 24B: three
    _answer(survey, number, text, loose[:3], sv.today, start=9)  # the campus alone: three
    assert mixing.mix(survey.pk) == 0
    actions.close_survey(survey, by=sv.kuraattori, today=sv.today)
    assert not PendingSheet.objects.filter(survey=survey).exists()
    assert _cells(survey) == {(campus, a): 6, (campus, None): 6}
    # 24A's remainder of one went with its five earlier responses, written again.
    assert not a_before & set(Response.objects.filter(survey=survey).values_list("pk", flat=True))
    assert sorted(Answer.objects.filter(question=number).values_list("value", flat=True)) == list(
        range(12)
    )
    assert TextAnswer.objects.filter(question=text).count() == 12
    assert mixing._coarser((campus, b), set()) == (None, None)  # the campus not allowed
