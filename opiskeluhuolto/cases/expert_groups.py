"""State changes of the expert group (LAW.md L-19, L-20, L-21): consent, members, opening and
closing the case; one transaction each, audited in it (`auditing`).

The referrals, their notices and the guardian prohibitions are in `actions`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto import audit
from opiskeluhuolto.organisation.models import (
    Guardianship,
    Provider,
    Role,
    RoleAssignment,
    Student,
)
from opiskeluhuolto.organisation.positions import position_in_register

from . import auditing, signals
from .actions import is_welfare_professional
from .models import Case, Consent, ExpertGroupMembership, Referral


def _position(user, student: Student, on: date) -> str:
    """The member's position in the register's language (`organisation.positions`)."""
    if user.title:
        return user.title
    roles = (
        RoleAssignment.objects.filter(user=user)
        .valid_on(on)
        .at_institution(student.institution)
        .values_list("role", flat=True)
    )
    return position_in_register("", roles) or "–"


def _validate_consent(c: Consent, named_members: list) -> None:
    errors: dict[str, str] = {}
    if c.given_by == Consent.GivenBy.GUARDIAN:
        if (
            c.guardian is None
            or not Guardianship.objects.filter(student=c.student, guardian=c.guardian).exists()
        ):
            errors["guardian"] = _("Choose the guardian who gave the consent.")
        if not c.capacity_assessment.strip():
            errors["capacity_assessment"] = _(
                "Record why the student cannot judge what the consent means: "
                "only then does the guardian consent instead."
            )
        elif not is_welfare_professional(c.capacity_assessed_by, c.student, timezone.localdate()):
            # LAW.md L-GDPR-8: a case-by-case assessment by a welfare professional.
            errors["capacity_assessed_by"] = _(
                "The student's capacity is assessed by a welfare professional (kuraattori, "
                "psykologi, terveydenhoitaja or lääkäri) of the student's institution."
            )
    if c.given_on and c.given_on > timezone.localdate():
        errors["given_on"] = _("A consent cannot be given in the future.")
    if set(c.named_roles) - set(Role.values):
        errors["named_roles"] = _("Choose the roles from the list.")
    # LAW.md L-19-1: each member by name; a role beside the names grants nothing by itself.
    names_nobody = not (named_members or c.other_participants.strip())
    if c.kind in (Consent.Kind.EXPERT_GROUP, Consent.Kind.PARTICIPANTS) and names_nobody:
        errors["named_members"] = _(
            "A consent must name each member it covers by name (§19(2): specified consent). "
            "A role alone names nobody."
        )
    if c.kind == Consent.Kind.DISCLOSURE and not c.recipient.strip():
        errors["recipient"] = _("Name the recipient the consent allows disclosing to.")
    if c.kind == Consent.Kind.TRANSFER:
        if c.recipient_provider is None:
            errors["recipient_provider"] = _("Name the provider the data may be transferred to.")
        elif c.recipient_provider.pk == c.student.institution.provider_id:
            errors["recipient_provider"] = _("The receiving provider must be another provider.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def give_consent(
    student: Student,
    *,
    recorded_by,
    kind: str,
    given_by: str,
    how: str,
    given_on: date,
    case: Case | None = None,
    guardian=None,
    capacity_assessment: str = "",
    capacity_assessed_by=None,
    named_members=(),
    named_roles=(),
    other_participants: str = "",
    scope: str = "",
    recipient: str = "",
    recipient_provider: Provider | None = None,
) -> Consent:
    """LAW.md L-19-1..2, L-23-1, L-GDPR-8: a specified consent with who gave it, when, how,
    what it covers and who recorded it. A guardian consents only with a recorded
    assessment, by a welfare professional (`capacity_assessed_by`, by default the person
    recording), that the student cannot judge it: never by age alone. An oral consent is
    recorded as a note: it grants nothing (`Consent.is_written`)."""
    assessment = (capacity_assessment or "").strip()
    consent = Consent(
        student=student,
        case=case,
        kind=kind,
        given_by=given_by,
        guardian=guardian if given_by == Consent.GivenBy.GUARDIAN else None,
        capacity_assessment=assessment,
        capacity_assessed_by=(capacity_assessed_by or recorded_by) if assessment else None,
        how=how,
        given_on=given_on,
        named_roles=sorted(set(named_roles)),
        other_participants=(other_participants or "").strip(),
        scope=(scope or "").strip(),
        recipient=(recipient or "").strip()
        or (recipient_provider.name if recipient_provider else ""),
        recipient_provider=recipient_provider,
        recorded_by=recorded_by,
    )
    _validate_consent(consent, list(named_members))
    consent.save()
    consent.named_members.set(named_members)
    auditing.record_consent(audit.Kind.CONSENT_GIVEN, consent, by=recorded_by, before=None)
    return consent


def _add_membership(case: Case, user, *, consent: Consent, on: date, responsible: bool = False):
    if not consent.is_written:
        raise ValidationError(
            {
                "how": _(
                    "An oral consent is recorded as a note only: members are added from a "
                    "written consent naming each of them (§19(2))."
                )
            }
        )
    if not consent.covers(user):
        raise ValidationError(
            {
                "members": _(
                    "%(name)s is not named in the consent. Record a new specified "
                    "consent naming them first (§19(2))."
                )
                % {"name": user.display_name}
            }
        )
    holds_role = (
        RoleAssignment.objects.filter(user=user).valid_on(on).at_institution(case.institution)
    ).exists()
    if not holds_role:
        # LAW.md L-906-4: access follows the job; without one here, membership grants nothing.
        raise ValidationError(
            {
                "members": _(
                    "%(name)s holds no current role at the student's institution, so "
                    "membership would give no access. The provider admin records the role first."
                )
                % {"name": user.display_name}
            }
        )
    if case.memberships.open_on(on).filter(user=user).exists():
        return None
    return ExpertGroupMembership.objects.create(
        case=case,
        user=user,
        consent=consent,
        position=_position(user, case.student, on)[:100],
        is_responsible=responsible,
        started_on=on,
    )


def _initiator(referral: Referral) -> str:
    who = referral.referred_by.display_name if referral.referred_by else ""
    if referral.referrer_description:
        who = referral.referrer_description
    return f"{referral.get_channel_display()}: {who}".strip(": ")[:300]


@transaction.atomic
def open_case(
    referral: Referral,
    *,
    by,
    subject: str,
    background: str,
    consent: Consent,
    members: list,
    responsible,
) -> Case:
    """LAW.md L-19-1, L-19-4, L-14-*: a case exists only with a recorded consent; its members
    come from that consent; exactly one of them is the responsible person. L-20-1: the
    matter's subject and background are written when it is opened; the initiator comes
    from the referral."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = _("Write the subject of the matter.")
    if not background.strip():
        errors["background"] = _(
            "Write the background of the matter: in short, what has led to it."
        )
    if consent.kind != Consent.Kind.EXPERT_GROUP or not consent.is_active:
        errors["kind"] = _("A case needs an active consent to handling in an expert group.")
    elif not consent.is_written:
        errors["how"] = _(
            "A case is opened only on a written consent (§19): an oral consent is recorded "
            "as a note and grants nothing."
        )
    if not members:
        errors["members"] = _("Choose at least one member from the consent.")
    elif responsible not in members:
        errors["responsible"] = _("The responsible person must be one of the members.")
    if referral.status != Referral.Status.OPEN:
        errors["subject"] = _("This referral has already been handled.")
    if errors:
        raise ValidationError(errors)
    case = Case.objects.create(
        student=referral.student,
        institution=referral.institution,
        referral=referral,
        subject=subject.strip(),
        background=background.strip(),
        initiator=_initiator(referral),
        opened_on=today,
        opened_by=by,
    )
    Consent.objects.filter(pk=consent.pk).update(case=case)
    consent.case = case
    for user in members:
        _add_membership(case, user, consent=consent, on=today, responsible=user == responsible)
    Referral.objects.filter(pk=referral.pk).update(status=Referral.Status.CASE_OPENED)
    signals.case_opened.send(sender=Case, case=case)
    auditing.record_group(case, by=by, before=[])
    return case


