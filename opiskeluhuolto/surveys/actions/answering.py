"""Answering, anonymously by construction (docs/surveys.md): the surveys open to a
person, checking answers, the draft, and `submit`, which marks the person side answered
and, in the same transaction, puts the answer sheet, without any person, session or
time, in the survey's pending pool; the mixer (actions.mixing, in the task worker) moves
the pool into the answer side in random order, in a transaction of its own."""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import NamedTuple

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.db.models.functions import UUID4
from django.db.models.sql import Query
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    SMALL_CELL,
    Invitation,
    NamedResponse,
    PendingSheet,
    Question,
    Response,
    Survey,
    TextAnswer,
)
from .common import TEXT_MAX, AlreadyAnswered, NotInvited, NotOpen


# --- answering --------------------------------------------------------------------------
def open_for(user, *, today: date | None = None) -> QuerySet[Survey]:
    """The surveys this person may answer now (invited, not yet answered, window open)."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return Survey.objects.none()
    return Survey.objects.filter(
        status=Survey.Status.OPEN,
        opens_on__lte=today,
        closes_on__gte=today,
        invitations__user=user,
        invitations__has_answered=False,
    ).order_by("closes_on", "pk")


class Rule(NamedTuple):
    """What checking an answer needs of its question: a few plain values, so that the
    answer POST need not build and decode a `Question` per question (issue 16)."""

    pk: int
    kind: str
    required: bool
    values: frozenset[int]
    minimum: int | None
    maximum: int | None


def rule_of(question: Question | Rule) -> Rule:
    if isinstance(question, Rule):
        return question
    return Rule(
        question.pk,
        question.kind,
        question.required,
        frozenset(question.option_values()),
        question.minimum,
        question.maximum,
    )


#: How long the question rules of an open survey stay in the cache (seconds).
RULES_TIMEOUT = 3600


def rules_of(survey: Survey) -> dict[int, Rule]:
    """{question id: Rule} of the survey, in order. An open survey's questions never
    change (`add_question` refuses anything but a draft, and nothing edits or removes a
    question), so for an open survey they are kept in the cache under the survey's id:
    the answer POST reads no question (issue 16). A draft's are read every time."""
    if survey.status != Survey.Status.OPEN:
        return {q.pk: rule_of(q) for q in survey.questions.all()}
    key = f"surveys-rules:{survey.pk}"
    rules = cache.get(key)
    if rules is None:
        rules = {q.pk: rule_of(q) for q in survey.questions.all()}
        cache.set(key, rules, RULES_TIMEOUT)
    return rules


def clean_answers(
    survey: Survey, data: dict, *, partial: bool = False, questions: dict | None = None
) -> dict[int, object]:
    """Check one person's answers against the questions: {question id: value}.

    Values: an int for a scale or choice, a list of ints for several choices, an int
    for a number, a string for free text. Raises ValidationError keyed by question id
    (a missing required answer, a value outside the scale, an unknown question).
    `partial` (saving a draft) allows missing answers.
    """
    if not isinstance(data, dict):
        raise ValidationError({"answers": _("The answers must be given per question.")})
    rules = rules_of(survey) if questions is None else {k: rule_of(q) for k, q in questions.items()}
    errors: dict[str, str] = {}
    clean: dict[int, object] = {}
    given: dict[int, object] = {}
    for key, value in data.items():
        try:
            qid = int(key)
        except (TypeError, ValueError):
            qid = -1
        if qid not in rules:
            errors[str(key)] = _("There is no such question in this survey.")
            continue
        given[qid] = value
    for qid, q in rules.items():
        value = given.get(qid)
        empty = value is None or value == "" or value == []
        if empty:
            if q.required and not partial:
                errors[str(qid)] = _("This question needs an answer.")
            continue
        try:
            clean[qid] = _clean_value(q, value)
        except ValidationError as e:
            errors[str(qid)] = e.messages[0]
    if errors:
        raise ValidationError(errors)
    return clean


def _int(value) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("Give a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,9}", value.strip()):
        return int(value.strip())
    raise ValidationError(_("Give a whole number."))


