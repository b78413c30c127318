"""Who an announcement reaches: the audience resolved to user accounts, on a given day.

Students: active students of the unit (provider / institution / campus / group / starting
year) who have an account. Guardians: the guardians of those students who are minors on
the day (a guardian's rights end when the student turns 18). Staff: active role
assignments in the unit (external group members are not staff). A welfare group: its members. Newsletters skip those who
unsubscribed from the provider's newsletters; announcements do not (they may be required).
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from opiskeluhuolto.access import audiences

from .models import Announcement, Unsubscription


def recipients(a: Announcement, today: date) -> QuerySet:
    """The accounts the announcement reaches (`access.audiences`, the one audience rule)."""
    users = audiences.members(audiences.of_announcement(a), today)
    if a.kind == Announcement.Kind.NEWSLETTER:
        users = users.exclude(
            pk__in=Unsubscription.objects.filter(provider_id=a.provider_id).values("user_id")
        )
    return users


def describe(a: Announcement) -> str:
    """The audience in words, for the preview and the archive."""
    several = ", ".join(str(c) for c in a.campuses.all()) if a.pk and not a.campus_id else ""
    unit = a.student_group or a.campus or several or a.institution or a.provider
    parts = [str(a.get_audience_display()), str(unit)]
    if a.starting_year:
        parts.append(str(a.starting_year))
    if a.welfare_group_id:
        parts = [str(a.welfare_group)]
    return " · ".join(parts)
