"""Rewrite the dashboards' absence rollups from the weekly summaries (one transaction)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from opiskeluhuolto.imports import store
from opiskeluhuolto.organisation.models import Institution


class Command(BaseCommand):
    help = (
        "Rebuild the monthly absence rollups the dashboards read, for one institution "
        "(--institution SLUG) or all. Imports keep them current; run this after restoring "
        "summaries by other means or after deleting students or campuses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--institution", help="slug of one institution (default: all)")

    def handle(self, *args, institution=None, **options):
        inst_id = None
        if institution:
            try:
                inst_id = Institution.objects.get(slug=institution).pk
            except Institution.DoesNotExist as e:
                raise CommandError(f"No institution with slug {institution!r}.") from e
        with transaction.atomic():
            # Wait for running imports (they refresh the same rows), in a fixed order.
            ids = (
                [inst_id]
                if inst_id
                else Institution.objects.order_by("pk").values_list("pk", flat=True)
            )
            for pk in ids:
                store.lock_institution(pk)
            months = store.rebuild_rollups(inst_id)
        self.stdout.write(f"Rebuilt the absence rollups of {months} institution-months.")
