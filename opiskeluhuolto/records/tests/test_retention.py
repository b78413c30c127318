"""Retention: due records are destroyed, held ones kept, a report stays (LAW.md L-RET-5)."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from opiskeluhuolto.cases import actions as case_actions
from opiskeluhuolto.cases.models import Case
from opiskeluhuolto.cases.tests.story import meeting, open_aino_case
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import AccessLogEntry, DestructionReport, RetentionClass
from opiskeluhuolto.records.reading import read_record
from opiskeluhuolto.records.retention import run_retention

pytestmark = pytest.mark.django_db


def _closed_case(cast, years_ago: int):
    case = open_aino_case(cast)
    meeting(case, cast.kuraattori)
    read_record(cast.kuraattori, case, purpose="x")
    case_actions.close_case(case, by=cast.kuraattori)
    Case.objects.filter(pk=case.pk).update(
        closed_on=cast.today - timedelta(days=365 * years_ago + 3)
    )
    return case


def test_due_record_is_destroyed_held_one_kept(cast, capsys):
    RetentionClass.objects.create(
        document_type="welfare_record", years=10, start_event="case_closed"
    )
    old = _closed_case(cast, 11)
    held = _closed_case(cast, 11)
    recent = _closed_case(cast, 2)
    actions.set_legal_hold(held.pk, reason="Valitus vireillä hallinto-oikeudessa")
    log_rows = AccessLogEntry.objects.count()
    call_command("run_retention")
    assert set(Case.objects.values_list("pk", flat=True)) == {held.pk, recent.pk}
    report = DestructionReport.objects.get()
    assert [d["case"] for d in report.destroyed] == [old.pk]
    assert [h["case"] for h in report.held] == [held.pk]
    assert AccessLogEntry.objects.count() == log_rows  # logs outlive the records (L-RET-4)
    call_command("verify_access_log")
    assert "Destroyed 1" in capsys.readouterr().out


def test_dry_run_destroys_nothing(cast):
    RetentionClass.objects.create(
        document_type="welfare_record", years=5, start_event="case_closed"
    )
    case = _closed_case(cast, 6)
    report = run_retention(cast.today, run_by="test", dry_run=True)
    assert report.dry_run and report.destroyed[0]["case"] == case.pk
    assert Case.objects.filter(pk=case.pk).exists()


def test_permanent_class_keeps_everything(cast):
    RetentionClass.objects.create(
        document_type="welfare_record", years=1, start_event="case_closed", permanent=True
    )
    _closed_case(cast, 3)
    assert run_retention(cast.today, run_by="test").destroyed == []


def test_without_a_class_nothing_is_destroyed(cast):
    _closed_case(cast, 30)
    assert run_retention(cast.today, run_by="test").destroyed == []


def test_legal_hold_command(cast, capsys):
    case = _closed_case(cast, 1)
    call_command("legal_hold", str(case.pk), "--reason", "Selvityspyyntö")
    assert case.record.__class__.objects.get(case=case).legal_hold
    call_command("legal_hold", str(case.pk), "--release")
    assert not case.record.__class__.objects.get(case=case).legal_hold
