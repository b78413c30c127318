"""Feedback on an event through a short survey of the survey tool, sent after the event.

The survey is the surveys app's own (`surveys.actions.create_feedback_survey`, its public
action for other apps): built from its event-feedback template, owned by the organiser
group, for exactly the participants, anonymous, open for a week. Its results come back the
survey tool's way (released on the results date, onto the owner group's agenda); this app
keeps only the link to the survey.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.surveys import actions as surveys

from .models import Event, Registration

#: Below this many participants the feedback could not be anonymous (the surveys app's
#: small-cell threshold refuses it too); the organiser asks in person instead.
SMALL = 5
OPEN_DAYS = 7


def participants(event: Event) -> list:
    """Those who came (marked from the list), else everyone registered."""
    regs = Registration.objects.filter(
        event=event, status=Registration.Status.REGISTERED
    ).select_related("user")
    came = [r.user for r in regs if r.attended]
    return came or [r.user for r in regs if r.attended is None]


@transaction.atomic
def send_feedback(event: Event, *, by):
    """Open the feedback survey for the participants of an event that has ended."""
    event = Event.objects.select_for_update().select_related("organiser").get(pk=event.pk)
    if event.feedback_survey_id:
        raise ValidationError({"feedback": _("The feedback survey has already been sent.")})
    if event.ends_at > timezone.now():
        raise ValidationError({"feedback": _("Feedback is asked after the event has ended.")})
    invitees = participants(event)
    if len(invitees) < SMALL:
        raise ValidationError(
            {
                "feedback": _(
                    "Fewer than %(n)s participants on the list: the feedback could not be "
                    "anonymous."
                )
                % {"n": SMALL}
            }
        )
    today = timezone.localdate()

    def title(lang: str) -> str:
        prefix = {"fi": "Palaute", "sv": "Respons", "en": "Feedback"}[lang]
        return f"{prefix}: {event.title_in(lang)}"

    survey = surveys.create_feedback_survey(
        event.organiser,
        by=by,
        title={lang: title(lang) for lang in ("fi", "sv", "en")},
        invitees=invitees,
        opens_on=today,
        closes_on=today + timedelta(days=OPEN_DAYS),
    )
    event.feedback_survey = survey
    event.save(update_fields=["feedback_survey"])
    return survey


def send_due(now=None) -> int:
    """The worker's daily run: the feedback of every ended event that asked for it."""
    now = now or timezone.now()
    sent = 0
    due = Event.objects.filter(feedback=True, feedback_survey__isnull=True, ends_at__lte=now)
    for event in due.order_by("ends_at"):
        try:
            send_feedback(event, by=event.created_by)
        except ValidationError:
            # Too few participants: not sent, and not asked again.
            Event.objects.filter(pk=event.pk).update(feedback=False)
            continue
        sent += 1
    return sent
