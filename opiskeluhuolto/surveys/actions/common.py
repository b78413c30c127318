"""What the survey actions share: the refusals the views and API translate, the event."""

from __future__ import annotations

from ..models import (
    Survey,
    SurveyEvent,
)

TEXT_MAX = 1000


class AlreadyAnswered(Exception):
    """The person has answered this survey already (the API answers 409)."""


class NotInvited(Exception):
    """The person is not invited to this survey (the API answers 404)."""


class NotOpen(Exception):
    """The survey is not open for answers today (closed window, draft)."""


def _event(by, verb: str, survey: Survey) -> None:
    SurveyEvent.objects.create(
        actor=by if getattr(by, "pk", None) else None, verb=verb, survey=survey
    )
