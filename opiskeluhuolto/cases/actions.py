"""State changes of referrals and guardian prohibitions: one transaction each, rules enforced here.

The expert group (consent, members, opening and closing a case) is in `expert_groups`.

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
    RoleAssignment,
    Student,
)

from . import auditing, signals
from .models import Case, GuardianProhibition, Referral

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
    return GuardianProhibition.objects.covering(student, case).exists()


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


def is_welfare_professional(user, student: Student, on: date) -> bool:
    """Whether the person is one of the welfare staff at the student's institution that day
    (the capacity assessment of a consent, the assessment of a prohibition)."""
    return (
        user is not None
        and RoleAssignment.objects.filter(user=user)
        .welfare_staff()
        .valid_on(on)
        .at_institution(student.institution)
        .exists()
    )


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
    if not is_welfare_professional(assessed_by, student, decided_on):
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
