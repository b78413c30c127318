"""Retention per controller: propose what is due, let a person approve it, then destroy it and
keep the report (LAW.md L-RET-1, -4, -5, L-906-7, L-21-1).

Each provider keeps its own `RetentionClass` per document type; nothing here hard-codes a
number of years. A run of `run_retention` first destroys what a person has approved
(checking the legal hold again), then proposes, per provider, what has become due; the
proposal waits in "Hävitettävät asiakirjat" for the register responsible person. A referral
that was never handled is never destroyed: it is listed as unhandled for someone to deal
with. The access log is not destroyed with the documents it names (L-RET-4).

Other apps add their document types with `register` (appointments its requests and
bookings): this module never imports them, so the dependency keeps pointing one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from opiskeluhuolto.cases.models import (
    Case,
    Consent,
    ExpertGroupMembership,
    GuardianProhibition,
    Referral,
)

from .models import (
    Amendment,
    DestructionReport,
    Disclosure,
    RecordEntry,
    RectificationRequest,
    RetentionClass,
    WelfareRecord,
)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class Source:
    """A document type: `due(provider_id, rule, cutoff)` gives (items to destroy, items held,
    items past the period but unhandled); `destroy(items)` destroys the listed ones."""

    due: Callable[[int, RetentionClass, date], tuple[list, list, list]]
    destroy: Callable[[list[dict]], None]


SOURCES: dict[str, Source] = {}


def register(document_type: str, due, destroy) -> None:
    SOURCES[document_type] = Source(due, destroy)


def left_on(student_ids) -> dict[int, date]:
    """The day each student's study right ended (resigned), from the roster imports."""
    from opiskeluhuolto.imports.models import StudyRightEvent

    rows = (
        StudyRightEvent.objects.filter(student_id__in=student_ids, kind="resigned")
        .values("student_id")
        .annotate(day=Max("starts_on"))
    )
    return {r["student_id"]: r["day"] for r in rows}


def _record_items(provider_id: int, rule: RetentionClass, cutoff: date):
    closed = Case.objects.filter(
        institution__provider_id=provider_id, status=Case.Status.CLOSED, closed_on__isnull=False
    ).select_related("record")
    cases: list[Case]
    if rule.start_event == RetentionClass.StartEvent.CASE_CLOSED:
        cases = list(closed.filter(closed_on__lte=cutoff))
    elif rule.start_event == RetentionClass.StartEvent.STUDENT_LEFT:
        cases = list(closed)
        left = left_on({c.student_id for c in cases})
        # Counted from the later of the two: a record is never destroyed while its case runs.
        cases = [
            c
            for c in cases
            if c.student_id in left
            and c.closed_on is not None
            and max(left[c.student_id], c.closed_on) <= cutoff
        ]
    else:
        return [], [], []
    destroy: list[dict] = []
    held: list[dict] = []
    for case in cases:
        record = getattr(case, "record", None)
        item = {
            "type": RetentionClass.DocumentType.WELFARE_RECORD.value,
            "case": case.pk,
            "record": record.pk if record else None,
            "student": case.student_id,
            "closed_on": case.closed_on.isoformat() if case.closed_on else None,
        }
        if record is not None and record.legal_hold:
            held.append({**item, "reason": record.legal_hold_reason})
        else:
            destroy.append(item)
    return destroy, held, []


