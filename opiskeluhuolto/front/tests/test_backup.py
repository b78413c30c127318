"""Backup and restore round trip (issue 21, durability): every table's rows are equal after a
restore and the access log's chains verify; a bad file or a missing --replace changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from opiskeluhuolto.cases.tests.story import open_aino_case
from opiskeluhuolto.organisation.models import Provider
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import read_record


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


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_round_trip(cast, tmp_path, capsys):
    case = open_aino_case(cast)
    for _ in range(3):
        read_record(cast.kuraattori, case, purpose="backup test")
    before = _snapshot()
    assert AccessLogEntry.objects.exists() and any(before.values())
    dump = tmp_path / "opiskeluhuolto.backup"
    call_command("backup", str(dump))
    assert dump.stat().st_size > 0

    # Written after the backup: gone after the restore.
    Provider.objects.create(name="Kirjoitettu varmuuskopion jälkeen", business_id="1234567-1")
    read_record(cast.kuraattori, case, purpose="after the backup")
    assert _snapshot() != before

    with pytest.raises(CommandError, match="--replace"):
        call_command("restore", str(dump))
    assert Provider.objects.filter(business_id="1234567-1").exists()  # nothing changed

    call_command("restore", str(dump), "--replace")
    assert _snapshot() == before
    assert "chains intact" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_file_that_is_not_a_backup(cast, tmp_path):
    before = _snapshot()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 100)
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--replace")
    with pytest.raises(CommandError, match="No backup"):
        call_command("restore", str(tmp_path / "missing.backup"), "--replace")
    assert _snapshot() == before