def _clean_value(q: Rule, value):
    if q.kind in (Question.Kind.LIKERT, Question.Kind.CHOICE):
        v = _int(value)
        if v not in q.values:
            raise ValidationError(_("Choose one of the options."))
        return v
    if q.kind == Question.Kind.MULTI:
        values = value if isinstance(value, list) else [value]
        cleaned = sorted({_int(v) for v in values})
        if not q.values.issuperset(cleaned):
            raise ValidationError(_("Choose among the options."))
        return cleaned
    if q.kind == Question.Kind.NUMBER:
        v = _int(value)
        if (q.minimum is not None and v < q.minimum) or (q.maximum is not None and v > q.maximum):
            raise ValidationError(
                _("Give a number from %(min)s to %(max)s.")
                % {
                    "min": q.minimum if q.minimum is not None else "",
                    "max": q.maximum if q.maximum is not None else "",
                }
            )
        return v
    if not isinstance(value, str):
        raise ValidationError(_("Write the answer as text."))
    text = value.strip()
    if len(text) > TEXT_MAX:
        raise ValidationError(_("Write at most %(max)s characters.") % {"max": TEXT_MAX})
    return text


def _invitation(survey: Survey, user) -> Invitation:
    invitation = Invitation.objects.filter(survey=survey, user=user).first()
    if invitation is None:
        raise NotInvited
    return invitation


def save_draft(
    survey: Survey,
    user,
    data: dict,
    *,
    today: date | None = None,
    invitation: Invitation | None = None,
    questions: list[Question] | None = None,
) -> None:
    """Save and continue later: the answers so far, kept with the person until sent.

    `invitation` and `questions`, when the caller has them already, save their queries."""
    today = today or timezone.localdate()
    invitation = invitation or _invitation(survey, user)
    if invitation.has_answered:
        raise AlreadyAnswered
    if not survey.is_open_on(today):
        raise NotOpen
    by_id = {q.pk: q for q in questions} if questions is not None else None
    clean = clean_answers(survey, data, partial=True, questions=by_id)
    draft = {str(k): v for k, v in clean.items()}
    if not Invitation.objects.filter(pk=invitation.pk, has_answered=False).update(draft=draft):
        raise AlreadyAnswered


def draft_of(survey: Survey, user) -> dict:
    invitation = Invitation.objects.filter(survey=survey, user=user).first()
    return dict(invitation.draft) if invitation else {}


def has_answered(survey: Survey, user) -> bool:
    return Invitation.objects.filter(survey=survey, user=user, has_answered=True).exists()


#: The response of a non-anonymous survey: its random id, the survey, and the respondent's
#: campus and group, read by the database within the insert (NULL for a person who is no
#: student). Its `NamedResponse` names the respondent anyway.
NAMED_RESPONSE_SQL = (
    "INSERT INTO surveys_response (id, survey_id, campus_id, student_group_id) VALUES "
    "(%s, %s, (SELECT campus_id FROM organisation_student WHERE user_id = %s),"
    " (SELECT group_id FROM organisation_student WHERE user_id = %s))"
)
#: An anonymous survey's answer sheet, put in the pending pool (actions.mixing; docs/
#: surveys.md, "What a response carries"): the respondent's campus and group as far as
#: the survey lists them among the values its responses may carry (`BreakdownCell`,
#: fixed at opening: each shared by at least SMALL_CELL invitees), read by the database
#: within the insert: two index lookups, not a count of the invitees (about 22 ms for
#: 20,000 of them on every answer). The answers and the free texts as two JSON lists:
#: one INSERT whatever the number of answers.
PENDING_SQL = (
    "INSERT INTO surveys_pendingsheet"
    " (id, survey_id, campus_id, student_group_id, answers, texts)"
    " SELECT %s, %s,"
    " (SELECT b.campus_id FROM surveys_breakdowncell b WHERE b.survey_id = %s"
    " AND b.campus_id = s.campus_id AND b.student_group_id IS NULL),"
    " (SELECT b.student_group_id FROM surveys_breakdowncell b WHERE b.survey_id = %s"
    " AND b.campus_id = s.campus_id AND b.student_group_id = s.group_id),"
    " %s, %s"
    " FROM (SELECT 1 AS one) AS x LEFT JOIN organisation_student s ON s.user_id = %s"
    " RETURNING campus_id, student_group_id"
)
#: How many sheets of the survey wait in the pool with the units this sheet got (its
#: breakdown cell, this sheet included): the mixer batches per cell (actions.mixing).
#: An equality or IS NULL per unit, so the index `surveys_pending_cell` serves it.
PENDING_COUNT_SQL = (
    "SELECT COUNT(*) FROM surveys_pendingsheet WHERE survey_id = %s"
    " AND campus_id {campus} AND student_group_id {group}"
)
#: The answers and the free texts, their random ids made by the database ({uuid}); the
#: rows come as VALUES, whose columns are column1, column2 on PostgreSQL and SQLite alike.
ANSWERS_SQL = (
    "INSERT INTO surveys_answer (id, response_id, question_id, value)"
    " SELECT {uuid}, %s, v.column1, v.column2 FROM (VALUES {rows}) AS v"
)
TEXTS_SQL = (
    "INSERT INTO surveys_textanswer (id, question_id, text, screening)"
    " SELECT {uuid}, v.column1, v.column2, %s FROM (VALUES {rows}) AS v"
)