@transaction.atomic
def add_members(case: Case, *, by, consent: Consent, members: list) -> list[ExpertGroupMembership]:
    """LAW.md L-19-2: each added participant needs a specified consent naming them."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("The case is closed."))
    if consent.case_id != case.pk or not consent.is_active:
        raise ValidationError({"members": _("The consent must be an active consent of this case.")})
    today = timezone.localdate()
    before = auditing.members(case)
    added = [m for u in members if (m := _add_membership(case, u, consent=consent, on=today))]
    auditing.record_group(case, by=by, before=before)
    return added


def _end_memberships(case: Case, *, on: date, reason: str, consent: Consent | None = None) -> None:
    rows = ExpertGroupMembership.objects.filter(case=case, ended_on__isnull=True)
    if consent is not None:
        rows = rows.filter(consent=consent)
    rows.update(ended_on=on, end_reason=reason[:200])


@transaction.atomic
def withdraw_consent(consent: Consent, *, by, withdrawn_on: date | None = None) -> Consent:
    """LAW.md L-19-3: withdrawal is recorded once, ends the memberships resting on it and
    blocks new entries; withdrawing the expert-group consent closes the case. What is
    already recorded stays in the register."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent has already been withdrawn."))
    before = auditing.consent_and_group(consent)
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    if withdrawn_on > today:
        raise ValidationError({"withdrawn_on": _("A withdrawal cannot be dated in the future.")})
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_on = withdrawn_on
    consent.withdrawal_recorded_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_on", "withdrawal_recorded_by"])
    case = consent.case
    if case is not None:
        signals.case_event.send(
            sender=Case,
            case=case,
            by=by,
            text=_("Consent withdrawn (%(kind)s, given %(date)s).")
            % {"kind": consent.get_kind_display(), "date": consent.given_on.strftime("%d.%m.%Y")},
        )
        if consent.kind == Consent.Kind.EXPERT_GROUP:
            _end_memberships(case, on=today, reason=str(_("consent withdrawn")))
            Case.objects.filter(pk=case.pk).update(
                status=Case.Status.CLOSED, closed_on=today, closed_by=by
            )
        else:
            _end_memberships(case, on=today, reason=str(_("consent withdrawn")), consent=consent)
    auditing.record_consent(audit.Kind.CONSENT_WITHDRAWN, consent, by=by, before=before)
    return consent


