"""Background work of communal welfare (django.tasks; enqueued after the commit)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation


@task
def send_minutes(meeting_id: int) -> int:
    """E-mail the published minutes (PDF attached) to the group's members with an address."""
    from .models import Meeting

    meeting = Meeting.objects.select_related("group").get(pk=meeting_id)
    recipients = sorted(
        {
            m.user.email
            for m in meeting.group.memberships.select_related("user")
            if m.user.email and m.user.is_active
        }
    )
    if not recipients:
        return 0
    with translation.override("fi"):
        subject = render_to_string("meetings/email/minutes_subject.txt", {"meeting": meeting})
        body = render_to_string("meetings/email/minutes_body.txt", {"meeting": meeting})
    message = EmailMessage(
        " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, bcc=recipients
    )
    if meeting.minutes_pdf:
        message.attach(
            f"muistio-{meeting.starts_at:%Y-%m-%d}.pdf",
            bytes(meeting.minutes_pdf),
            "application/pdf",
        )
    message.send()
    return len(recipients)


@task
def send_invitations(meeting_ids: list[int]) -> int:
    """E-mail the members with an address an invitation to the planned meetings (.ics)."""
    from django.utils.translation import gettext as _

    from .models import Meeting
    from .series import invitation_ics

    meetings = list(
        Meeting.objects.filter(pk__in=meeting_ids).select_related("group").order_by("starts_at")
    )
    if not meetings:
        return 0
    group = meetings[0].group
    recipients = sorted(
        {
            m.user.email
            for m in group.memberships.select_related("user")
            if m.user.email and m.user.is_active
        }
    )
    if not recipients:
        return 0
    with translation.override("fi"):
        subject = _("Invitation: meetings of %(group)s") % {"group": group.name}
        days = ", ".join(f"{m.starts_at:%-d.%-m.%Y}" for m in meetings)
        body = _(
            "You are invited to the meetings of %(group)s: %(days)s. "
            "The attached calendar file adds them to your calendar."
        ) % {"group": group.name, "days": days}
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, bcc=recipients)
    message.attach("kokoukset.ics", invitation_ics(meetings), "text/calendar; method=REQUEST")
    message.send()
    return len(recipients)