def _random_uuid_sql() -> str:
    """Django's own random UUID function (`UUID4`) as this database writes it."""
    sql, _params = Query(Response).get_compiler(connection=connection).compile(UUID4())
    return sql


def _split(rules: dict[int, Rule], clean: dict) -> tuple[list, list]:
    """The closed answers as [question id, value] pairs (one per chosen option of a
    MULTI) and the free texts as [question id, text] pairs."""
    answers: list = []
    texts: list = []
    for qid, value in clean.items():
        kind = rules[qid].kind
        if kind == Question.Kind.TEXT:
            texts.append([qid, str(value)])
        else:
            answers += [[qid, v] for v in (value if kind == Question.Kind.MULTI else [value])]
    return answers, texts


def _write_pending_sheet(survey: Survey, user, rules: dict[int, Rule], clean: dict) -> int:
    """An anonymous survey's sheet into the pending pool: one INSERT (the campus and
    group read within it, and returned), then how many of the survey's sheets wait in
    the sheet's breakdown cell (the same campus and group), which the caller compares
    with SMALL_CELL to wake the mixer. Plain SQL for the reason `_write_answer_side`
    gives."""
    answers, texts = _split(rules, clean)
    json_field = PendingSheet._meta.get_field("answers")
    assert isinstance(json_field, models.JSONField)  # the same for both lists
    student = user.pk if survey.audience == Survey.Audience.STUDENTS else None
    params = [
        PendingSheet._meta.pk.get_db_prep_value(uuid.uuid4(), connection),
        survey.pk,
        survey.pk,
        survey.pk,
        json_field.get_db_prep_value(answers, connection),
        json_field.get_db_prep_value(texts, connection),
        student,
    ]
    with connection.cursor() as cursor:
        cursor.execute(PENDING_SQL, params)
        campus, group = cursor.fetchone()
        units = [unit for unit in (campus, group) if unit is not None]
        sql = PENDING_COUNT_SQL.format(
            campus="IS NULL" if campus is None else "= %s",
            group="IS NULL" if group is None else "= %s",
        )
        cursor.execute(sql, [survey.pk, *units])
        return cursor.fetchone()[0]


