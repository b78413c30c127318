"""State changes of the organisation: one transaction each, validated with full_clean."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opiskeluhuolto import audit

from .models import (
    CalendarPeriod,
    Guardianship,
    Institution,
    Organisation,
    OrganisationAgreement,
    OrganisationContact,
    OrganisationService,
    Provider,
    Role,
    RoleAssignment,
    SchoolYear,
    Student,
)


@transaction.atomic
def create_school_year(
    institution: Institution, *, name: str, starts_on: date, ends_on: date
) -> SchoolYear:
    year = SchoolYear(institution=institution, name=name, starts_on=starts_on, ends_on=ends_on)
    year.full_clean()
    year.save()
    return year


@transaction.atomic
def add_calendar_period(
    school_year: SchoolYear, *, kind: str, name: str, starts_on: date, ends_on: date
) -> CalendarPeriod:
    period = CalendarPeriod(
        school_year=school_year, kind=kind, name=name, starts_on=starts_on, ends_on=ends_on
    )
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def remove_calendar_period(period: CalendarPeriod) -> None:
    period.delete()


@transaction.atomic
def assign_role(
    user,
    *,
    role: str,
    provider: Provider,
    institution: Institution | None = None,
    campus=None,
    valid_from: date,
    valid_until: date | None = None,
    employer: Organisation | None = None,
    by=None,
) -> RoleAssignment:
    assignment = RoleAssignment(
        employer=employer,
        user=user,
        role=role,
        provider=provider,
        institution=institution,
        campus=campus,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    assignment.full_clean()
    assignment.save()
    audit.record(
        audit.Kind.ROLE_ADDED,
        assignment,
        by=by,
        provider_id=provider.pk,
        after=role_state(assignment),
    )
    if role == Role.PROVIDER_ADMIN:
        # Provider admins use the Django admin (scoped to their providers) for reference data.
        from .admin_site import grant_admin_site

        grant_admin_site(user)
    return assignment


@transaction.atomic
def enrol_student(**fields) -> Student:
    student = Student(**fields)
    student.full_clean()
    student.save()
    return student


@transaction.atomic
def link_guardian(student: Student, guardian, *, by=None) -> Guardianship:
    link, created = Guardianship.objects.get_or_create(student=student, guardian=guardian)
    if created:
        audit.record(
            audit.Kind.GUARDIANSHIP_ADDED,
            link,
            by=by,
            provider_id=student.institution.provider_id,
            student_id=student.pk,
            after=guardianship_state(link),
        )
    return link


def role_state(assignment: RoleAssignment) -> dict:
    """What of a role assignment decides access (who, which role, which unit, when) and
    who employs the person: the staff pages and statistics are read per employer (issue 20)."""
    return audit.state(
        assignment,
        "user",
        "role",
        "provider",
        "institution",
        "campus",
        "valid_from",
        "valid_until",
        "employer",
    )


@transaction.atomic
def set_employer(assignment: RoleAssignment, *, employer: Organisation | None, by) -> bool:
    """Record who employs the person in this role: an organisation of the same provider
    (the wellbeing county posting its kuraattori), or None for the provider itself. Audited
    as a change of the role assignment; False when nothing changed."""
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    before = role_state(assignment)
    assignment.employer = employer
    assignment.full_clean()
    after = role_state(assignment)
    if before == after:
        return False
    assignment.save(update_fields=["employer"])
    audit.record(
        audit.Kind.ROLE_CHANGED,
        assignment,
        by=by,
        provider_id=assignment.provider_id,
        before=before,
        after=after,
    )
    return True


def guardianship_state(link: Guardianship) -> dict:
    return audit.state(link, "student", "guardian")


# --- organisations around the school (issue 20) -------------------------------------


def _check_campuses(provider: Provider, campuses) -> list:
    campuses = list(campuses or [])
    if any(c.institution.provider_id != provider.pk for c in campuses):
        raise ValidationError({"campuses": _("A campus belongs to another provider.")})
    return campuses


@transaction.atomic
def save_organisation(organisation: Organisation, *, campuses=None, **fields) -> Organisation:
    """Create or update an organisation of `organisation.provider` with its campuses."""
    for name, value in fields.items():
        setattr(organisation, name, value)
    chosen = _check_campuses(organisation.provider, campuses)
    organisation.full_clean()
    organisation.save()
    organisation.campuses.set(chosen)
    return organisation


@transaction.atomic
def add_contact(organisation: Organisation, **fields) -> OrganisationContact:
    contact = OrganisationContact(organisation=organisation, **fields)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def save_service(service: OrganisationService, **fields) -> OrganisationService:
    for name, value in fields.items():
        setattr(service, name, value)
    service.full_clean()
    service.save()
    return service


@transaction.atomic
def add_agreement(organisation: Organisation, **fields) -> OrganisationAgreement:
    agreement = OrganisationAgreement(
        organisation=organisation, provider_id=organisation.provider_id, **fields
    )
    agreement.full_clean()
    agreement.save()
    return agreement


@transaction.atomic
def remove_part(part: OrganisationContact | OrganisationService | OrganisationAgreement) -> None:
    part.delete()
