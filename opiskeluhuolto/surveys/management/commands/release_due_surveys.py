"""Daily: close the surveys whose window has passed and release the results that are due
(the task worker runs `surveys.tasks.release_due`). Schedule daily, e.g. at 1.00."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from opiskeluhuolto.surveys.tasks import release_due


class Command(BaseCommand):
    help = (
        "Enqueue the daily run of surveys: close those past their window, release the "
        "results whose date has come (idempotent: a released survey is not released again)."
    )

    def handle(self, *args, **options):
        release_due.enqueue()
        self.stdout.write("The surveys' daily release is enqueued.")
