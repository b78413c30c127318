"""What of consents, expert groups and prohibitions the audit trail keeps (decision 10).

Only what decides access: who, which kind, which case, when. Never the encrypted free
text (reasons, assessments, scope) and never a personal identity code.
"""

from __future__ import annotations

from django.utils import timezone

from opiskeluhuolto import audit

from .models import Case, Consent, GuardianProhibition


def members(case: Case | None) -> list[dict] | None:
    """The expert group's current members, by user id, with position and responsibility."""
    if case is None:
        return None
    rows = case.memberships.active_on(timezone.localdate()).select_related("user")
    return sorted(
        (
            {
                "user": m.user_id,
                "name": m.user.display_name,
                "position": m.position,
                "responsible": m.is_responsible,
                "consent": m.consent_id,
            }
            for m in rows
        ),
        key=lambda m: m["user"],
    )


def consent_state(consent: Consent) -> dict:
    values = audit.state(
        consent,
        "student",
        "case",
        "kind",
        "given_by",
        "guardian",
        "how",
        "given_on",
        "named_roles",
        "recipient_provider",
        "withdrawn_on",
    )
    values["named_members"] = sorted(consent.named_members.values_list("pk", flat=True))
    return values


def consent_and_group(consent: Consent) -> dict:
    return {"consent": consent_state(consent), "expert_group": members(consent.case)}


def prohibition_state(prohibition: GuardianProhibition) -> dict:
    return audit.state(
        prohibition, "student", "case", "assessed_by", "decided_on", "lifted_at", "lifted_by"
    )


def record_group(case: Case, *, by, before: list | None) -> None:
    """One event for a change of the expert group (members added, ended, responsible moved)."""
    after = members(case)
    if after != before:
        audit.record(
            audit.Kind.EXPERT_GROUP_CHANGED,
            case,
            by=by,
            provider_id=case.institution.provider_id,
            student_id=case.student_id,
            before=before,
            after=after,
        )


def record_consent(kind: str, consent: Consent, *, by, before: dict | None) -> None:
    audit.record(
        kind,
        consent,
        by=by,
        provider_id=consent.student.institution.provider_id,
        student_id=consent.student_id,
        before=before,
        after=consent_and_group(consent),
    )


def record_prohibition(kind: str, prohibition: GuardianProhibition, *, by, before) -> None:
    audit.record(
        kind,
        prohibition,
        by=by,
        provider_id=prohibition.student.institution.provider_id,
        student_id=prohibition.student_id,
        before=before,
        after=prohibition_state(prohibition),
    )
