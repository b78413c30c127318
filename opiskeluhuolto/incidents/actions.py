"""Reporting, routing and following up incidents: plain functions views, API and tests call."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.cases import actions as cases_actions
from opiskeluhuolto.cases.models import Referral
from opiskeluhuolto.organisation.models import Campus, Role, RoleAssignment, Student
from opiskeluhuolto.procedures.models import Procedure

from .models import PROCEDURE_KIND, Category, Incident, Step


def procedure_for(category: str, campus: Campus) -> Procedure | None:
    """The procedure that applies: the campus's own, else the institution's, else the
    provider's, of the kind the category calls for (and that has a published version)."""
    institution = campus.institution
    candidates = Procedure.objects.filter(
        kind=PROCEDURE_KIND[Category(category)], provider_id=institution.provider_id
    ).filter(
        Q(campus=campus)
        | Q(institution=institution, campus__isnull=True)
        | Q(institution__isnull=True)
    )
    ranked = sorted(
        (p for p in candidates if p.current() is not None),
        key=lambda p: (p.campus_id is None, p.institution_id is None, p.pk),
    )
    return ranked[0] if ranked else None


def _fallback_handler(campus: Campus):
    """Without a named responsible person: a kuraattori of the campus, else its principal."""
    today = timezone.localdate()
    for role in (Role.SOCIAL_WORKER, Role.PRINCIPAL):
        ra = (
            RoleAssignment.objects.valid_on(today)
            .filter(role=role, institution=campus.institution)
            .filter(Q(campus=campus) | Q(campus__isnull=True))
            .select_related("user")
            .order_by("campus_id", "pk")
            .first()
        )
        if ra is not None:
            return ra.user
    return None


def _route(incident: Incident) -> None:
    procedure = procedure_for(incident.category, incident.campus)
    incident.procedure = procedure
    incident.handler = (procedure.responsible if procedure else None) or _fallback_handler(
        incident.campus
    )
    days = procedure.follow_up_days if procedure else 14
    incident.due_on = timezone.localdate() + timedelta(days=days)


def _check_place(category, institution, campus, occurred_at) -> dict:
    errors = {}
    if not category or category not in Category.values:
        errors["category"] = _("Choose what kind of incident it was.")
    if campus is None:
        errors["campus"] = _("Choose the campus where it happened.")
    elif institution is not None and campus.institution_id != institution.pk:
        errors["campus"] = _("The campus is not one of this institution's.")
    if occurred_at is None:
        errors["occurred_at"] = _("Say when it happened.")
    elif occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = _("An incident is reported after it happened.")
    return errors


@transaction.atomic
def report(
    *,
    by,
    campus: Campus | None,
    category: str,
    occurred_at: datetime | None,
    place: str = "",
    description: str = "",
    immediate_actions: str = "",
    students: list[Student] = (),  # type: ignore[assignment]
    others: str = "",
) -> Incident:
    """A staff member's report, routed at once to the responsible person."""
    errors = _check_place(category, None, campus, occurred_at)
    if campus is not None and any(s.institution_id != campus.institution_id for s in students):
        errors["students"] = _("Only students of this institution can be named.")
    if errors:
        raise ValidationError(errors)
    assert campus is not None and occurred_at is not None
    incident = Incident(
        institution=campus.institution,
        campus=campus,
        category=category,
        occurred_at=occurred_at,
        place=place.strip(),
        description=description.strip(),
        immediate_actions=immediate_actions.strip(),
        others=others.strip(),
        reported_by=by,
    )
    _route(incident)
    incident.save()
    incident.students.set(students)
    return incident


