"""Retention: destroy what is due, keep what is held, report what went (LAW.md L-RET-1, -4, -5).

The periods are the provider's decision (L-906-7), kept in `RetentionClass`;
nothing here hard-codes a number of years. The access log is not destroyed
with the records it describes (L-RET-4): it holds only ids and names.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q

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


def due_cases(today: date, rule: RetentionClass) -> list[Case]:
    if rule.permanent or rule.start_event != RetentionClass.StartEvent.CASE_CLOSED:
        return []
    cutoff = add_years(today, -rule.years)
    return list(
        Case.objects.filter(status=Case.Status.CLOSED, closed_on__lte=cutoff).select_related(
            "record"
        )
    )


def _destroy_cases(cases: list[Case]) -> None:
    case_ids = [c.pk for c in cases]
    record_ids = list(
        WelfareRecord.objects.filter(case_id__in=case_ids).values_list("pk", flat=True)
    )
    entry_ids = list(
        RecordEntry.objects.filter(record_id__in=record_ids).values_list("pk", flat=True)
    )
    # Queryset deletes on purpose: the append-only models refuse instance deletion.
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
    referral_ids = [c.referral_id for c in cases if c.referral_id]
    Case.objects.filter(pk__in=case_ids).delete()
    Referral.objects.filter(pk__in=referral_ids).delete()


@transaction.atomic
def run_retention(today: date, *, run_by: str, dry_run: bool = False) -> DestructionReport:
    """Destroy every document whose retention period has ended, except under legal hold."""
    destroyed, held, doomed = [], [], []
    rules = {r.document_type: r for r in RetentionClass.objects.all()}
    record_rule = rules.get(RetentionClass.DocumentType.WELFARE_RECORD)
    if record_rule:
        for case in due_cases(today, record_rule):
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
                destroyed.append(item)
                doomed.append(case)
    referral_rule = rules.get(RetentionClass.DocumentType.REFERRAL)
    stale_referrals = []
    if referral_rule and not referral_rule.permanent:
        cutoff = add_years(today, -referral_rule.years)
        stale_referrals = list(
            Referral.objects.filter(received_on__lte=cutoff)
            .filter(~Q(status=Referral.Status.CASE_OPENED))
            .values("pk", "student_id", "received_on")
        )
        destroyed += [
            {
                "type": RetentionClass.DocumentType.REFERRAL.value,
                "referral": r["pk"],
                "student": r["student_id"],
                "received_on": r["received_on"].isoformat(),
            }
            for r in stale_referrals
        ]
    if not dry_run:
        _destroy_cases(doomed)
        Referral.objects.filter(pk__in=[r["pk"] for r in stale_referrals]).delete()
    return DestructionReport.objects.create(
        run_by=run_by, dry_run=dry_run, destroyed=destroyed, held=held
    )
