"""Who an announcement reaches: the audience resolved to user accounts, on a given day.

Students: active students of the unit (provider / institution / campus / group / starting
year) who have an account. Guardians: the guardians of those students who are minors on
the day (a guardian's rights end when the student turns 18). Staff: active role
assignments in the unit. A welfare group: its members. Newsletters skip those who
unsubscribed from the provider's newsletters; announcements do not (they may be required).
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from opiskeluhuolto.organisation.models import (
    Guardianship,
    RoleAssignment,
    Student,
    StudentQuerySet,
)

from .models import Announcement, Unsubscription

_GROUP_YEAR = re.compile(r"(\d{2})")


def starting_year_q(year: int, prefix: str = "group__name") -> Q:
    """Students whose group name carries the two-digit starting year ("24A", "TVT24").

    The roster has no start date of the study right (imports record interruptions and
    resignations only), so the groups' naming convention, used by every seed school, is
    the starting year here.
    """
    yy = f"{year % 100:02d}"
    return Q(**{f"{prefix}__startswith": yy}) | Q(**{f"{prefix}__endswith": yy})


def students_in_scope(a: Announcement) -> StudentQuerySet:
    students = Student.objects.active().filter(institution__provider_id=a.provider_id)
    if a.institution_id:
        students = students.filter(institution_id=a.institution_id)
    if a.campus_id:
        students = students.filter(campus_id=a.campus_id)
    if a.student_group_id:
        students = students.filter(group_id=a.student_group_id)
    if a.starting_year:
        students = students.filter(starting_year_q(a.starting_year))
    return students


def recipients(a: Announcement, today: date) -> QuerySet:
    User = get_user_model()
    if a.audience == Announcement.Audience.STUDENTS:
        users = User.objects.filter(
            pk__in=students_in_scope(a).filter(user__isnull=False).values("user_id")
        )
    elif a.audience == Announcement.Audience.GUARDIANS:
        minors = students_in_scope(a).minors(today)
        users = User.objects.filter(
            pk__in=Guardianship.objects.filter(student__in=minors).values("guardian_id")
        )
    elif a.audience == Announcement.Audience.STAFF:
        roles = RoleAssignment.objects.valid_on(today).filter(provider_id=a.provider_id)
        if a.institution_id:
            roles = roles.filter(Q(institution_id=a.institution_id) | Q(institution__isnull=True))
        if a.campus_id:
            roles = roles.filter(Q(campus_id=a.campus_id) | Q(campus__isnull=True))
        users = User.objects.filter(pk__in=roles.values("user_id"))
    else:
        from opiskeluhuolto.meetings.models import Membership

        members = Membership.objects.filter(group=a.welfare_group)
        users = User.objects.filter(pk__in=members.values("user_id"))
    users = users.filter(is_active=True)
    if a.kind == Announcement.Kind.NEWSLETTER:
        users = users.exclude(
            pk__in=Unsubscription.objects.filter(provider_id=a.provider_id).values("user_id")
        )
    return users


def describe(a: Announcement) -> str:
    """The audience in words, for the preview and the archive."""
    unit = a.student_group or a.campus or a.institution or a.provider
    parts = [str(a.get_audience_display()), str(unit)]
    if a.starting_year:
        parts.append(str(a.starting_year))
    if a.welfare_group_id:
        parts = [str(a.welfare_group)]
    return " · ".join(parts)


def reader_audience_q(user, today: date) -> Q:
    """Archive visibility for a student or guardian: announcements whose audience they are in.

    Used by the archive and the home panel list; kept simple: sent announcements that
    have a delivery for the person.
    """
    return Q(deliveries__user=user)
