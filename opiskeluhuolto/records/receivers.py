"""The register's side of `cases.signals`: each case gets its record, the consent and
group changes of a case are written into it, in the transaction of the case's action, and
every referral shown to someone is logged through the register's gate (LAW.md L-906-1)."""

from __future__ import annotations

from django.dispatch import receiver

from opiskeluhuolto.cases import signals

from . import actions
from .models import AccessLogEntry
from .reading import Read, log_case_list, log_reads


@receiver(signals.case_opened, dispatch_uid="records.case_opened")
def create_record(sender, *, case, **kwargs) -> None:
    actions.create_record(case)


@receiver(signals.case_event, dispatch_uid="records.case_event")
def write_event(sender, *, case, by, text, **kwargs) -> None:
    actions.write_event(case, by=by, text=text)


def referral_reads(referrals) -> list[Read]:
    """The log's name of each referral shown (LAW.md L-906-1)."""
    return [
        Read(
            AccessLogEntry.Subject.REFERRAL,
            r.pk,
            r.student_id,
            r.institution_id,
            made_by_id=r.referred_by_id,
        )
        for r in referrals
    ]


@receiver(signals.referrals_read, dispatch_uid="records.referrals_read")
def log_referral_reads(sender, *, user, referrals, purpose, request=None, **kwargs) -> None:
    log_reads(user, referral_reads(referrals), purpose=purpose, request=request)


@receiver(signals.cases_listed, dispatch_uid="records.cases_listed")
def log_listed_cases(
    sender, *, user, cases, purpose, request=None, api: bool = False, **kwargs
) -> None:
    action = AccessLogEntry.Action.API_READ if api else AccessLogEntry.Action.READ
    log_case_list(user, list(cases), purpose=purpose, request=request, action=action)
