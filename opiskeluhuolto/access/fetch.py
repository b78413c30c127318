"""Fetch-and-check in one call: the object, or Http404 for missing and forbidden alike.

Views never call `Model.objects.get()` on a protected model; they call these.
"""

from __future__ import annotations

from django.http import Http404

from opiskeluhuolto.organisation.models import (
    CalendarPeriod,
    Institution,
    SchoolYear,
    Student,
    StudentGroup,
)

from .permissions import for_user


def _get(model, pk, **related):
    try:
        return model.objects.select_related(*related.get("select", ())).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_institution(user, pk, *, need: str = "view") -> Institution:
    institution = _get(Institution, pk, select=("provider",))
    can = for_user(user)
    allowed = {
        "view": can.view_institution,
        "manage_calendar": can.manage_calendar,
    }[need](institution)
    if not allowed:
        raise Http404
    return institution


def get_school_year(user, pk, *, need: str = "manage_calendar") -> SchoolYear:
    year = _get(SchoolYear, pk, select=("institution", "institution__provider"))
    if need != "manage_calendar" or not for_user(user).manage_calendar(year.institution):
        raise Http404
    return year


def get_student(user, pk, *, need: str = "view") -> Student:
    student = _get(Student, pk, select=("institution", "group", "campus"))
    can = for_user(user)
    allowed = {"view": can.view_student}[need](student)
    if not allowed:
        raise Http404
    return student


def get_group(user, pk) -> StudentGroup:
    group = _get(StudentGroup, pk, select=("institution",))
    if not for_user(user).view_group(group):
        raise Http404
    return group


def get_calendar_period(user, pk) -> CalendarPeriod:
    period = _get(CalendarPeriod, pk, select=("school_year__institution__provider",))
    if not for_user(user).manage_calendar(period.school_year.institution):
        raise Http404
    return period
