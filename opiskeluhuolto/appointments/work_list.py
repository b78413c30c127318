"""The first pages of the staff work list's two lists, their queries compiled once per
shape of the person's access scope (`compiled.filtered`).

Each view of the work list built both lists' querysets from the access scope (the
professional's own rows, or their service's at each unit they reach) and compiled them:
≈ 1 ms of CPU each, about as much as running them (bench/README.md, "The student's
bookings page's CPU"). The scope's filter is the same for every view of one person (and
for everyone with the same kind of grants), so it is compiled once and run with the keys;
later pages go through `first_page_or_paginate` as before.
"""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet, Window

from opiskeluhuolto.lib import compiled
from opiskeluhuolto.lib.paging import known_page

from .display import _TOTAL, BOOKING_COLUMNS, _booking_rows, _without_total, request_values
from .models import AppointmentRequest, AppointmentRequestQuerySet, Booking, BookingQuerySet


def _first_requests(scope: AppointmentRequestQuerySet) -> QuerySet:
    """The open requests by deadline, each with the number of all (the work list's
    `first_page_or_paginate` of `request_values(..., names=True)`)."""
    requests = request_values(scope.unresolved().by_deadline(), names=True)
    return requests.annotate(**{_TOTAL: Window(Count("*"))})


def _first_bookings(scope: BookingQuerySet, start: datetime, end: datetime) -> QuerySet:
    """The active bookings from `start` to `end` in time order, with the number of all."""
    bookings = scope.active().filter(starts_at__gte=start, starts_at__lt=end)
    rows = bookings.order_by("starts_at", "pk").values_list(*BOOKING_COLUMNS)
    return rows.annotate(**{_TOTAL: Window(Count("*"))})


def _page(fetched: list, per_page: int) -> Page:
    """Page 1 of all the rows the first page's `_TOTAL` counts, as `first_page_or_paginate`
    gives it (only the count is known of the others)."""
    total, rows = _without_total(fetched)
    return known_page(rows, per_page, 1, rows, total)


def first_request_page(scope: Q | None, per_page: int) -> Page:
    """The first page of the open requests `scope` (`access.appointments.requests_q`) lets
    the person see, as dicts of `request_values(names=True)`."""
    if scope is None:  # nothing visible
        return _page([], per_page)
    try:
        fetched = compiled.filtered(
            "work-requests", AppointmentRequest, scope, _first_requests, limit=per_page
        )
    except compiled.NotCompilable:  # a scope with an Exists, say: through the ORM
        fetched = list(_first_requests(AppointmentRequest.objects.filter(scope))[:per_page])
    return _page(fetched, per_page)


def first_booking_page(
    scope: Q | None, start: datetime, end: datetime, per_page: int, start_format: str
) -> Page:
    """The first page of the bookings `scope` (`access.appointments.bookings_q`) lets the
    person see from `start` to `end`, as `display.booking_page` gives it."""
    if scope is None:
        return _page([], per_page)
    try:
        fetched = compiled.filtered(
            "work-bookings", Booking, scope, _first_bookings, start, end, limit=per_page
        )
    except compiled.NotCompilable:
        fetched = list(_first_bookings(Booking.objects.filter(scope), start, end)[:per_page])
    page = _page(fetched, per_page)
    page.object_list = _booking_rows(page.object_list, start_format)
    return page
