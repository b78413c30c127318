"""Retention per controller (LAW.md L-906-7, L-RET-5): each provider's classes, a proposal a
person approves before anything is destroyed, unhandled referrals never destroyed, and a
report of what went, when and by whom."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.appointments import actions as appointments
from opiskeluhuolto.appointments.models import AppointmentRequest
from opiskeluhuolto.cases import actions as case_actions
from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.cases.models import Case, Referral
from opiskeluhuolto.cases.tests.story import meeting, open_aino_case
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import AccessLogEntry, DestructionReport, RetentionClass
from opiskeluhuolto.records.reading import read_record
from opiskeluhuolto.records.retention import approve, run_retention

pytestmark = pytest.mark.django_db


def _closed_case(cast, years_ago: int):
    case = open_aino_case(cast)
    meeting(case, cast.kuraattori)
    read_record(cast.kuraattori, case, purpose="x")
    expert_groups.close_case(case, by=cast.kuraattori)
    Case.objects.filter(pk=case.pk).update(
        closed_on=cast.today - timedelta(days=365 * years_ago + 3)
    )
    return case


def _class(cast, document_type="welfare_record", years=10, start_event="case_closed", **kw):
    return RetentionClass.objects.create(
        provider=kw.pop("provider", cast.provider),
        document_type=document_type,
        years=years,
        start_event=start_event,
        **kw,
    )


def test_nothing_is_destroyed_before_a_person_approves_the_proposal(cast, capsys):
    _class(cast)
    old = _closed_case(cast, 11)
    held = _closed_case(cast, 11)
    recent = _closed_case(cast, 2)
    actions.set_legal_hold(held.pk, reason="Valitus vireillä hallinto-oikeudessa")
    log_rows = AccessLogEntry.objects.count()
    call_command("run_retention")
    proposal = DestructionReport.objects.get()
    assert proposal.status == "proposed" and proposal.provider == cast.provider
    assert [d["case"] for d in proposal.destroyed] == [old.pk]
    assert [h["case"] for h in proposal.held] == [held.pk]
    assert Case.objects.filter(pk=old.pk).exists()  # only proposed
    call_command("run_retention")  # a second run proposes nothing new while one waits
    assert DestructionReport.objects.count() == 1
    approve(proposal, by=cast.admin)
    call_command("run_retention")
    assert set(Case.objects.values_list("pk", flat=True)) == {held.pk, recent.pk}
    proposal.refresh_from_db()
    assert proposal.status == "destroyed" and proposal.approved_by == cast.admin
    assert proposal.destroyed_at is not None
    assert AccessLogEntry.objects.count() == log_rows  # logs outlive the records (L-RET-4)
    call_command("verify_access_log")
    assert "destroyed" in capsys.readouterr().out


def test_a_hold_set_after_the_approval_still_keeps_the_record(cast):
    _class(cast)
    case = _closed_case(cast, 11)
    (proposal,) = run_retention(cast.today, run_by="test")
    approve(proposal, by=cast.admin)
    actions.set_legal_hold(case.pk, reason="Tietopyyntö")
    run_retention(cast.today, run_by="test")
    assert Case.objects.filter(pk=case.pk).exists()


def test_classes_are_per_controller(cast):
    _class(cast, provider=cast.other_provider, years=1)
    _closed_case(cast, 5)
    assert run_retention(cast.today, run_by="test") == []


def test_dry_run_destroys_nothing_and_cannot_be_approved(cast):
    _class(cast, years=5)
    case = _closed_case(cast, 6)
    (report,) = run_retention(cast.today, run_by="test", dry_run=True)
    assert report.status == "dry_run" and report.destroyed[0]["case"] == case.pk
    with pytest.raises(ValidationError):
        approve(report, by=cast.admin)
    assert Case.objects.filter(pk=case.pk).exists()


def test_permanent_class_keeps_everything(cast):
    _class(cast, years=1, permanent=True)
    _closed_case(cast, 3)
    assert run_retention(cast.today, run_by="test") == []


def test_without_a_class_nothing_is_destroyed(cast):
    _closed_case(cast, 30)
    assert run_retention(cast.today, run_by="test") == []


def test_an_unhandled_referral_is_never_destroyed(cast):
    _class(cast, "referral", years=2, start_event="received")
    old_day = cast.today - timedelta(days=3 * 365)
    unhandled = case_actions.file_referral(
        cast.aino, by=cast.teacher, channel="staff", reason="Huoli.", received_on=old_day
    )
    handled = case_actions.file_referral(
        cast.aino, by=cast.teacher, channel="staff", reason="Huoli 2.", received_on=old_day
    )
    case_actions.close_referral(handled, by=cast.kuraattori, reason="supported")
    (proposal,) = run_retention(cast.today, run_by="test")
    assert [u["referral"] for u in proposal.unhandled] == [unhandled.pk]
    assert [d["referral"] for d in proposal.destroyed] == [handled.pk]
    approve(proposal, by=cast.admin)
    run_retention(cast.today, run_by="test")
    assert list(Referral.objects.values_list("pk", flat=True)) == [unhandled.pk]


def test_resolved_appointment_requests_are_destroyed_open_ones_kept(cast, time_machine):
    _class(cast, "appointment_request", years=2, start_event="resolved")
    time_machine.move_to(cast.today - timedelta(days=3 * 365), tick=False)
    closed = appointments.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by="guardian",
        channel="phone",
        actor=cast.kuraattori,
    )
    appointments.close_request(closed, reason="advice_only", actor=cast.kuraattori)
    waiting = appointments.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by="guardian",
        channel="phone",
        actor=cast.kuraattori,
    )
    time_machine.move_to(cast.today + timedelta(days=1), tick=False)
    (proposal,) = run_retention(cast.today, run_by="test")
    assert [u["request"] for u in proposal.unhandled] == [waiting.pk]
    approve(proposal, by=cast.admin)
    run_retention(cast.today, run_by="test")
    assert list(AppointmentRequest.objects.values_list("pk", flat=True)) == [waiting.pk]


def test_the_register_responsible_person_approves_on_the_page(cast):
    cast.provider.register_responsible = cast.admin
    cast.provider.save()
    _class(cast)
    _closed_case(cast, 11)
    (proposal,) = run_retention(cast.today, run_by="test")
    client = Client()
    client.force_login(cast.admin)
    page = client.get(reverse("records:destruction"))
    assert page.status_code == 200 and "Hävitysehdotukset" in page.text
    assert client.post(reverse("records:destruction"), {"report": proposal.pk}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.approved_by == cast.admin


def test_legal_hold_command(cast, capsys):
    case = _closed_case(cast, 1)
    call_command("legal_hold", str(case.pk), "--reason", "Selvityspyyntö")
    assert case.record.__class__.objects.get(case=case).legal_hold
    call_command("legal_hold", str(case.pk), "--release")
    assert not case.record.__class__.objects.get(case=case).legal_hold