def destroying() -> None:
    """Tell the database that this transaction is the retention job's destruction: on
    PostgreSQL the triggers of records, entries, amendments and disclosures (records
    migrations 0014, 0017) refuse every other DELETE. Transaction-local (SET LOCAL): it ends with `run_retention`'s transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL records.destroying = 'on'")


def _destroy_records(items: list[dict]) -> None:
    case_ids = [i["case"] for i in items]
    # Checked again at destruction: a hold set after the approval still keeps the record.
    held = set(
        WelfareRecord.objects.filter(case_id__in=case_ids, legal_hold=True).values_list(
            "case_id", flat=True
        )
    )
    case_ids = [c for c in case_ids if c not in held]
    record_ids = list(
        WelfareRecord.objects.filter(case_id__in=case_ids).values_list("pk", flat=True)
    )
    entry_ids = list(
        RecordEntry.objects.filter(record_id__in=record_ids).values_list("pk", flat=True)
    )
    # Queryset deletes on purpose: the append-only models refuse instance deletion.
    destroying()
    RectificationRequest.objects.filter(record_id__in=record_ids).delete()
    Disclosure.objects.filter(record_id__in=record_ids).delete()
    Amendment.objects.filter(entry_id__in=entry_ids).delete()
    RecordEntry.objects.filter(pk__in=entry_ids).delete()
    WelfareRecord.objects.filter(pk__in=record_ids).delete()
    ExpertGroupMembership.objects.filter(case_id__in=case_ids).delete()
    GuardianProhibition.objects.filter(case_id__in=case_ids).delete()
    consent_ids = list(Consent.objects.filter(case_id__in=case_ids).values_list("pk", flat=True))
    Consent.named_members.through.objects.filter(consent_id__in=consent_ids).delete()
    Consent.objects.filter(pk__in=consent_ids).delete()
    referral_ids = list(
        Case.objects.filter(pk__in=case_ids, referral__isnull=False).values_list(
            "referral_id", flat=True
        )
    )
    Case.objects.filter(pk__in=case_ids).delete()
    Referral.objects.filter(pk__in=referral_ids).delete()


def _referral_items(provider_id: int, rule: RetentionClass, cutoff: date):
    if rule.start_event != RetentionClass.StartEvent.RECEIVED:
        return [], [], []
    old = Referral.objects.filter(
        institution__provider_id=provider_id, received_on__lte=cutoff
    ).exclude(status=Referral.Status.CASE_OPENED)  # those go with their case
    destroy: list[dict] = []
    unhandled: list[dict] = []
    for r in old.values("pk", "student_id", "received_on", "status"):
        item = {
            "type": RetentionClass.DocumentType.REFERRAL.value,
            "referral": r["pk"],
            "student": r["student_id"],
            "received_on": r["received_on"].isoformat(),
        }
        # Never destroyed silently: a contact nobody answered is listed for handling.
        (destroy if r["status"] == Referral.Status.CLOSED else unhandled).append(item)
    return destroy, [], unhandled


def _destroy_referrals(items: list[dict]) -> None:
    Referral.objects.filter(
        pk__in=[i["referral"] for i in items], status=Referral.Status.CLOSED
    ).delete()


register(RetentionClass.DocumentType.WELFARE_RECORD, _record_items, _destroy_records)
register(RetentionClass.DocumentType.REFERRAL, _referral_items, _destroy_referrals)


def _propose(provider_id: int, today: date, *, run_by: str, dry_run: bool):
    destroy, held, unhandled = [], [], []
    for rule in RetentionClass.objects.filter(provider_id=provider_id):
        source = SOURCES.get(rule.document_type)
        if rule.permanent or source is None:
            continue
        d, h, u = source.due(provider_id, rule, add_years(today, -rule.years))
        destroy += d
        held += h
        unhandled += u
    if not (destroy or held or unhandled):
        return None
    return DestructionReport.objects.create(
        provider_id=provider_id,
        status=DestructionReport.Status.DRY_RUN if dry_run else DestructionReport.Status.PROPOSED,
        run_by=run_by,
        dry_run=dry_run,
        destroyed=destroy,
        held=held,
        unhandled=unhandled,
    )


def _destroy(report: DestructionReport) -> None:
    by_type: dict[str, list[dict]] = {}
    for item in report.destroyed:
        by_type.setdefault(item["type"], []).append(item)
    for document_type, items in by_type.items():
        SOURCES[document_type].destroy(items)
    report.status = DestructionReport.Status.DESTROYED
    report.destroyed_at = timezone.now()
    report.save(update_fields=["status", "destroyed_at"])


@transaction.atomic
def run_retention(today: date, *, run_by: str, dry_run: bool = False) -> list[DestructionReport]:
    """Destroy what a person approved; then propose, per provider, what has become due.

    A provider with a proposal still waiting for review gets no second one. With `dry_run`,
    nothing is destroyed and the proposals are previews that nobody can approve."""
    reports = []
    if not dry_run:
        for report in DestructionReport.objects.filter(
            status=DestructionReport.Status.APPROVED
        ).select_for_update():
            _destroy(report)
            reports.append(report)
    waiting = set(
        DestructionReport.objects.filter(status=DestructionReport.Status.PROPOSED).values_list(
            "provider_id", flat=True
        )
    )
    providers = set(RetentionClass.objects.values_list("provider_id", flat=True))
    for provider_id in sorted(providers):
        if provider_id in waiting and not dry_run:
            continue
        report = _propose(provider_id, today, run_by=run_by, dry_run=dry_run)
        if report is not None:
            reports.append(report)
    return reports


@transaction.atomic
def approve(report: DestructionReport, *, by) -> DestructionReport:
    """A person reviewed the proposal and approves it; the next run destroys it."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    report = DestructionReport.objects.select_for_update().get(pk=report.pk)
    if report.status != DestructionReport.Status.PROPOSED:
        raise ValidationError(_("Only a proposal waiting for review can be approved."))
    report.status = DestructionReport.Status.APPROVED
    report.approved_by = by
    report.approved_at = timezone.now()
    report.save(update_fields=["status", "approved_by", "approved_at"])
    return report
