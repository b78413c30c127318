"""Free text is encrypted at rest; keys rotate (ARCHITECTURE.md §7, LAW.md L-GDPR-2)."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from opiskeluhuolto.records.models import RecordEntry

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_text_is_not_stored_in_plain(cast, case_with_entry):
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    stored = _raw("records_recordentry", "decisions", entry.pk)
    assert stored.startswith("fernet:") and "kuraattoria" not in stored
    assert entry.decisions == "Aino tapaa kuraattoria viikoittain."
    assert "Kaisa" not in _raw("records_recordentry", "participants", entry.pk)
    assert "Opiskelujen" not in _raw("cases_case", "subject", case_with_entry.pk)


def test_rotation_reencrypts_with_the_newest_key(cast, settings, case_with_entry, capsys):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    before = _raw("records_recordentry", "decisions", entry.pk)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_keys")
    after = _raw("records_recordentry", "decisions", entry.pk)
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key is gone: everything still reads
    assert RecordEntry.objects.get(pk=entry.pk).decisions == "Aino tapaa kuraattoria viikoittain."
    assert RecordEntry.objects.get(pk=entry.pk).participants[0]["position"] == "kuraattori"
    settings.FIELD_ENCRYPTION_KEYS = [old]  # the old key alone no longer reads rotated data
    with pytest.raises(ImproperlyConfigured):
        RecordEntry.objects.get(pk=entry.pk)


def test_a_value_that_is_not_a_fernet_key_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    from opiskeluhuolto.lib import fields

    settings.FIELD_ENCRYPTION_KEYS = ["salasana123"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        fields.encrypt("teksti")