@transaction.atomic
def report_anonymously(
    *,
    campus: Campus | None,
    category: str,
    occurred_at: datetime | None,
    place: str = "",
    description: str = "",
    name: str = "",
    wants_contact: bool = False,
    contact: str = "",
) -> Incident:
    """A student's report. Nothing identifies her unless she writes her name (and, if she
    wants to be contacted, how); no account, no address, no time finer than the report's."""
    errors = _check_place(category, None, campus, occurred_at)
    if wants_contact and not (name.strip() and contact.strip()):
        errors["contact"] = _("To be contacted, write your name and how to reach you.")
    if errors:
        raise ValidationError(errors)
    assert campus is not None and occurred_at is not None
    incident = Incident(
        institution=campus.institution,
        campus=campus,
        category=category,
        occurred_at=occurred_at,
        place=place.strip(),
        description=description.strip(),
        anonymous=True,
        reporter_name=name.strip(),
        wants_contact=wants_contact,
        contact=contact.strip() if wants_contact else "",
    )
    _route(incident)
    incident.save()
    return incident


@transaction.atomic
def add_step(incident: Incident, *, by, kind: str, note: str = "", on: date | None = None) -> Step:
    if kind not in Step.Kind.values or kind == Step.Kind.REFERRAL:
        # A referral step is written by `refer` only.
        raise ValidationError({"kind": _("Choose what kind of step it was.")})
    if incident.status == Incident.Status.CLOSED:
        raise ValidationError(_("The incident is closed."))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("A step is recorded after it was taken.")})
    step = Step.objects.create(incident=incident, kind=kind, note=note.strip(), on=on, by=by)
    if incident.status == Incident.Status.NEW:
        incident.status = Incident.Status.IN_PROGRESS
        incident.save(update_fields=["status"])
    return step


def set_follow_up(incident: Incident, *, on: date | None) -> Incident:
    if on is None or on < timezone.localdate():
        raise ValidationError({"follow_up_on": _("The follow-up date cannot be in the past.")})
    incident.follow_up_on = on
    incident.status = Incident.Status.FOLLOW_UP
    incident.save(update_fields=["follow_up_on", "status"])
    return incident


@transaction.atomic
def close(incident: Incident, *, by) -> Incident:
    """Close when followed up: a follow-up step is recorded, and for a minor involved, the
    guardian contact the procedure requires."""
    steps = set(incident.steps.values_list("kind", flat=True))
    errors = []
    if Step.Kind.FOLLOW_UP not in steps:
        errors.append(_("Record the follow-up before closing."))
    today = timezone.localdate()
    if Step.Kind.GUARDIAN not in steps and any(s.is_minor(today) for s in incident.students.all()):
        errors.append(_("A minor is involved: record the contact with the guardians."))
    if errors:
        raise ValidationError(errors)
    incident.status = Incident.Status.CLOSED
    incident.closed_at = timezone.now()
    incident.save(update_fields=["status", "closed_at"])
    return incident


@transaction.atomic
def refer(
    incident: Incident,
    student: Student,
    *,
    by,
    reason: str,
    with_student: bool = False,
    student_wishes_no_guardian_notice: bool = False,
) -> Referral:
    """A referral to student welfare made from the incident: filed by the cases app (its own
    rules, guardian notice and clock), linked here; nothing of the incident is copied."""
    if not incident.students.filter(pk=student.pk).exists():
        raise ValidationError({"student": _("Refer one of the students involved.")})
    if student.pk in referred_students(incident):
        raise ValidationError(
            _("A referral has already been made for this student from this incident.")
        )
    referral = cases_actions.file_referral(
        student,
        by=by,
        channel=Referral.Channel.STAFF,
        reason=reason,
        with_student=with_student,
        student_wishes_no_guardian_notice=student_wishes_no_guardian_notice,
    )
    if incident.referral_id is None:
        incident.referral = referral
        incident.save(update_fields=["referral"])
    Step.objects.create(
        incident=incident, kind=Step.Kind.REFERRAL, by=by, student=student, referral=referral
    )
    if incident.status == Incident.Status.NEW:
        incident.status = Incident.Status.IN_PROGRESS
        incident.save(update_fields=["status"])
    return referral


def referred_students(incident: Incident) -> set[int]:
    """The students (pks) a referral has been made for from this incident: each involved
    student is referred at most once from it."""
    steps = incident.steps.filter(kind=Step.Kind.REFERRAL, student__isnull=False)
    return set(steps.values_list("student_id", flat=True))
