"""Every 15 minutes: the task worker drafts the annual clocks' communication items that
are due, queues the scheduled announcements whose time has come and retries unfinished
sends (`announcements.tasks.run_due`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from opiskeluhuolto.announcements.tasks import run_due


class Command(BaseCommand):
    help = (
        "Enqueue the announcements' due work: drafts of the annual clocks' communication "
        "items, scheduled announcements whose time has come, retries of failed e-mails "
        "(idempotent: nothing is drafted, queued or sent twice)."
    )

    def handle(self, *args, **options):
        run_due.enqueue()
        self.stdout.write("The announcements' due work is enqueued.")
