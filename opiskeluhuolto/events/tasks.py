"""Background work of events (django.tasks)."""

from __future__ import annotations

from django.tasks import task


@task()
def send_due_feedback() -> int:
    """Open the feedback surveys of the events that have ended (run daily)."""
    from . import feedback

    return feedback.send_due()
