"""Seed a realistic demo provider. Each app with a `demo` package adds its part (its `seed`),
in app order; the shared cast is `organisation.demo.cast`."""

from __future__ import annotations

import time
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from opiskeluhuolto.organisation.demo.cast import DEMO_PASSWORD, DEMO_SIGN_INS, make_context
from opiskeluhuolto.organisation.models import Provider


def demo_modules():
    for config in apps.get_app_configs():
        if not config.name.startswith("opiskeluhuolto."):
            continue
        try:
            yield import_module(f"{config.name}.demo")
        except ModuleNotFoundError as e:
            if e.name != f"{config.name}.demo":
                raise


class Command(BaseCommand):
    help = "Seed the demo: providers, calendars, staff in every role, students, guardians and more."

    def add_arguments(self, parser):
        parser.add_argument(
            "--students", type=int, default=400, help="how many students (default 400)"
        )
        parser.add_argument("--if-empty", action="store_true", help="do nothing if data exists")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, students, if_empty, seed, **options):
        if Provider.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data; not seeding again.")
                self.print_sign_ins()
                return
            raise CommandError("The database already has data. Use a fresh database for the demo.")
        if students < 1:
            raise CommandError("--students must be at least 1")
        started = time.monotonic()
        ctx = make_context(today=timezone.localdate(), students=students, seed_value=seed)
        with transaction.atomic():
            for module in demo_modules():
                seeder = getattr(module, "seed", None)
                if seeder:
                    self.stdout.write(f"Seeding {module.__name__.split('.')[-2]} …")
                    seeder(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {students} students in {time.monotonic() - started:.1f} s.")
        )
        self.print_sign_ins()

    def print_sign_ins(self):
        from opiskeluhuolto.accounts.models import User

        present = set(
            User.objects.filter(username__in=[u for u, _d in DEMO_SIGN_INS]).values_list(
                "username", flat=True
            )
        )
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for username, description in DEMO_SIGN_INS:
            if username in present:
                self.stdout.write(f"  {username:<18} {description}")
        if not settings.REQUIRE_STAFF_MFA:
            self.stdout.write(
                self.style.WARNING(
                    "Two-factor sign-in (TOTP) is NOT required for staff in this demo "
                    "(REQUIRE_STAFF_MFA=false). Production requires it."
                )
            )
