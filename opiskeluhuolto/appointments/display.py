"""Helpers that prepare requests and bookings for pages, panels and the API; who can be
booked and their free times are in `free_times`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opiskeluhuolto.access import facts
from opiskeluhuolto.accounts.models import display_name
from opiskeluhuolto.lib import compiled
from opiskeluhuolto.lib.paging import known_page
from opiskeluhuolto.lib.urls import reverse_pk
from opiskeluhuolto.lib.workdays import SchoolCalendar
from opiskeluhuolto.organisation.models import (
    Institution,
)

from .deadlines import DeadlineState, deadline_state
from .models import (
    DEADLINE_SERVICES,
    AppointmentRequest,
    Booking,
    Mode,
)

if TYPE_CHECKING:
    from opiskeluhuolto.access.permissions import Permissions

#: How far ahead students see free times.
LOOKAHEAD_DAYS = 21


class Calendars:
    """One school calendar per institution, loaded once per page.

    With `can`, the calendars are kept between requests under the token of `can`'s
    permission facts, which changes with every write to the calendar tables
    (`access.facts.cached`): for pages that show times and deadlines. What decides a
    deadline or a free time when writing reads the calendar itself.
    """

    def __init__(self, can: Permissions | None = None) -> None:
        self._can = can
        self._cache: dict[int, SchoolCalendar] = {}

    def of(self, institution: Institution) -> SchoolCalendar:
        return self.of_id(institution.pk)

    def of_id(self, institution_id: int) -> SchoolCalendar:
        if institution_id not in self._cache:
            # The calendar is read by the institution's key alone.
            read = Institution(pk=institution_id).school_calendar
            self._cache[institution_id] = (
                read()
                if self._can is None
                else facts.cached(self._can, f"school-calendar:{institution_id}", read)
            )
        return self._cache[institution_id]


#: The column the first page's query counts all rows in (`first_page_or_paginate`).
_TOTAL = "_rows_in_all"


def first_page_or_paginate(queryset, per_page: int, number) -> Page:
    """`Paginator(queryset, per_page).get_page(number)` in one query on the usual visit:
    the first page's rows come with the number of all rows beside each (`COUNT(*) OVER
    ()`, which the database computes before the LIMIT), instead of the rows and a COUNT
    query of their own (two round trips, and the COUNT's ORM compiling cost more than its
    running). Beyond the first page, as Django does. Django's Paginator has no way to take
    the count from the page's own query, hence this."""
    if number not in (None, "", "1"):
        return Paginator(queryset, per_page).get_page(number)
    fetched = list(queryset.annotate(**{_TOTAL: Window(Count("*"))})[:per_page])
    total, rows = _without_total(fetched)
    return known_page(queryset, per_page, 1, rows, total)


def _without_total(fetched: list) -> tuple[int, list]:
    """The number of all rows (`_TOTAL`) and the rows without it, as the queryset gives
    them: dicts (`values`), tuples (`values_list`, the annotation last) or instances."""
    if not fetched:
        return 0, fetched
    first = fetched[0]
    if isinstance(first, dict):
        total = first[_TOTAL]
        for row in fetched:
            del row[_TOTAL]
        return total, fetched
    if isinstance(first, tuple):
        return first[-1], [row[:-1] for row in fetched]
    total = getattr(first, _TOTAL)
    for row in fetched:
        delattr(row, _TOTAL)
    return total, fetched


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
        req.state = _state(req.service, req.institution_id, req.deadline, today, cals)
        req.deadline_html = deadline_html(req.state)
        result.append(req)
    return result


def _state(service, institution_id, deadline, today: date, cals: Calendars) -> DeadlineState:
    if service not in DEADLINE_SERVICES:
        return DeadlineState(None, None, "none")
    return deadline_state(cals.of_id(institution_id), today, deadline)


def deadline_html(state: DeadlineState) -> SafeString:
    """The deadline as pages show it: the date and, in words, how close it is."""
    if state.deadline:
        return format_html(
            '<span class="deadline"><time datetime="{}">{}</time> '
            '<span class="badge {}">{}</span></span>',
            _format(state.deadline, "Y-m-d"),
            _format(state.deadline, "D j.n.Y"),
            state.css,
            state.text,
        )
    if state.flag == "unknown":
        return format_html('<span class="badge badge--danger">{}</span>', state.text)
    return format_html('<span class="muted">{}</span>', _("no legal time limit"))


def _labels(model, field: str) -> dict[str, str]:
    """What `get_<field>_display` shows for each value, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def format_local(moment: datetime, fmt: str) -> str:
    """`moment|date:fmt` in a template: in local time."""
    return _format(timezone.localtime(moment), fmt)


#: The format letters of the lists, as `date_format` prints them (D: the weekday).
_CODES: dict[str, Callable[[date | datetime, tuple[str, ...]], str]] = {
    "D": lambda d, weekdays: weekdays[d.weekday()],
    "j": lambda d, weekdays: str(d.day),
    "n": lambda d, weekdays: str(d.month),
    "d": lambda d, weekdays: f"{d.day:02d}",
    "m": lambda d, weekdays: f"{d.month:02d}",
    "Y": lambda d, weekdays: f"{d.year:04d}",
    "H": lambda d, weekdays: f"{d.hour:02d}",  # type: ignore[union-attr]  # "H" and "i" are only in formats of times
    "i": lambda d, weekdays: f"{d.minute:02d}",  # type: ignore[union-attr]  # "H" and "i" are only in formats of times
}


@lru_cache(maxsize=64)
def _parts(fmt: str) -> tuple[str, ...] | None:
    """`fmt` as format letters and literal text; None if it has other letters."""
    if any((c.isalpha() and c not in _CODES) or c == "\\" for c in fmt):
        return None
    return tuple(fmt)


@lru_cache(maxsize=8)
def _weekdays(language: str | None) -> tuple[str, ...]:
    """The weekdays' abbreviations in the active language; `language` is only the cache's
    key (the lazy names translate into whatever language is active)."""
    return tuple(str(WEEKDAYS_ABBR[day]) for day in range(7))


def _format(value: date | datetime, fmt: str) -> str:
    """`date_format(value, fmt)`, for the few plain formats of these lists without Django's
    general formatter: a page formats dozens of times and took a tenth of its time here."""
    parts = _parts(fmt)
    if parts is None:
        return date_format(value, fmt)
    weekdays = _weekdays(get_language())
    return "".join(_CODES[c](value, weekdays) if c in _CODES else c for c in parts)


@dataclass(frozen=True)
class RequestRow:
    """A request as the lists of the booking pages show it, in plain values."""

    pk: int
    urgent: bool
    student: str  # the full name, or "" when the list does not show it
    student_id: int
    institution_id: int
    service: str
    asked_on: str
    requested_by: str
    channel: str
    status: str
    flag: str
    deadline_html: SafeString
    topic: str = ""
    messages: int = 0

    @property
    def detail_url(self) -> str:
        return reverse_pk("appointments:request_detail", self.pk)

    @property
    def messages_url(self) -> str:
        return reverse_pk("appointments:request_messages", self.pk)

    @property
    def write_url(self) -> str:
        """Writing without reading the thread: open in a weak session (LAW.md L-18-2)."""
        return reverse_pk("appointments:request_write", self.pk)


def request_values(requests: QuerySet[AppointmentRequest], *, names: bool = False) -> QuerySet:
    """Only the columns the lists show, as dicts; `names` adds the student's name."""
    fields = ["pk", "urgent", "service", "requested_at", "requested_by", "channel", "status"]
    fields += ["topic"]
    fields += ["institution_id", "deadline", "student_id"]
    if names:
        fields += ["student__first_name", "student__last_name"]
    # The number of messages only (never their words): the list shows that there are some.
    return requests.values(*fields).annotate(n_messages=Count("messages"))


def request_rows(
    values: Iterable[dict], today: date | None = None, calendars: Calendars | None = None
) -> list[RequestRow]:
    """`request_values` rows with their deadline state, in the active language."""
    today = today or timezone.localdate()
    cals = calendars or Calendars()
    labels = {
        f: _labels(AppointmentRequest, f)
        for f in ("service", "requested_by", "channel", "status", "topic")
    }
    rows = []
    # Many requests share a deadline: each (timed service, institution, date) once.
    states: dict[tuple, tuple[DeadlineState, SafeString]] = {}
    for v in values:
        key = (v["service"] in DEADLINE_SERVICES, v["institution_id"], v["deadline"])
        if key not in states:
            state = _state(v["service"], v["institution_id"], v["deadline"], today, cals)
            states[key] = (state, deadline_html(state))
        state, html = states[key]
        name = (
            f"{v['student__first_name']} {v['student__last_name']}"
            if "student__first_name" in v
            else ""
        )
        rows.append(
            RequestRow(
                pk=v["pk"],
                urgent=v["urgent"],
                student=name,
                student_id=v["student_id"],
                institution_id=v["institution_id"],
                service=labels["service"].get(v["service"], v["service"]),
                asked_on=format_local(v["requested_at"], "j.n.Y"),
                requested_by=labels["requested_by"].get(v["requested_by"], v["requested_by"]),
                channel=labels["channel"].get(v["channel"], v["channel"]),
                status=labels["status"].get(v["status"], v["status"]),
                flag=state.flag,
                deadline_html=html,
                topic=labels["topic"].get(v.get("topic", ""), ""),
                messages=v.get("n_messages", 0),
            )
        )
    return rows


@dataclass(frozen=True)
class BookingRow:
    """A booking as the lists of the booking pages show it, in plain values."""

    pk: int
    starts_at: datetime
    time: str  # e.g. "ti 24.11. 09.00–09.45", in the list's format
    student_id: int
    institution_id: int
    student: str
    student_first_name: str
    request_id: int | None
    professional: str
    service: str
    where: str  # the place, or how the meeting is held
    mode: str = ""
    link: str = ""  # the link of a remote meeting

    @property
    def messages_url(self) -> str:
        return (
            reverse_pk("appointments:request_messages", self.request_id) if self.request_id else ""
        )

    @property
    def write_url(self) -> str:
        return reverse_pk("appointments:request_write", self.request_id) if self.request_id else ""

    @property
    def meeting_url(self) -> str:
        return reverse_pk("appointments:booking_meeting", self.pk)

    @property
    def ics_url(self) -> str:
        return reverse_pk("appointments:booking_ics", self.pk)

    @property
    def rebook_url(self) -> str:
        return reverse_pk("appointments:rebook", self.pk)

    @property
    def cancel_url(self) -> str:
        return reverse_pk("appointments:cancel", self.pk)

    @property
    def held_url(self) -> str:
        return reverse_pk("appointments:booking_held", self.pk)

    @property
    def request_url(self) -> str:
        return reverse_pk("appointments:request_detail", self.request_id) if self.request_id else ""


#: The columns the booking lists show, in the order `_booking_rows` reads them.
BOOKING_COLUMNS = (
    "pk",
    "starts_at",
    "ends_at",
    "service",
    "mode",
    "place",
    "meeting_link",
    "request_id",
    "student__first_name",
    "student__last_name",
    "professional__first_name",
    "professional__last_name",
    "professional__username",
    "student_id",
    "institution_id",
)


def booking_rows(bookings: QuerySet[Booking], start_format: str) -> list[BookingRow]:
    """The bookings in one query of the columns the lists show; the start as `start_format`."""
    return _booking_rows(bookings.values_list(*BOOKING_COLUMNS), start_format)


def booking_page(bookings: QuerySet[Booking], per_page: int, number, start_format: str) -> Page:
    """One page of `bookings` (ordered) as `booking_rows`: only that page's rows are read,
    so a list as long as an institution's coming bookings costs what one page does."""
    page = first_page_or_paginate(bookings.values_list(*BOOKING_COLUMNS), per_page, number)
    page.object_list = _booking_rows(page.object_list, start_format)
    return page


def _own_bookings(student_id: int, now: datetime) -> QuerySet:
    """A student's coming active bookings: `bookings_visible_to` of a student who is no
    guardian and no professional (`access.appointments.own_student_only`), as the
    student's bookings page lists them."""
    own = Booking.objects.filter(student_id=student_id)
    return own.filter(status=Booking.Status.ACTIVE, ends_at__gte=now).values_list(*BOOKING_COLUMNS)


def _own_requests(student_id: int) -> QuerySet:
    """A student's open requests, as `requests_visible_to(...).unresolved()` of such a
    student, in `request_values`' columns and deadline order."""
    own = AppointmentRequest.objects.filter(student_id=student_id)
    return request_values(own.unresolved().by_deadline())


def own_booking_rows(student_id: int, now: datetime, start_format: str) -> list[BookingRow]:
    """`booking_rows(_own_bookings(...))` with the query compiled once (`compiled.rows`)."""
    values = compiled.rows("own-bookings", Booking, _own_bookings, student_id, now)
    return _booking_rows(values, start_format)


def own_request_values(student_id: int) -> list[dict]:
    """`list(_own_requests(student_id))`, the query compiled once."""
    return compiled.rows("own-requests", AppointmentRequest, _own_requests, student_id)


def _booking_rows(values: Iterable[tuple], start_format: str) -> list[BookingRow]:
    services, modes = _labels(Booking, "service"), _labels(Booking, "mode")
    rows = []
    for (
        pk,
        starts_at,
        ends_at,
        service,
        mode,
        place,
        link,
        request_id,
        first_name,
        last_name,
        pro_first_name,
        pro_last_name,
        pro_username,
        student_id,
        institution_id,
    ) in values:
        how = modes.get(mode, mode)
        rows.append(
            BookingRow(
                pk=pk,
                starts_at=starts_at,
                time=f"{format_local(starts_at, start_format)}–{format_local(ends_at, 'H.i')}",
                student_id=student_id,
                institution_id=institution_id,
                student=f"{first_name} {last_name}",
                student_first_name=first_name,
                request_id=request_id,
                professional=display_name(pro_first_name, pro_last_name, pro_username),
                service=services.get(service, service),
                where=how if mode != Mode.ON_SITE or not place else place,
                mode=mode,
                link=link if mode == Mode.REMOTE else "",
            )
        )
    return rows


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
