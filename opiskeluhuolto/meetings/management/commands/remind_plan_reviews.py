"""E-mail a reminder when a welfare plan's review is near (LAW.md L-13-2). Schedule daily."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from opiskeluhuolto.meetings import plans


class Command(BaseCommand):
    help = "Remind the provider admins and principals of welfare plans due for review (once per due date)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--within-days", type=int, default=60, help="remind this many days ahead (default 60)"
        )

    def handle(self, *args, within_days, **options):
        today = timezone.localdate()
        due = list(plans.plans_due_for_review(today, within_days=within_days))
        for plan in due:
            sent = plans.remind_review(plan, today=today)
            self.stdout.write(f"plan {plan.pk}: reminded {sent} people")
        self.stdout.write(self.style.SUCCESS(f"{len(due)} plans due for review."))
