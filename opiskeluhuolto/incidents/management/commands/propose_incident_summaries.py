"""Daily (idempotent per month): the incident summary onto each welfare group's agenda."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from opiskeluhuolto.incidents import summary


class Command(BaseCommand):
    help = (
        "Put the non-identifying incident summary (last 12 months, small cells suppressed) "
        "on the next agenda of every institution and campus welfare group, once a month."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=12, help="months covered (default 12)")

    def handle(self, *args, months, **options):
        sent = summary.propose_summaries(months=months)
        self.stdout.write(f"The incident summary is on {sent} groups' agendas.")
