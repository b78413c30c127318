"""Background work of surveys (django.tasks; enqueued after the commit)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

#: Invitations read (with their people's languages) per query.
BATCH = 500


@task
def send_invitations(survey_id: int) -> int:
    """E-mail each invited person who has an address and has not been e-mailed yet.

    One message per person (no shared recipient list), in the person's language (the
    reader's language of announcements, Finnish when not chosen); the invitation is
    marked e-mailed so a re-run sends nothing twice. The message holds only the survey's
    title, window and a link to the answering page, never the answers.
    """
    from opiskeluhuolto.announcements.actions import reader_languages

    from .models import Invitation, Survey

    survey = Survey.objects.get(pk=survey_id)
    sent = 0
    pending = (
        Invitation.objects.filter(survey=survey, emailed=False, has_answered=False)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    ids = list(pending.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = list(pending.filter(pk__in=ids[start : start + BATCH]))
        languages = reader_languages([i.user_id for i in chunk])
        for invitation in chunk:
            sent += _send_invitation(survey, invitation, languages.get(invitation.user_id, "fi"))
    return sent


def _send_invitation(survey, invitation, language: str) -> int:
    from .models import Invitation

    with translation.override(language if language in ("fi", "sv", "en") else "fi"):
        context = {"survey": survey, "site": getattr(settings, "SITE_URL", "")}
        subject = render_to_string("surveys/email/invitation_subject.txt", context)
        body = render_to_string("surveys/email/invitation_body.txt", context)
    EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, to=[invitation.user.email]
    ).send()
    Invitation.objects.filter(pk=invitation.pk).update(emailed=True)
    return 1


@task
def release_survey(survey_id: int, by_id: int | None = None) -> bool:
    """The release button's work: count the results once, feed the indicators, put the
    results on the agenda (actions.release). False when the survey is gone or was
    released already; a survey no longer releasable raises (the task fails visibly)."""
    from django.contrib.auth import get_user_model

    from . import actions
    from .models import Survey

    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None or survey.released:
        return False
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    actions.release(survey, by=by)
    return True


@task
def release_due() -> int:
    """Daily: close surveys past their window, release the results that are due."""
    from . import actions

    return len(actions.release_due())


@task
def mix_answers(survey_id: int) -> int:
    """Move the survey's waiting anonymous answer sheets into the answer side, in random
    order, in a transaction of its own (actions.mixing.mix), a breakdown cell's once it
    has SMALL_CELL waiting. Enqueued after an answer's commit once SMALL_CELL sheets of
    its cell wait; returns the sheets mixed (0: too few, or mixed already by another
    run)."""
    from . import actions

    return actions.mix(survey_id)
