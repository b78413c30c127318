"""The appointments' side of `cases.signals`: a referral on the §15 clock gets its
discussion request, in the transaction of the referral's action (LAW.md L-15-1, L-15-5)."""

from __future__ import annotations

from django.dispatch import receiver

from opiskeluhuolto.cases import signals
from opiskeluhuolto.cases.actions import REQUESTED_BY
from opiskeluhuolto.organisation.models import Role

from . import actions


@receiver(signals.discussion_clock_started, dispatch_uid="appointments.discussion_clock")
def start_discussion_clock(sender, *, referral, by, **kwargs) -> None:
    """The §15 request for a discussion with the kuraattori, with its deadline from the
    institution's calendar: the same request, deadline watch, warnings and compliance
    figures as a request made on the appointment pages. The kuraattori is the default
    service; the professional may answer it with the psychologist's time."""
    referral.discussion_request = actions.create_request(
        referral.student,
        service=Role.SOCIAL_WORKER,
        requested_by=REQUESTED_BY[referral.channel],
        channel="online",
        actor=by,
        requester_description=referral.referrer_description,
        made_with_student=referral.is_students_own,
    )
    referral.save(update_fields=["discussion_request"])


@receiver(signals.discussion_closed, dispatch_uid="appointments.discussion_closed")
def close_discussion(sender, *, request, reason, by, **kwargs) -> None:
    actions.close_request(request, reason=reason, actor=by)
