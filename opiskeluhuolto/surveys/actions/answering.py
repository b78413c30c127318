"""Answering, anonymously by construction (docs/surveys.md): the surveys open to a
person, checking answers, the draft, and `submit`, which writes the answer side without
any person, session or time and marks the person side answered in one transaction."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.organisation.models import Student

from ..models import (
    Answer,
    Invitation,
    NamedResponse,
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
    if questions is None:
        questions = {q.pk: q for q in survey.questions.all()}
    errors: dict[str, str] = {}
    clean: dict[int, object] = {}
    given: dict[int, object] = {}
    for key, value in data.items():
        try:
            qid = int(key)
        except (TypeError, ValueError):
            qid = -1
        if qid not in questions:
            errors[str(key)] = _("There is no such question in this survey.")
            continue
        given[qid] = value
    for qid, q in questions.items():
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


def _clean_value(q: Question, value):
    if q.kind in (Question.Kind.LIKERT, Question.Kind.CHOICE):
        v = _int(value)
        if v not in q.option_values():
            raise ValidationError(_("Choose one of the options."))
        return v
    if q.kind == Question.Kind.MULTI:
        values = value if isinstance(value, list) else [value]
        cleaned = sorted({_int(v) for v in values})
        if not set(cleaned) <= set(q.option_values()):
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


def _breakdown_of(user) -> tuple[int | None, int | None]:
    student = Student.objects.filter(user=user).only("campus_id", "group_id").first()
    return (student.campus_id, student.group_id) if student else (None, None)


@transaction.atomic
def submit(
    survey: Survey,
    user,
    data: dict,
    *,
    today: date | None = None,
    invitation: Invitation | None = None,
    questions: list[Question] | None = None,
    breakdown: tuple[int | None, int | None] | None = None,
) -> None:
    """Store one person's answers once: all or nothing.

    The person side (`Invitation.has_answered`) and the answer side (`Response`,
    `Answer`, `TextAnswer`) are written in one transaction and share no column.
    A constant number of queries whatever the number of questions and answers (one
    bulk insert each); `invitation` and `questions`, when the caller has them already
    (access.surveys.get_survey_to_answer), save their queries, and so does `breakdown`,
    the student's (campus id, group id) from the access facts already cached.
    """
    today = today or timezone.localdate()
    if invitation is None and not Invitation.objects.filter(survey=survey, user=user).exists():
        raise NotInvited
    if not survey.is_open_on(today):
        raise NotOpen
    if questions is None:
        questions = list(survey.questions.all())
    by_id = {q.pk: q for q in questions}
    clean = clean_answers(survey, data, questions=by_id)
    # The conditional update is the lock: of two concurrent submits one sees 0 rows.
    marked = Invitation.objects.filter(survey=survey, user=user, has_answered=False).update(
        has_answered=True, draft={}
    )
    if not marked:
        raise AlreadyAnswered
    campus_id, group_id = (None, None)
    if survey.audience == Survey.Audience.STUDENTS:
        campus_id, group_id = breakdown if breakdown is not None else _breakdown_of(user)
    response = Response.objects.create(
        survey=survey, campus_id=campus_id, student_group_id=group_id
    )
    answers, texts = [], []
    for qid, value in clean.items():
        q = by_id[qid]
        if q.kind == Question.Kind.TEXT:
            texts.append(TextAnswer(question=q, text=str(value)))
        elif q.kind == Question.Kind.MULTI:
            answers += [Answer(response=response, question=q, value=v) for v in value]  # type: ignore[attr-defined]
        else:
            answers.append(Answer(response=response, question=q, value=value))  # type: ignore[misc]
    Answer.objects.bulk_create(answers)
    TextAnswer.objects.bulk_create(texts)
    if not survey.is_anonymous:
        NamedResponse.objects.create(survey=survey, user=user, response=response)
