"""Who can be booked at an institution and their next free times, for the booking pages,
the panels and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.db import connection
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from opiskeluhuolto.accounts.models import display_name
from opiskeluhuolto.organisation.models import (
    WELFARE_PROFESSIONAL_ROLES,
    Institution,
    Role,
    RoleAssignment,
)

from .display import LOOKAHEAD_DAYS, Calendars, format_local
from .models import (
    DEADLINE_SERVICES,
    Availability,
    ContactChannel,
    Mode,
)
from .slots import Slot, cached_free_slots_of

if TYPE_CHECKING:
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation.models import Campus


@dataclass
class StaffMember:
    user: User
    role: str
    role_label: str
    campus: Campus | None
    walk_in: list[Availability]
    hours: list[Availability]
    contact: ContactChannel | None
    #: Who employs them: the wellbeing county, say, or the provider itself (issue 20).
    employer: str = ""

    @property
    def walk_in_summary(self) -> list[str]:
        return hours_summary(self.walk_in)


def _staff_assignments(institution: Institution, today: date):
    """The welfare staff's role assignments at the institution, in the order the pages list
    them; a person's first one counts (see `_first_per_person`)."""
    return (
        RoleAssignment.objects.valid_on(today)
        .at_institution(institution)
        .welfare_staff()
        .order_by("role", "user__last_name", "user__first_name")
    )


def _first_per_person(rows, user_id=lambda row: row.user_id):
    """Each person's first row only: a person with several assignments is listed once."""
    seen = set()
    for row in rows:
        if user_id(row) not in seen:
            seen.add(user_id(row))
            yield row


def welfare_staff(institution: Institution, today: date | None = None) -> list[StaffMember]:
    """The institution's welfare staff with their hours, walk-in hours and phone (L-11-1, L-17)."""
    today = today or timezone.localdate()
    assignments = _staff_assignments(institution, today).select_related(
        "user", "campus", "provider", "employer"
    )
    hours = list(
        Availability.objects.filter(institution=institution, valid_from__lte=today)
        .exclude(valid_until__lt=today)
        .order_by("weekday", "starts_at")
    )
    contacts = {
        c.professional_id: c for c in ContactChannel.objects.filter(institution=institution)
    }
    staff = []
    for a in _first_per_person(assignments):
        mine = [h for h in hours if h.professional_id == a.user_id]
        staff.append(
            StaffMember(
                user=a.user,
                role=a.role,
                role_label=a.get_role_display(),
                campus=a.campus,
                walk_in=[h for h in mine if h.kind == Availability.Kind.WALK_IN],
                hours=[h for h in mine if h.kind == Availability.Kind.BOOKABLE],
                contact=contacts.get(a.user_id),
                employer=a.employer_name,
            )
        )
    return staff


@dataclass(frozen=True)
class Bookable:
    """A professional whose free times a student may book, as plain values for the page."""

    user_id: int
    name: str
    role: str
    role_label: str


#: `bookable_staff`'s query: `_staff_assignments` with bookable hours valid on the day
#: (`Availability.objects.filter(kind=BOOKABLE, valid_from__lte=day).exclude(
#: valid_until__lt=day)`), in plain SQL because the booking page asks it on every visit and
#: building it with the ORM cost ten times as much CPU as running it (1.9 ms of 0.2 ms).
#: A test compares it with `welfare_staff`, which the ORM reads, in every case it tells apart.
_WELFARE_ROLES = tuple(sorted(WELFARE_PROFESSIONAL_ROLES))


_BOOKABLE_STAFF_SQL = f"""
SELECT ra.user_id, ra.role, ra.campus_id, u.first_name, u.last_name, u.username
FROM organisation_roleassignment ra
JOIN accounts_user u ON u.id = ra.user_id
WHERE ra.valid_from <= %s AND (ra.valid_until IS NULL OR ra.valid_until >= %s)
  AND (ra.institution_id = %s OR (ra.institution_id IS NULL AND ra.provider_id = %s))
  AND ra.role IN ({", ".join(["%s"] * len(_WELFARE_ROLES))})
  AND EXISTS (
    SELECT 1 FROM appointments_availability a
    WHERE a.institution_id = %s AND a.professional_id = ra.user_id AND a.kind = %s
      AND a.valid_from <= %s AND (a.valid_until IS NULL OR a.valid_until >= %s)
  )
ORDER BY ra.role, u.last_name, u.first_name
"""  # noqa: S608 -- only placeholders are put in


