"""`manage.py restore FILE --replace`: the whole database and the uploaded files from a
backup, all or nothing."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.front.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the whole database and the files under MEDIA_ROOT with the backup in FILE, "
        "then verify the access log. Needs --replace: everything written since the backup "
        "is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="confirm that the current database and files are replaced by the backup",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        if not replace:
            raise CommandError(
                "Restoring replaces the whole database and the uploaded files with the "
                "backup; everything written since is lost. Add --replace to confirm."
            )
        try:
            with_files = restore(file)
        except BackupError as e:
            raise CommandError(str(e)) from e
        if with_files:
            self.stdout.write(f"Restored the database and the uploaded files from {file}.")
        else:
            self.stdout.write(
                f"Restored the database from {file}: a database-only backup, so the files "
                "under MEDIA_ROOT were left as they are."
            )
        call_command("verify_access_log", stdout=self.stdout, stderr=self.stderr)