@transaction.atomic
def set_responsible(case: Case, *, by, user) -> ExpertGroupMembership:
    """LAW.md L-19-4: the group names its one responsible person from its members. The old
    and new memberships are ended and restarted, so the history shows who was responsible when."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    today = timezone.localdate()
    current = {m.user_id: m for m in case.memberships.active_on(today)}
    if not case.is_open:
        raise ValidationError(_("The case is closed."))
    if user.pk not in current:
        raise ValidationError({"user": _("The responsible person must be one of the members.")})
    new = current[user.pk]
    if new.is_responsible:
        return new
    old = next((m for m in current.values() if m.is_responsible), None)
    before = auditing.members(case)
    reason = str(_("responsible person changed"))
    for m in filter(None, (old, new)):
        ExpertGroupMembership.objects.filter(pk=m.pk).update(ended_on=today, end_reason=reason)
    if old is not None:
        ExpertGroupMembership.objects.create(
            case=case, user=old.user, consent=old.consent, position=old.position, started_on=today
        )
    membership = ExpertGroupMembership.objects.create(
        case=case,
        user=user,
        consent=new.consent,
        position=new.position,
        is_responsible=True,
        started_on=today,
    )
    signals.case_event.send(
        sender=Case,
        case=case,
        by=by,
        text=_("Responsible person: %(name)s.") % {"name": user.display_name},
    )
    auditing.record_group(case, by=by, before=before)
    return membership


@transaction.atomic
def end_membership(membership: ExpertGroupMembership, *, by) -> ExpertGroupMembership:
    """LAW.md L-906-4: the responsible person ends the membership of someone whose role at
    the institution has ended (their access ended with the role already); the record says so."""
    today = timezone.localdate()
    m = ExpertGroupMembership.objects.select_for_update().get(pk=membership.pk)
    if m.ended_on is not None and m.ended_on <= today:
        raise ValidationError(_("This membership has already ended."))
    if m.is_responsible:
        raise ValidationError(
            _("Hand the responsibility to another member before ending this membership.")
        )
    before = audit.state(m, "user", "position", "ended_on")
    m.ended_on, m.end_reason = today, str(_("role at the institution ended"))[:200]
    m.save(update_fields=["ended_on", "end_reason"])
    # The member's access already ended with the role; the trail still shows who ended
    # the membership and when (decision 10).
    audit.record(
        audit.Kind.EXPERT_GROUP_CHANGED,
        m.case,
        by=by,
        provider_id=m.case.institution.provider_id,
        student_id=m.case.student_id,
        before={"membership": before},
        after={"membership": audit.state(m, "user", "position", "ended_on")},
    )
    signals.case_event.send(
        sender=Case,
        case=m.case,
        by=by,
        text=_("Membership of %(name)s ended: their role at the institution has ended.")
        % {"name": m.user.display_name},
    )
    return m


@transaction.atomic
def close_case(case: Case, *, by) -> Case:
    """Closing ends every membership: access ends with it (LAW.md L-21-2)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("The case is already closed."))
    today = timezone.localdate()
    before = auditing.members(case)
    _end_memberships(case, on=today, reason=str(_("case closed")))
    case.status, case.closed_on, case.closed_by = Case.Status.CLOSED, today, by
    case.save(update_fields=["status", "closed_on", "closed_by"])
    auditing.record_group(case, by=by, before=before)
    return case
