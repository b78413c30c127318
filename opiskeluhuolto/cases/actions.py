"""State changes of individual welfare: one transaction each, rules enforced here.

Views, the API, the demo and tests all call these. E-mail goes out through
tasks enqueued with `transaction.on_commit`, so nothing is sent for a change
that rolled back.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto import audit
from opiskeluhuolto.lib.workdays import CalendarNotDefined, SchoolCalendar, nth_working_day_after
from opiskeluhuolto.organisation.models import (
    Guardianship,
    Provider,
    Role,
    RoleAssignment,
    Student,
)
from opiskeluhuolto.organisation.positions import position_in_register

from . import auditing, signals
from .models import Case, Consent, ExpertGroupMembership, GuardianProhibition, Referral

NOTICE_WORKING_DAYS = 7  # LAW.md L-15-2, L-16-2


def student_notice_due(student: Student, received_on: date) -> date:
    """LAW.md L-16-2: the student is told and offered a discussion within the §15(1) limit,
    the 7th working day of the institution after the referral.

    Where the school calendar does not reach that far (it has not been entered
    yet), weekdays without public holidays are counted so the duty is never lost.
    """
    calendar = student.institution.school_calendar()
    try:
        return nth_working_day_after(calendar, received_on, NOTICE_WORKING_DAYS)
    except CalendarNotDefined:
        fallback = SchoolCalendar.build([(received_on, received_on + timedelta(days=60))])
        return nth_working_day_after(fallback, received_on, NOTICE_WORKING_DAYS)


def _prohibition_in_force(student: Student, case: Case | None = None) -> bool:
    rows = GuardianProhibition.objects.in_force().filter(student=student)
    if case is None:
        return rows.filter(case__isnull=True).exists()
    return rows.filter(case__isnull=True).exists() or rows.filter(case=case).exists()


def _enqueue_guardian_notice(referral: Referral) -> None:
    from .tasks import send_guardian_referral_notice

    transaction.on_commit(lambda: send_guardian_referral_notice.enqueue(referral.pk))


@transaction.atomic
def file_referral(
    student: Student,
    *,
    by,
    channel: str,
    reason: str,
    with_student: bool = False,
    student_wishes_no_guardian_notice: bool = False,
    referrer_description: str = "",
    received_on: date | None = None,
) -> Referral:
    """LAW.md L-16-1..4, L-15-1: a contact to welfare staff, by staff, the student or an
    outside professional. Without the student, the notice to the student is due by the
    7th working day; the guardian is told unless a §18 prohibition applies."""
    received_on = received_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not (reason or "").strip():
        errors["reason"] = _("Tell the welfare staff briefly why you are contacting them.")
    if channel == Referral.Channel.EXTERNAL and not referrer_description.strip():
        errors["referrer_description"] = _("Name the outside professional and their organisation.")
    if channel == Referral.Channel.SELF and getattr(student, "user_id", None) != by.pk:
        errors["channel"] = _("Only the student can ask for help for themselves.")
    if errors:
        raise ValidationError(errors)
    if channel == Referral.Channel.SELF:
        with_student = True
    if not student.is_minor(received_on) or channel == Referral.Channel.SELF:
        notice = Referral.GuardianNotice.NOT_APPLICABLE
    elif _prohibition_in_force(student):
        notice = Referral.GuardianNotice.SUPPRESSED
    elif student_wishes_no_guardian_notice:
        notice = Referral.GuardianNotice.PENDING
    else:
        notice = Referral.GuardianNotice.SENT
    referral = Referral.objects.create(
        student=student,
        institution=student.institution,
        channel=channel,
        referred_by=by,
        referrer_description=referrer_description.strip(),
        with_student=with_student,
        reason=reason.strip(),
        student_wishes_no_guardian_notice=student_wishes_no_guardian_notice,
        received_on=received_on,
        student_notice_due=None if with_student else student_notice_due(student, received_on),
        guardian_notice=notice,
        guardian_notice_at=timezone.now() if notice == Referral.GuardianNotice.SENT else None,
    )
    if notice == Referral.GuardianNotice.SENT:
        _enqueue_guardian_notice(referral)
    if referral.starts_discussion_clock:
        # LAW.md L-15-1, L-15-5: the appointments app opens the §15 request and links it
        # to the referral (`appointments/receivers.py`), in this transaction.
        signals.discussion_clock_started.send(sender=Referral, referral=referral, by=by)
    return referral


#: Who asked, in the request's terms, by the referral's channel.
REQUESTED_BY = {
    Referral.Channel.SELF: "student",
    Referral.Channel.GUARDIAN: "guardian",
    Referral.Channel.STAFF: "staff",
    Referral.Channel.EXTERNAL: "other",
}


@transaction.atomic
def record_student_notice(referral: Referral, *, by, method: str) -> Referral:
    """LAW.md L-16-2: record that the student was told and offered a discussion."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not referral.needs_student_notice:
        raise ValidationError(_("The student's notice has already been recorded."))
    if not method.strip():
        raise ValidationError({"method": _("Say how the student was told.")})
    referral.student_notified_at = timezone.now()
    referral.student_notified_by = by
    referral.student_notice_method = method.strip()[:100]
    referral.save(
        update_fields=["student_notified_at", "student_notified_by", "student_notice_method"]
    )
    return referral


