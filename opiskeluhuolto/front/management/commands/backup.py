"""`manage.py backup FILE`: a consistent copy of the whole database and the uploaded files
(MEDIA_ROOT) in one archive (README, Production)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opiskeluhuolto.front.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the whole database (pg_dump or SQLite's API) and the "
        "files under MEDIA_ROOT to FILE, one tar archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            backup(file)
        except BackupError as e:
            raise CommandError(str(e)) from e
        self.stdout.write(f"Backup written to {file} ({file.stat().st_size} bytes).")
