"""The yearly announcement of welfare services to students and guardians (§11, LAW.md L-11-1).

Schedule it at the start of the school year (e.g. 20 August); it sends once per
institution and school year and skips institutions already announced.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opiskeluhuolto.meetings import plans
from opiskeluhuolto.organisation.models import Institution


class Command(BaseCommand):
    help = "E-mail students and the guardians of minors about the welfare services (once a school year)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--institution", type=int, action="append", help="institution id (repeatable)"
        )
        parser.add_argument(
            "--base-url",
            required=True,
            help="the public address of the service, e.g. https://oh.example.fi",
        )

    def handle(self, *args, institution, base_url, **options):
        rows = Institution.objects.all()
        if institution:
            rows = rows.filter(pk__in=institution)
            if rows.count() != len(set(institution)):
                raise CommandError("unknown institution id")
        today = timezone.localdate()
        for inst in rows:
            try:
                sent = plans.announce_services(inst, by=None, today=today, base_url=base_url)
            except ValidationError:
                self.stdout.write(f"institution {inst.pk}: already announced this school year")
            else:
                self.stdout.write(f"institution {inst.pk}: {sent.recipients} recipients")
