"""Daily: enqueue the procedures' review reminders (task worker) and put each campus's
overdue corrective actions on its campus-level groups' agendas. Schedule daily."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from opiskeluhuolto.procedures import safety
from opiskeluhuolto.procedures.tasks import remind_reviews


class Command(BaseCommand):
    help = (
        "Enqueue review reminders of procedures due within 30 days, and propose overdue "
        "corrective actions of drills and safety walks to the campus groups' agendas."
    )

    def handle(self, *args, **options):
        remind_reviews.enqueue()
        sent = safety.propose_overdue_actions()
        self.stdout.write(f"Review reminders enqueued; {sent} agenda proposals of overdue actions.")
