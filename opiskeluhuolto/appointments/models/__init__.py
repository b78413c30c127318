"""Appointments with welfare staff within the legal time limits (LAW.md §1.1–1.3).

A package by responsibility: `hours` (the professional's weekly hours, exceptions,
contact channel, calendar feed, group work), `requests` (requests with their legal
deadline) and `bookings` (booked times and the event trail). State changes go through
`actions.py`; double booking is refused by the database.

The names are re-exported here because Django finds an app's models, and the rest of
the project imports them, as `appointments.models`.
"""

from .bookings import AppointmentEvent, Booking, BookingQuerySet
from .hours import (
    DEADLINE_SERVICES,
    SERVICE_ROLES,
    Availability,
    AvailabilityException,
    CalendarFeed,
    ContactChannel,
    FreeTimesVersion,
    GroupWork,
    Mode,
    Service,
    new_feed_token,
)
from .requests import AppointmentRequest, AppointmentRequestQuerySet, RequestMessage

__all__ = [
    "DEADLINE_SERVICES",
    "SERVICE_ROLES",
    "AppointmentEvent",
    "AppointmentRequest",
    "AppointmentRequestQuerySet",
    "Availability",
    "AvailabilityException",
    "Booking",
    "BookingQuerySet",
    "CalendarFeed",
    "ContactChannel",
    "FreeTimesVersion",
    "GroupWork",
    "Mode",
    "RequestMessage",
    "Service",
    "new_feed_token",
]
