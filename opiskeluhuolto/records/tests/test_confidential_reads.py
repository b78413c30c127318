"""Every read of personal data in a confidential matter is logged, not only the record's
(LAW.md L-906-1), and the student sees it in "who has read my data" (L-906-8)."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.appointments import actions as appointment_actions
from opiskeluhuolto.cases import actions
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records import chain
from opiskeluhuolto.records.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _referral(cast):
    return actions.file_referral(
        cast.aino, by=cast.teacher, channel="staff", reason="Poissaoloja ja väsymystä."
    )


def test_reading_a_referral_with_its_reason_is_logged(cast):
    referral = _referral(cast)
    r = client_for(cast.kuraattori).get(reverse("cases:referral", args=[referral.pk]))
    assert r.status_code == 200 and "Poissaoloja" in r.text
    row = AccessLogEntry.objects.get(subject_kind="referral", actor_id=cast.kuraattori.pk)
    assert row.subject_id == referral.pk and row.student_id_ref == cast.aino.pk
    assert row.case_id_ref is None and row.record_id_ref is None
    assert row.basis == AccessLogEntry.Basis.WELFARE_STAFF and row.action == "read"


def test_the_referrer_reading_what_they_wrote_is_logged_with_that_basis(cast):
    referral = _referral(cast)
    client_for(cast.teacher).get(reverse("cases:referral", args=[referral.pk]))
    row = AccessLogEntry.objects.get(subject_kind="referral", actor_id=cast.teacher.pk)
    assert row.basis == AccessLogEntry.Basis.REFERRER


def test_the_list_of_waiting_referrals_logs_each_referral_shown(cast):
    referral = _referral(cast)
    client_for(cast.kuraattori).get(reverse("cases:index"))
    assert AccessLogEntry.objects.filter(
        subject_kind="referral", subject_id=referral.pk, actor_id=cast.kuraattori.pk
    ).exists()


def test_reading_an_appointment_request_is_logged(cast):
    req = appointment_actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="online",
        actor=cast.student,
    )
    r = client_for(cast.kuraattori).get(reverse("appointments:request_detail", args=[req.pk]))
    assert r.status_code == 200
    row = AccessLogEntry.objects.get(subject_kind="request", actor_id=cast.kuraattori.pk)
    assert row.subject_id == req.pk and row.student_id_ref == cast.aino.pk


def test_the_student_sees_who_read_the_referral_and_the_chain_holds(cast):
    referral = _referral(cast)
    client_for(cast.kuraattori).get(reverse("cases:referral", args=[referral.pk]))
    r = client_for(cast.student).get(reverse("records:my_log"))
    assert cast.kuraattori.display_name in r.text
    assert "yhteydenotto opiskeluhuoltoon" in r.text.lower()
    call_command("verify_access_log")


def test_a_row_about_a_record_keeps_the_hash_it_had_before_the_subject_columns():
    """Rows chained before the subject columns existed still verify: a record row hashes
    exactly the old fields."""
    row = {f: 1 for f in chain.FIELDS}
    old = chain.row_hash(chain.GENESIS, row)
    assert (
        chain.row_hash(chain.GENESIS, {**row, "subject_kind": "record", "subject_id": None}) == old
    )
    other = {**row, "subject_kind": "referral", "subject_id": 5}
    assert chain.row_hash(chain.GENESIS, other) != old
    assert chain.row_hash(chain.GENESIS, {**other, "subject_id": 6}) != chain.row_hash(
        chain.GENESIS, other
    )


def test_the_kept_provider_of_an_institution_reads_only_tables_with_a_trigger(cast):
    """`log_reads` keeps each institution's provider with the permission facts, so it may
    read only tables whose writes change the facts' token (access/facts.py)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opiskeluhuolto.access import facts
    from opiskeluhuolto.access.permissions import Permissions
    from opiskeluhuolto.access.tests.test_facts import _tables_read
    from opiskeluhuolto.records.reading import _LazyInstitution

    with CaptureQueriesContext(connection) as ctx:
        provider_id = _LazyInstitution(Permissions(cast.kuraattori), cast.lukio.pk).provider_id
    assert provider_id == cast.lukio.provider_id
    tables = _tables_read(ctx)
    assert tables and tables <= set(facts.TABLES)
