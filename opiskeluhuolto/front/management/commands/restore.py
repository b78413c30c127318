"""`manage.py restore FILE --replace`: the whole database from a backup, all or nothing."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.front.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE, then verify the access log. "
        "Needs --replace: everything written since the backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="confirm that the current database is replaced by the backup",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        if not replace:
            raise CommandError(
                "Restoring replaces the whole database with the backup; "
                "everything written since is lost. Add --replace to confirm."
            )
        try:
            restore(file)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Restored from {file}.")
        call_command("verify_access_log", stdout=self.stdout, stderr=self.stderr)
