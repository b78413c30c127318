"""API of surveys: what I may answer now, answering once, the released results."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import ValidationError as PydanticError

from opiskeluhuolto.access.api import api_policy
from opiskeluhuolto.access.surveys import get_survey, get_survey_to_answer
from opiskeluhuolto.lib.apierrors import UNREADABLE_BODY, ApiError

from . import actions
from . import results as results_mod

router = Router(tags=["surveys"])


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    required: bool
    options: list[dict]
    minimum: int | None
    maximum: int | None


class OpenSurveyOut(Schema):
    id: int
    title: str
    intro: str
    anonymous: bool
    closes_on: date
    questions: list[QuestionOut]


class AnswersIn(Schema):
    answers: dict[str, int | str | list[int]]


class Submitted(Schema):
    detail: str


class CellOut(Schema):
    label: str
    n: int | None
    shares: dict[str, float] | None
    mean: float | None


class QuestionResultOut(Schema):
    id: int
    kind: str
    text: str
    total: CellOut
    cells: list[CellOut]
    texts: list[str]


class ResultsOut(Schema):
    id: int
    title: str
    respondents: int
    invited: int
    breakdown: str | None
    questions: list[QuestionResultOut]


def _question(q) -> dict:
    return {
        "id": q.pk,
        "kind": q.kind,
        "text": q.display_text,
        "required": q.required,
        "options": [{"value": o["value"], "label": q.option_label(o["value"])} for o in q.options],
        "minimum": q.minimum,
        "maximum": q.maximum,
    }


@router.get(
    "/open",
    response=list[OpenSurveyOut],
    auth=api_policy("authenticated"),
    url_name="surveys-open",
)
def open_surveys(request):
    """The surveys the signed-in person may answer now (invited, not answered, window open)."""
    return [
        {
            "id": s.pk,
            "title": s.display_title,
            "intro": s.display_intro,
            "anonymous": s.is_anonymous,
            "closes_on": s.closes_on,
            "questions": [_question(q) for q in s.questions.all()],
        }
        for s in actions.open_for(request.user).prefetch_related("questions")
    ]


@router.post(
    "/{survey_id}/responses",
    response={201: Submitted, 400: ApiError, 409: ApiError, 422: ApiError},
    auth=api_policy("authenticated"),
    url_name="surveys-respond",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": AnswersIn.model_json_schema()}},
        }
    },
)
def respond(request, survey_id: int):
    """One person's answers, once: 409 for a second answer or a closed window, 422 for
    invalid answers (nothing is stored), 404 when the person is not invited.

    The body is read after the survey is fetched, so that a person who is not invited
    gets 404 whatever they send (never a hint that the survey exists)."""
    survey, invitation = get_survey_to_answer(request.user, survey_id)
    try:
        payload = AnswersIn.model_validate_json(request.body)
    except (PydanticError, ValueError, UnicodeDecodeError):
        return Status(400, {"detail": UNREADABLE_BODY})
    try:
        actions.submit(
            survey,
            request.user,
            payload.answers,
            today=timezone.localdate(),
            invitation=invitation,
        )
    except actions.AlreadyAnswered:
        return Status(409, {"detail": "You have already answered this survey."})
    except actions.NotOpen:
        return Status(409, {"detail": "The survey is not open for answers."})
    except actions.NotInvited:
        raise Http404 from None
    except ValidationError as e:
        errors = e.message_dict if hasattr(e, "error_dict") else {}
        return Status(422, {"detail": "Some answers are not valid.", "errors": errors})
    return Status(201, {"detail": "Thank you: your answers have been saved."})


def _cell(cell) -> dict:
    if cell.suppressed:
        return {"label": cell.label, "n": None, "shares": None, "mean": None}
    shares = {str(v): cell.share(v) or 0.0 for v in cell.counts}
    return {"label": cell.label, "n": cell.n, "shares": shares, "mean": cell.mean}


@router.get(
    "/{survey_id}/results",
    response=ResultsOut,
    auth=api_policy("authenticated"),
    url_name="surveys-results",
)
def results(request, survey_id: int, by: str | None = None):
    """The released results, small cells suppressed; `by` = campus or group. 404 before
    release or for a person who is not entitled."""
    survey = get_survey(request.user, survey_id, need="results")
    if by not in results_mod.BREAKDOWNS:
        by = None
    rows = results_mod.compute(survey, by=by)
    return {
        "id": survey.pk,
        "title": survey.display_title,
        "respondents": results_mod.respondents(survey),
        "invited": survey.invited_count,
        "breakdown": by,
        "questions": [
            {
                "id": r.question.pk,
                "kind": r.question.kind,
                "text": r.question.display_text,
                "total": _cell(r.total),
                "cells": [_cell(c) for c in r.cells],
                "texts": r.texts,
            }
            for r in rows
        ],
    }
