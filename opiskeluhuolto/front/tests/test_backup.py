"""Backup and restore round trip (issue 21, durability): every table's rows are equal after a
restore, the uploaded files (MEDIA_ROOT) come back byte for byte, and the access log's chains
verify; a bad file or a missing --replace changes nothing."""

from __future__ import annotations

import io
import os
import tarfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from opiskeluhuolto.cases.tests.story import open_aino_case
from opiskeluhuolto.front.backup import _dump_database
from opiskeluhuolto.organisation.models import Provider
from opiskeluhuolto.procedures import actions, attachments
from opiskeluhuolto.procedures.models import Attachment
from opiskeluhuolto.procedures.tests.helpers import STEPS, bullying_procedure
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import read_record

#: Every byte value, and enough random bytes to span many tar blocks.
CONTENT = bytes(range(256)) * 4 + os.urandom(300_000)


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of the database, as text, sorted."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = {}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(tuple(repr(v) for v in row) for row in cursor.fetchall())
    return rows


def _files(root: Path) -> dict[str, bytes]:
    """Every file under `root`, by its relative path."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _attach(cast) -> Attachment:
    procedure = bullying_procedure(cast)
    draft = actions.add_version(
        procedure,
        steps=STEPS,
        review_on=timezone.localdate() + timedelta(days=100),
        change_note="Liite.",
        by=cast.rehtori,
    )
    upload = SimpleUploadedFile("kriisiohje.pdf", CONTENT, content_type="application/pdf")
    return attachments.add(draft, upload=upload, by=cast.rehtori)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(cast, tmp_path, media, capsys):
    case = open_aino_case(cast)
    for _ in range(3):
        read_record(cast.kuraattori, case, purpose="backup test")
    attachment = _attach(cast)
    stored = media / attachment.file.name
    assert stored.read_bytes() == CONTENT
    before, files_before = _snapshot(), _files(media)
    assert AccessLogEntry.objects.exists() and any(before.values())
    dump = tmp_path / "opiskeluhuolto.backup"
    call_command("backup", str(dump))
    assert dump.stat().st_size > len(CONTENT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media", "opiskeluhuolto.backup"]

    # Written after the backup: gone after the restore; lost after it: back.
    Provider.objects.create(name="Kirjoitettu varmuuskopion jälkeen", business_id="1234567-1")
    read_record(cast.kuraattori, case, purpose="after the backup")
    stored.unlink()
    (media / "procedures" / "later.pdf").write_bytes(b"%PDF later")
    assert _snapshot() != before and _files(media) != files_before

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(dump))
    assert Provider.objects.filter(business_id="1234567-1").exists()  # nothing changed
    assert (media / "procedures" / "later.pdf").exists()

    call_command("restore", str(dump), "--replace")
    assert _snapshot() == before
    assert _files(media) == files_before  # nothing more, nothing less, no work directories
    restored = Attachment.objects.get(pk=attachment.pk)
    with restored.file.open("rb") as f:
        assert f.read() == CONTENT
    out = capsys.readouterr().out
    assert "the uploaded files" in out and "chains intact" in out


@pytest.mark.django_db(transaction=True)
def test_a_database_only_backup_restores_the_database_and_leaves_the_files(
    cast, tmp_path, media, capsys
):
    """A dump written before backups carried the files (or by hand with pg_dump)."""
    attachment = _attach(cast)
    before, files_before = _snapshot(), _files(media)
    dump = tmp_path / "old.backup"
    _dump_database(dump, "default")
    assert not tarfile.is_tarfile(dump)
    Provider.objects.create(name="Myöhemmin", business_id="1234567-1")
    call_command("restore", str(dump), "--replace")
    assert _snapshot() == before and _files(media) == files_before
    assert Attachment.objects.get(pk=attachment.pk).file.read() == CONTENT
    assert "left as they are" in capsys.readouterr().out


def _tar(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_backup(cast, tmp_path, media):
    _attach(cast)
    files_before = _files(media)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 100)
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--replace")
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "missing.backup"), "--replace")
    # An archive without the database; one whose file would land outside MEDIA_ROOT
    # (refused by tarfile's data filter before the database is touched).
    no_database = _tar(tmp_path / "files.backup", {"media/x.pdf": b"x"})
    with pytest.raises(CommandError, match="no database"):
        call_command("restore", str(no_database), "--replace")
    good = tmp_path / "good.backup"
    call_command("backup", str(good))
    with tarfile.open(good) as archive:
        database = archive.extractfile("database").read()
    escaping = _tar(
        tmp_path / "escaping.backup",
        {"database": database, "media/../../escaped.txt": b"outside"},
    )
    Provider.objects.create(name="Varmuuskopion jälkeen", business_id="1234567-1")
    after = _snapshot()
    with pytest.raises(CommandError, match="cannot be restored"):
        call_command("restore", str(escaping), "--replace")
    assert not list(tmp_path.rglob("escaped.txt"))
    # Not the escaping archive's database (which lacks this provider), nor its files.
    assert _snapshot() == after and _files(media) == files_before