@transaction.atomic
def release_guardian_notice(referral: Referral, *, by) -> Referral:
    """The professional assessed the student's wish and found no ground for a prohibition."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.guardian_notice != Referral.GuardianNotice.PENDING:
        raise ValidationError(_("The guardian notice is not waiting for an assessment."))
    if _prohibition_in_force(referral.student):
        raise ValidationError(_("A guardian prohibition is in force: the guardian is not told."))
    referral.guardian_notice = Referral.GuardianNotice.SENT
    referral.guardian_notice_at = timezone.now()
    referral.save(update_fields=["guardian_notice", "guardian_notice_at"])
    _enqueue_guardian_notice(referral)
    return referral


@transaction.atomic
def close_referral(referral: Referral, *, by, reason: str) -> Referral:
    """Close a referral without opening a case, with a recorded reason (LAW.md L-15-5)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.OPEN:
        raise ValidationError(_("This referral has already been handled."))
    if reason not in Referral.ClosingReason.values:
        raise ValidationError({"reason": _("Choose why no case is opened.")})
    others_only = (Referral.ClosingReason.ADVICE_ONLY, Referral.ClosingReason.UNNECESSARY)
    if reason in others_only and referral.is_students_own:
        raise ValidationError(
            {
                "reason": _(
                    "The student's own request cannot be closed as advice only or as "
                    "obviously unnecessary: offer a discussion (§15(2))."
                )
            }
        )
    request = referral.discussion_request
    if reason in others_only and request is not None and request.status in ("open", "booked"):
        signals.discussion_closed.send(sender=Referral, request=request, reason=reason, by=by)
    referral.status, referral.closing_reason, referral.closed_by = (
        Referral.Status.CLOSED,
        reason,
        by,
    )
    referral.save(update_fields=["status", "closing_reason", "closed_by"])
    return referral


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


def _is_welfare_professional(user, student: Student, on: date) -> bool:
    return (
        user is not None
        and RoleAssignment.objects.filter(user=user)
        .welfare_staff()
        .valid_on(on)
        .at_institution(student.institution)
        .exists()
    )


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
        elif not _is_welfare_professional(c.capacity_assessed_by, c.student, timezone.localdate()):
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
    consent: Consent,
    members: list,
    responsible,
) -> Case:
    """LAW.md L-19-1, L-19-4, L-14-*: a case exists only with a recorded consent; its members
    come from that consent; exactly one of them is the responsible person."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = _("Write the subject of the matter.")
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
def lift_prohibition(prohibition: GuardianProhibition, *, by) -> GuardianProhibition:
    """The prohibition ends (the student withdrew it, or turned 18): set once, never deleted."""
    prohibition = GuardianProhibition.objects.select_for_update().get(pk=prohibition.pk)
    if prohibition.lifted_at is not None:
        raise ValidationError(_("The prohibition has already been lifted."))
    before = auditing.prohibition_state(prohibition)
    prohibition.lifted_at = timezone.now()
    prohibition.lifted_by = by
    prohibition.save(update_fields=["lifted_at", "lifted_by"])
    auditing.record_prohibition(audit.Kind.PROHIBITION_LIFTED, prohibition, by=by, before=before)
    return prohibition


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


@transaction.atomic
def record_prohibition(
    student: Student,
    *,
    by,
    reason: str,
    assessed_by,
    assessor_profession: str,
    assessment: str,
    decided_on: date,
    case: Case | None = None,
) -> GuardianProhibition:
    """LAW.md L-18-1: the minor forbids the guardian's participation for a weighty reason;
    a social or health professional of the welfare staff assesses the minor's interest.
    From now on the guardian sees nothing of it and gets no notice (L-16-3)."""
    errors: dict[str, str] = {}
    if not student.is_minor(decided_on):
        errors["reason"] = _("Only a minor's guardian can be excluded; an adult decides alone.")
    if not reason.strip():
        errors["reason"] = _("Record the student's weighty reason.")
    if not assessment.strip():
        errors["assessment"] = _("Record the assessment of the student's interest.")
    if not assessor_profession.strip():
        errors["assessor_profession"] = _("Record the assessor's profession.")
    is_professional = (
        RoleAssignment.objects.filter(user=assessed_by)
        .welfare_staff()
        .valid_on(decided_on)
        .at_institution(student.institution)
        .exists()
    )
    if not is_professional:
        errors["assessed_by"] = _(
            "The assessor must be a social or health care professional of the welfare staff."
        )
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    prohibition = GuardianProhibition.objects.create(
        student=student,
        case=case,
        reason=reason.strip(),
        assessed_by=assessed_by,
        assessor_profession=assessor_profession.strip()[:100],
        assessment=assessment.strip(),
        decided_on=decided_on,
        recorded_by=by,
    )
    # Notices still waiting for the assessment are not sent (L-16-3).
    Referral.objects.filter(
        student=student, guardian_notice=Referral.GuardianNotice.PENDING
    ).update(guardian_notice=Referral.GuardianNotice.SUPPRESSED)
    auditing.record_prohibition(audit.Kind.PROHIBITION_RECORDED, prohibition, by=by, before=None)
    return prohibition
