"""Welfare records, amendments and disclosures are append-only in PostgreSQL too, not only
on the model (records migration 0017, LAW.md L-20-2, L-20-7). A queryset update or
delete is refused; the paths the application takes still work, on both databases: the
legal hold, key rotation and retention."""

import io
from datetime import timedelta
from importlib import import_module

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.cases.models import Case
from opiskeluhuolto.lib.fields import encrypted_fields
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import (
    Amendment,
    DestructionReport,
    Disclosure,
    RecordEntry,
    RetentionClass,
    WelfareRecord,
)
from opiskeluhuolto.records.retention import approve, destroying

pytestmark = pytest.mark.django_db

MIGRATION = (
    "opiskeluhuolto.records.migrations."
    "0017_records_amendments_disclosures_append_only_in_the_database"
)
MODELS = {
    "records_welfarerecord": WelfareRecord,
    "records_amendment": Amendment,
    "records_disclosure": Disclosure,
}


@pytest.fixture
def register(cast, case_with_entry):
    """The case's record with one amendment and one disclosure."""
    entry = RecordEntry.objects.get(record__case=case_with_entry)
    amendment = actions.amend_entry(
        entry,
        by=cast.kuraattori,
        text="Korjattu teksti",
        reason="Kirjoitusvirhe",
        expected_version=1,
    )
    disclosure = actions.disclose(
        case_with_entry,
        by=cast.kuraattori,
        recipient="Lastensuojelu",
        data_items="Tapaamisten määrä",
        basis="statute",
        statute_reference="Lastensuojelulaki 417/2007 25 §",
    )
    return WelfareRecord.objects.get(case=case_with_entry), amendment, disclosure


def _raw(table: str, column: str, pk: int):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def _refused(queryset, **change) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if change:
            queryset.update(**change)
        else:
            queryset.delete()


def _reencrypting() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL records.reencrypting = 'on'")


def test_the_triggers_name_every_encrypted_and_mutable_column():
    """Key rotation may rewrite the encrypted columns only, an action the model's MUTABLE
    columns: a new encrypted or mutable field must join the migration's lists."""
    tables = import_module(MIGRATION).TABLES
    assert set(tables) == set(MODELS)
    for table, model in MODELS.items():
        assert model._meta.db_table == table
        columns = {model._meta.get_field(name).column for name in encrypted_fields(model)}
        assert set(tables[table]["encrypted"]) == columns, table
        assert set(tables[table]["mutable"]) == set(model.MUTABLE), table


@pytest.mark.postgres_only
def test_a_queryset_cannot_change_or_delete_the_record_its_amendments_or_disclosures(register):
    record, amendment, disclosure = register
    records = WelfareRecord.objects.filter(pk=record.pk)
    for change in (
        {"subject": "muutettu"},
        {"student_id_ref": record.student_id_ref + 1},
        {"created_at": record.created_at - timedelta(days=1)},
        # a legal hold does not carry another change with it
        {"legal_hold": True, "legal_hold_reason": "x", "initiator": "muutettu"},
    ):
        _refused(records, **change)
    # Django's PROTECT stops a queryset delete of the record first; the database too:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM records_welfarerecord WHERE id = %s", [record.pk])
    amendments = Amendment.objects.filter(pk=amendment.pk)
    for change in ({"text": "muutettu"}, {"author_name": "Joku Muu"}, {"version": 5}):
        _refused(amendments, **change)
    _refused(amendments)
    disclosures = Disclosure.objects.filter(pk=disclosure.pk)
    for change in (
        {"recipient": "Joku muu"},
        {"data_items": "Kaikki"},
        {"statute_reference": "Ei mikään"},
    ):
        _refused(disclosures, **change)
    _refused(disclosures)
    assert WelfareRecord.objects.get(pk=record.pk).subject == record.subject
    assert Amendment.objects.get(pk=amendment.pk).text == "Korjattu teksti"
    assert Disclosure.objects.get(pk=disclosure.pk).recipient == "Lastensuojelu"


@pytest.mark.postgres_only
def test_only_the_transactions_that_say_so_rewrite_ciphertext_or_destroy(register):
    """Rotation's setting lets the encrypted columns change and nothing else; retention's
    lets rows go."""
    record, amendment, disclosure = register
    rows = (
        (WelfareRecord, record.pk, {"created_at": record.created_at}, {"subject": "uusi"}),
        (Amendment, amendment.pk, {"author_name": "Joku Muu"}, {"reason": "uusi"}),
        (Disclosure, disclosure.pk, {"recipient": "Joku muu"}, {"data_items": "uusi"}),
    )
    for model, pk, plain, encrypted in rows:
        plain = {**plain}
        if "created_at" in plain:
            plain["created_at"] -= timedelta(days=1)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _reencrypting()
            model.objects.filter(pk=pk).update(**plain, **encrypted)
        with transaction.atomic():
            _reencrypting()
            model.objects.filter(pk=pk).update(**encrypted)
        ((field, value),) = encrypted.items()
        assert getattr(model.objects.get(pk=pk), field) == value
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _reencrypting()  # rotation's setting is not retention's
        Disclosure.objects.filter(pk=disclosure.pk).delete()
    with transaction.atomic():
        destroying()
        Disclosure.objects.filter(pk=disclosure.pk).delete()
        Amendment.objects.filter(pk=amendment.pk).delete()
    assert not Disclosure.objects.exists() and not Amendment.objects.exists()


def test_the_legal_hold_is_set_and_released(cast, register):
    record, _, _ = register
    actions.set_legal_hold(record.case_id, reason="Valitus vireillä")
    held = WelfareRecord.objects.get(pk=record.pk)
    assert (held.legal_hold, held.legal_hold_reason) == (True, "Valitus vireillä")
    assert held.subject == record.subject
    call_command("legal_hold", str(record.case_id), "--release", stdout=io.StringIO())
    assert not WelfareRecord.objects.get(pk=record.pk).legal_hold


def test_key_rotation_rewrites_the_record_its_amendments_and_disclosures(settings, register):
    record, amendment, disclosure = register
    cells = (
        ("records_welfarerecord", "subject", record.pk),
        ("records_welfarerecord", "student_name", record.pk),
        ("records_amendment", "reason", amendment.pk),
        ("records_disclosure", "data_items", disclosure.pk),
    )
    before = [_raw(*cell) for cell in cells]
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    after = [_raw(*cell) for cell in cells]
    assert all(a != b for a, b in zip(after, before, strict=True))
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key gone
    assert WelfareRecord.objects.get(pk=record.pk).subject == record.subject
    assert Amendment.objects.get(pk=amendment.pk).reason == "Kirjoitusvirhe"
    assert Disclosure.objects.get(pk=disclosure.pk).data_items == "Tapaamisten määrä"


def test_retention_destroys_the_record_with_its_amendments_and_disclosures(cast, register):
    record, _, _ = register
    case = record.case
    RetentionClass.objects.create(
        provider=cast.provider,
        document_type="welfare_record",
        years=10,
        start_event="case_closed",
    )
    expert_groups.close_case(case, by=cast.kuraattori)
    Case.objects.filter(pk=case.pk).update(closed_on=cast.today - timedelta(days=365 * 11 + 3))
    call_command("run_retention", stdout=io.StringIO())
    approve(DestructionReport.objects.get(), by=cast.admin)
    call_command("run_retention", stdout=io.StringIO())
    assert DestructionReport.objects.get().status == "destroyed"
    assert not WelfareRecord.objects.filter(pk=record.pk).exists()
    assert not Amendment.objects.exists() and not Disclosure.objects.exists()
    assert not RecordEntry.objects.exists()
