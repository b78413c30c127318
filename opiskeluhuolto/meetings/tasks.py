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
