"""Daily: the task worker opens the feedback surveys of the ended events that asked for
one (`events.tasks.send_due_feedback`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from opiskeluhuolto.events.tasks import send_due_feedback


class Command(BaseCommand):
    help = (
        "Enqueue the feedback surveys of events that have ended and asked for feedback "
        "(idempotent: each event's survey is sent once)."
    )

    def handle(self, *args, **options):
        send_due_feedback.enqueue()
        self.stdout.write("The events' due feedback is enqueued.")
