"""Helpers that prepare requests, bookings and free times for pages, panels and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef
from django.utils import timezone

from opiskeluhuolto.accounts.models import display_name
from opiskeluhuolto.lib.workdays import SchoolCalendar
from opiskeluhuolto.organisation.models import Institution, Role, RoleAssignment

from .deadlines import DeadlineState, deadline_state
from .models import DEADLINE_SERVICES, AppointmentRequest, Availability, ContactChannel
from .slots import Slot, cached_free_slots_of

#: How far ahead students see free times.
LOOKAHEAD_DAYS = 21


class Calendars:
    """One school calendar per institution, loaded once per page."""

    def __init__(self) -> None:
        self._cache: dict[int, SchoolCalendar] = {}

    def of(self, institution: Institution) -> SchoolCalendar:
        if institution.pk not in self._cache:
            self._cache[institution.pk] = institution.school_calendar()
        return self._cache[institution.pk]


def first_page_or_paginate(queryset, per_page: int, number) -> Page:
    """`Paginator(queryset, per_page).get_page(number)` with one query fewer on the usual
    visit: the first page is fetched with one row more, and when the rest fits on it, no
    COUNT is needed. Beyond the first page, or when there are more rows, as Django does."""
    if number not in (None, "", "1"):
        return Paginator(queryset, per_page).get_page(number)
    rows = list(queryset[: per_page + 1])
    if len(rows) <= per_page:
        return Paginator(rows, per_page).get_page(1)
    page = Paginator(queryset, per_page).get_page(1)  # counts; its rows are not fetched
    page.object_list = rows[:per_page]
    return page


def with_states(
    requests: Iterable[AppointmentRequest],
    today: date | None = None,
    calendars: Calendars | None = None,
) -> list[AppointmentRequest]:
    """Attach `.state` (DeadlineState) to each request, for "date + in N working days"."""
    today = today or timezone.localdate()
    cals = calendars or Calendars()
    result = []
    for req in requests:
        if req.has_legal_deadline:
            req.state = deadline_state(cals.of(req.institution), today, req.deadline)
        else:
            req.state = DeadlineState(None, None, "none")
        result.append(req)
    return result


@dataclass
class StaffMember:
    user: object
    role: str
    role_label: str
    campus: object
    walk_in: list[Availability]
    hours: list[Availability]
    contact: ContactChannel | None

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
    assignments = _staff_assignments(institution, today).select_related("user", "campus")
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


def bookable_staff(
    institution: Institution, today: date, campus_id: int | None = None
) -> list[Bookable]:
    """The members of `welfare_staff` who publish bookable hours, in the same order, in one
    query. With `campus_id`, staff of other campuses are left out (institution-wide staff
    stay); like `welfare_staff`, a person's first assignment in that order counts."""
    bookable = (
        Availability.objects.filter(
            institution=institution,
            professional=OuterRef("user_id"),
            kind=Availability.Kind.BOOKABLE,
            valid_from__lte=today,
        )
        .exclude(valid_until__lt=today)
        .values("pk")
    )
    rows = (
        _staff_assignments(institution, today)
        .filter(Exists(bookable))
        .values_list(
            "user_id", "role", "campus_id", "user__first_name", "user__last_name", "user__username"
        )
    )
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


def legal_services() -> frozenset[str]:
    return DEADLINE_SERVICES


def hours_summary(hours: Iterable[Availability]) -> list[str]:
    """Weekly hours in short form: consecutive weekdays with the same time and place merge,
    e.g. "ma–pe 8.00–10.00 (A110)"."""
    from django.utils.dates import WEEKDAYS_ABBR

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


def student_choices(students, query: str, selected=None, *, limit: int) -> list[tuple]:
    """Choices for a student select over a large scope: the students whose names or
    learner id match every word of the search (at most `limit`), and the one chosen."""
    from django.db.models import Q

    matches = students.none()
    words = query.split()
    if words:
        match = Q()
        for word in words:
            match &= (
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(oppijanumero=word)
            )
        matches = students.filter(match)
    ids = list(matches.values_list("pk", flat=True)[:limit])
    if selected and str(selected).isdigit():
        ids.append(int(selected))
    return [(s.pk, str(s)) for s in students.filter(pk__in=ids)]