def _write_answer_side(survey: Survey, user, rules: dict[int, Rule], clean: dict) -> uuid.UUID:
    """A non-anonymous survey's response, its answers and the free texts: one INSERT
    each (none for no rows). Such a survey names its respondents (`NamedResponse`), so
    its sheets are written at once, not through the pending pool.

    Plain SQL rather than `Model.save` and `bulk_create` (issue 16): the answer POST's
    budget is 8 ms of server CPU, and building a model instance per answer, resolving
    the breakdown's subqueries and compiling the inserts took about 2 ms of it
    (bench/post_cpu.py). The statements are the same on PostgreSQL and SQLite but for
    the random UUID function, which Django's `UUID4` writes; two parameters a row keep
    a survey of up to 24 questions under the driver's limit for caching a statement's
    parsing (psycopg: 50). They write the models' tables and nothing more:
    tests/test_anonymity.py reads the tables' columns, test_api.py and test_queries.py
    the rows written."""
    response_id = uuid.uuid4()
    rid = Response._meta.pk.get_db_prep_value(response_id, connection)
    student = user.pk if survey.audience == Survey.Audience.STUDENTS else None
    pairs, text_pairs = _split(rules, clean)
    answers = [x for pair in pairs for x in pair]
    texts = [x for pair in text_pairs for x in pair]
    with connection.cursor() as cursor:
        cursor.execute(NAMED_RESPONSE_SQL, [rid, survey.pk, student, student])
        for sql, first, rows in (
            (ANSWERS_SQL, rid, answers),
            (TEXTS_SQL, TextAnswer.Screening.PENDING.value, texts),
        ):
            if rows:
                values = ", ".join(["(%s, %s)"] * (len(rows) // 2))
                cursor.execute(sql.format(uuid=_random_uuid_sql(), rows=values), [first, *rows])
    return response_id


def _enqueue_mix(survey_id: int) -> None:
    from ..tasks import mix_answers

    mix_answers.enqueue(survey_id)


@transaction.atomic
def submit(
    survey: Survey,
    user,
    data: dict,
    *,
    today: date | None = None,
    invitation: Invitation | None = None,
    questions: list[Question] | None = None,
) -> None:
    """Store one person's answers once: all or nothing.

    An anonymous survey: the person side (`Invitation.has_answered`) and the sheet in
    the pending pool (`PendingSheet`: no person) are written in one transaction, so a
    sent sheet is never lost nor counted twice; the mixer moves the pool into the answer
    side (`Response`, `Answer`, `TextAnswer`) in a transaction of its own and in random
    order (actions.mixing), enqueued after this commit at every SMALL_CELL-th waiting
    sheet of the sheet's breakdown cell (its campus and group). A constant number of
    queries whatever the number of questions and answers: the conditional update of
    the invitation, the sheet's INSERT (its campus and group read within it) and the
    count of its cell's waiting sheets (`_write_pending_sheet`). A non-anonymous
    survey, which names its respondents anyway, writes the answer side at once
    (`_write_answer_side`) and its `NamedResponse`. `invitation` and `questions`, when
    the caller has them already (access.surveys.get_survey_to_answer), save their
    queries; an open survey's questions come from the cache otherwise (`rules_of`).
    """
    today = today or timezone.localdate()
    if invitation is None and not Invitation.objects.filter(survey=survey, user=user).exists():
        raise NotInvited
    if not survey.is_open_on(today):
        raise NotOpen
    rules = rules_of(survey) if questions is None else {q.pk: rule_of(q) for q in questions}
    clean = clean_answers(survey, data, questions=rules)
    # The conditional update is the lock: of two concurrent submits one sees 0 rows.
    mine = {"pk": invitation.pk} if invitation is not None else {"survey": survey, "user": user}
    marked = Invitation.objects.filter(**mine, has_answered=False).update(
        has_answered=True, draft={}
    )
    if not marked:
        raise AlreadyAnswered
    if survey.is_anonymous:
        waiting = _write_pending_sheet(survey, user, rules, clean)
        # At every SMALL_CELL-th waiting sheet of the cell (5, 10, …: the mixer batches
        # per cell), not at each one past it: under load the worker's run is a moment
        # away and the pool fills meanwhile; one run mixes all that wait. Concurrent
        # commits may skip a multiple; the next one, the closing and the daily
        # `release_due` (actions.mixing.mix_waiting) catch up.
        if waiting >= SMALL_CELL and waiting % SMALL_CELL == 0:
            survey_id = survey.pk
            transaction.on_commit(lambda: _enqueue_mix(survey_id))
        return
    response_id = _write_answer_side(survey, user, rules, clean)
    NamedResponse.objects.create(survey=survey, user=user, response_id=response_id)
