from django.core.management.base import BaseCommand

from opiskeluhuolto.appointments.notifications import send_reminders


class Command(BaseCommand):
    help = "Enqueue e-mail reminders of bookings starting within the next 24 hours (run hourly)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="look-ahead in hours")

    def handle(self, *args, hours, **options):
        count = send_reminders(hours_ahead=hours)
        self.stdout.write(f"Enqueued {count} reminders.")
