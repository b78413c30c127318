from django.core.management.base import BaseCommand

from opiskeluhuolto.appointments.notifications import warn_deadlines


class Command(BaseCommand):
    help = (
        "Warn professionals and principals of discussion requests whose legal deadline is "
        "today or the next working day without a time given (run every morning)."
    )

    def handle(self, *args, **options):
        count = warn_deadlines()
        self.stdout.write(f"Warned about {count} requests.")
