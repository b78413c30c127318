"""Screening free text and releasing the results (counted once, in the task worker)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.access.surveys import result_reader_choices
from opiskeluhuolto.audit import trail as audit

from ..models import (
    Invitation,
    Survey,
    TextAnswer,
)
from .common import _event
from .mixing import mix_locked, mix_waiting


# --- who else reads the results ---------------------------------------------------------
@transaction.atomic
def share_results(survey: Survey, readers, *, by, today: date | None = None) -> Survey:
    """Name the people who may read the survey's results once released (besides those who
    run it and the owner group): staff of the survey's provider only. A change is a
    change of who may see what, so it is written to the audit trail."""
    today = today or timezone.localdate()
    wanted = {u.pk for u in readers}
    allowed = set(
        result_reader_choices(survey, today).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise ValidationError(
            {"shared_with": _("Only staff of the survey's provider can be named.")}
        )
    before = sorted(survey.shared_with.values_list("pk", flat=True))
    after = sorted(wanted)
    if before != after:
        survey.shared_with.set(after)
        audit.record(
            audit.Kind.SURVEY_RESULTS_SHARED,
            survey,
            by=by,
            provider_id=survey.provider_id,
            before={"shared_with": before},
            after={"shared_with": after},
        )
    return survey


# --- screening and release --------------------------------------------------------------
def screen_text(answer: TextAnswer, *, show: bool, by) -> TextAnswer:
    """A person has read the free-text answer: shown, or hidden as possibly identifying."""
    answer.screening = TextAnswer.Screening.SHOWN if show else TextAnswer.Screening.HIDDEN
    answer.save(update_fields=["screening"])
    _event(by, "survey.screen", answer.question.survey)
    return answer


def check_releasable(survey: Survey, *, today: date) -> None:
    """ValidationError unless the results may be released today: once the window has
    closed, on or after the results date."""
    if survey.status == Survey.Status.DRAFT:
        raise ValidationError(_("A survey that never opened has no results."))
    if survey.closes_on is None or survey.closes_on >= today:
        raise ValidationError(_("The results are released after the survey has closed."))
    if survey.results_on is None or survey.results_on > today:
        raise ValidationError(
            _("The results can be released on %(date)s at the earliest.")
            % {"date": survey.results_on.strftime("%-d.%-m.%Y") if survey.results_on else "–"}
        )


def request_release(survey: Survey, *, by, today: date | None = None) -> bool:
    """The release button: checked here (the person sees at once why not), released by the
    task worker after the commit (counting the results is not done in the web request).
    False when there is nothing to do (released already)."""
    today = today or timezone.localdate()
    if survey.released:
        return False
    check_releasable(survey, today=today)
    survey_id, by_id = survey.pk, getattr(by, "pk", None)
    transaction.on_commit(lambda: _enqueue_release(survey_id, by_id))
    return True


def _enqueue_release(survey_id: int, by_id: int | None) -> None:
    from ..tasks import release_survey

    release_survey.enqueue(survey_id, by_id)


@transaction.atomic
def release(survey: Survey, *, by, today: date | None = None) -> Survey:
    """Release the results on or after the results date, once the window has closed.

    Mixes any answer sheet still waiting first (actions.mixing: the results count mixed
    responses only, and none may be left out), then counts the results once into
    `ResultCount` (results.tally), feeds the indicators of
    the questions tied to one and puts the results on the owner group's next agenda.
    Runs in the task worker (tasks.release_survey, tasks.release_due).
    """
    today = today or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.released:
        return survey
    check_releasable(survey, today=today)
    survey.status = Survey.Status.CLOSED
    survey.released = True
    survey.save(update_fields=["status", "released"])
    Invitation.objects.filter(survey=survey).exclude(draft={}).update(draft={})
    mix_locked(survey, closing=True)
    from .. import evidence, results

    results.tally(survey)  # counted once; the results pages read the stored counts
    _event(by, "survey.release", survey)
    evidence.on_release(survey, by=by, year=(survey.closes_on or timezone.localdate()).year)
    return survey


def close_past_windows(*, today: date | None = None) -> list[int]:
    """Close the open surveys whose window has passed, as the close button does: unsent
    drafts are deleted (nobody may send them any more) and the waiting answer sheets
    mixed (actions.mixing). Returns the closed surveys' ids."""
    today = today or timezone.localdate()
    with transaction.atomic():
        closing = list(
            Survey.objects.select_for_update()
            .filter(status=Survey.Status.OPEN, closes_on__lt=today)
            .values_list("pk", flat=True)
        )
        if not closing:
            return []
        Survey.objects.filter(pk__in=closing).update(status=Survey.Status.CLOSED)
        Invitation.objects.filter(survey_id__in=closing).exclude(draft={}).update(draft={})
        for survey in Survey.objects.filter(pk__in=closing):
            mix_locked(survey, closing=True)
            _event(None, "survey.close", survey)
    return closing


def release_due(*, today: date | None = None) -> list[Survey]:
    """The task worker's daily run: mix the answer sheets the worker has not (actions.
    mixing.mix_waiting), close surveys whose window has passed, release those due."""
    today = today or timezone.localdate()
    done = []
    mix_waiting()
    close_past_windows(today=today)
    for survey in Survey.objects.filter(
        released=False, status=Survey.Status.CLOSED, results_on__lte=today, closes_on__lt=today
    ):
        done.append(release(survey, by=None, today=today))
    return done