def bookable_staff(
    institution: Institution, today: date, campus_id: int | None = None
) -> list[Bookable]:
    """The members of `welfare_staff` who publish bookable hours, in the same order, in one
    query. With `campus_id`, staff of other campuses are left out (institution-wide staff
    stay); like `welfare_staff`, a person's first assignment in that order counts."""
    params: list[Any] = [today, today, institution.pk, institution.provider_id, *_WELFARE_ROLES]
    params += [institution.pk, Availability.Kind.BOOKABLE.value, today, today]
    with connection.cursor() as cursor:
        cursor.execute(_BOOKABLE_STAFF_SQL, params)
        rows = cursor.fetchall()
    labels = dict(Role.choices)
    staff = []
    for user_id, role, campus, first_name, last_name, username in _first_per_person(
        rows, lambda row: row[0]
    ):
        if campus_id and campus is not None and campus != campus_id:
            continue
        name = display_name(first_name, last_name, username)
        staff.append(Bookable(user_id, name, role, str(labels.get(role, role))))
    return staff


def next_free_times(
    institution: Institution,
    *,
    per_professional: int = 3,
    days: int = LOOKAHEAD_DAYS,
    campus_id: int | None = None,
    calendars: Calendars | None = None,
) -> list[tuple[Bookable, list[Slot]]]:
    """The next free times of each professional who publishes bookable hours.

    With `campus_id`, staff of other campuses are left out (institution-wide staff stay).
    """
    today = timezone.localdate()
    members = bookable_staff(institution, today, campus_id)
    if not members:
        return []
    free = cached_free_slots_of(
        [m.user_id for m in members],
        institution.pk,
        (calendars or Calendars()).of(institution),
        today,
        today + timedelta(days=days),
    )
    return [
        (m, free[m.user_id][:per_professional] if per_professional else free[m.user_id])
        for m in members
    ]


@dataclass(frozen=True)
class FreeTimeButton:
    """A free time as its button shows it."""

    query: str  # the booking link's p=<professional id>&t=<ISO start>: no personal data
    label: str  # the start, e.g. "ti 24.11. 09.00"
    remote: bool


def free_time_buttons(
    free: list[tuple[Bookable, list[Slot]]],
) -> list[tuple[Bookable, list[FreeTimeButton]]]:
    """`next_free_times` as the buttons of `_free_times.html`, in the active language."""
    return [
        (
            member,
            [
                FreeTimeButton(
                    query=f"p={s.professional_id}&t={quote(s.starts_at.isoformat(), safe='/')}",
                    label=format_local(s.starts_at, "D j.n. H.i"),
                    remote=s.mode == Mode.REMOTE,
                )
                for s in slots
            ],
        )
        for member, slots in free
    ]


def legal_services() -> frozenset[str]:
    return DEADLINE_SERVICES


def hours_summary(hours: Iterable[Availability]) -> list[str]:
    """Weekly hours in short form: consecutive weekdays with the same time and place merge,
    e.g. "ma–pe 8.00–10.00 (A110)"."""
    groups: list[tuple[list[int], tuple]] = []
    for h in sorted(hours, key=lambda h: (h.starts_at, h.ends_at, h.place, h.weekday)):
        key = (h.starts_at, h.ends_at, h.place)
        if groups and groups[-1][1] == key and groups[-1][0][-1] == h.weekday - 1:
            groups[-1][0].append(h.weekday)
        else:
            groups.append(([h.weekday], key))
    lines = []
    for days, (start, end, place) in sorted(groups, key=lambda g: (g[0][0], g[1][0])):
        first, last = str(WEEKDAYS_ABBR[days[0]]), str(WEEKDAYS_ABBR[days[-1]])
        span = first if len(days) == 1 else f"{first}–{last}"
        text = f"{span} {start.hour}.{start.minute:02d}–{end.hour}.{end.minute:02d}"
        lines.append(f"{text} ({place})" if place else text)
    return lines
