"""Background sending of announcements (django.tasks), in batches, resumable."""

from __future__ import annotations

from django.tasks import task


@task()
def send_announcement(announcement_id: int) -> int:
    """E-mail the pending deliveries of one announcement; returns how many were sent."""
    from . import sending

    return sending.send_pending(announcement_id)


@task()
def queue_announcement(announcement_id: int) -> int:
    """Create the recipients' deliveries of an announcement sent from the page (one
    transaction), then hand them to `send_announcement`; returns how many were queued."""
    from . import actions
    from .models import Announcement

    a = Announcement.objects.filter(pk=announcement_id).first()
    return actions.queue(a) if a is not None else 0


@task()
def run_due() -> int:
    """Send the scheduled announcements whose time has come, and draft the clock's items."""
    from . import actions, clockdrafts

    clockdrafts.create_due_drafts()
    return actions.queue_due()
