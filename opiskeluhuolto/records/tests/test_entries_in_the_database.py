"""Record entries are append-only in PostgreSQL too, not only on the model (records
migration 0014, LAW.md L-20-2). The paths that change them legitimately (an amendment's
version, key rotation, retention) are tested in test_entries.py, test_encryption.py and
test_retention.py, on both databases."""

from importlib import import_module

import pytest
from django.db import DatabaseError, transaction

from opiskeluhuolto.lib.fields import encrypted_fields
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import RecordEntry
from opiskeluhuolto.records.retention import destroying

pytestmark = pytest.mark.django_db

MIGRATION = "opiskeluhuolto.records.migrations.0014_record_entries_append_only_in_the_database"


def test_the_trigger_names_every_encrypted_column_of_an_entry():
    """Key rotation may rewrite these columns only: a new encrypted field must join them."""
    columns = {RecordEntry._meta.get_field(name).column for name in encrypted_fields(RecordEntry)}
    assert set(import_module(MIGRATION).ENCRYPTED) == columns


@pytest.mark.postgres_only
def test_a_queryset_cannot_change_or_delete_an_entry(cast, case_with_entry):
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    for change in (
        {"text": "muutettu"},
        {"author_name": "Joku Muu"},
        {"version": entry.version + 1, "decisions": "muutettu"},  # not hidden by a version
        {"version": entry.version + 2},
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            RecordEntry.objects.filter(pk=entry.pk).update(**change)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        RecordEntry.objects.filter(pk=entry.pk).delete()
    stored = RecordEntry.objects.get(pk=entry.pk)
    assert (stored.decisions, stored.version) == (entry.decisions, entry.version)


@pytest.mark.postgres_only
def test_only_the_transactions_that_say_so_rewrite_ciphertext_or_destroy(cast, case_with_entry):
    """The settings of key rotation and of retention; rotation's still leaves the entry's
    other columns alone."""
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET LOCAL records.reencrypting = 'on'")
        RecordEntry.objects.filter(pk=entry.pk).update(author_name="Joku Muu")
    with transaction.atomic():
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET LOCAL records.reencrypting = 'on'")
        RecordEntry.objects.filter(pk=entry.pk).update(text="uudelleen salattu")
    assert RecordEntry.objects.get(pk=entry.pk).text == "uudelleen salattu"
    with transaction.atomic():
        destroying()
        RecordEntry.objects.filter(pk=entry.pk).delete()
    assert not RecordEntry.objects.filter(pk=entry.pk).exists()


def test_an_amendment_still_counts_the_version(cast, case_with_entry):
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    actions.amend_entry(entry, by=cast.kuraattori, text="Korjaus", reason="x", expected_version=1)
    assert RecordEntry.objects.get(pk=entry.pk).version == 2
