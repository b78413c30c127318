"""State changes of the organisation: one transaction each, validated with full_clean."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from opiskeluhuolto import audit

from .models import (
    CalendarPeriod,
    Guardianship,
    Institution,
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
    by=None,
) -> RoleAssignment:
    assignment = RoleAssignment(
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
    """What of a role assignment decides access: who, which role, which unit, when."""
    return audit.state(
        assignment, "user", "role", "provider", "institution", "campus", "valid_from", "valid_until"
    )


def guardianship_state(link: Guardianship) -> dict:
    return audit.state(link, "student", "guardian")
