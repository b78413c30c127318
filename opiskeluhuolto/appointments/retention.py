"""Appointment requests and bookings in the provider's retention (LAW.md L-RET-5, L-906-7).

Registered with `records.retention` (which never imports this app). A request is counted
from the day it came in or from the day it was resolved (closed, or its last discussion
held); one that is still open past the period is listed as unhandled, never destroyed.
Bookings made without a request go with the same class, counted from their end. The
messages about a request are destroyed with it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Max, Q

from opiskeluhuolto.records.models import RetentionClass
from opiskeluhuolto.records.retention import register

from .models import AppointmentEvent, AppointmentRequest, Booking, RequestMessage

TYPE = RetentionClass.DocumentType.APPOINTMENT_REQUEST.value
RESOLVED = (AppointmentRequest.Status.HELD, AppointmentRequest.Status.CLOSED)


def _due(provider_id: int, rule: RetentionClass, cutoff: date):
    requests = AppointmentRequest.objects.filter(institution__provider_id=provider_id)
    if rule.start_event == RetentionClass.StartEvent.RECEIVED:
        old = requests.filter(request_day__lte=cutoff)
    elif rule.start_event == RetentionClass.StartEvent.RESOLVED:
        old = requests.annotate(last=Max("bookings__ends_at")).filter(
            Q(status=AppointmentRequest.Status.CLOSED, closed_at__date__lte=cutoff)
            | Q(status=AppointmentRequest.Status.HELD, last__date__lte=cutoff)
            | (~Q(status__in=RESOLVED) & Q(request_day__lte=cutoff))
        )
    else:
        return [], [], []
    destroy: list[dict] = []
    unhandled: list[dict] = []
    for pk, student_id, day, status in old.values_list("pk", "student_id", "request_day", "status"):
        item = {"type": TYPE, "request": pk, "student": student_id, "received_on": day.isoformat()}
        (destroy if status in RESOLVED else unhandled).append(item)
    loose = Booking.objects.filter(
        institution__provider_id=provider_id, request__isnull=True, ends_at__date__lte=cutoff
    ).exclude(status=Booking.Status.ACTIVE)
    destroy += [
        {"type": TYPE, "booking": pk, "student": student_id}
        for pk, student_id in loose.values_list("pk", "student_id")
    ]
    return destroy, [], unhandled


def _destroy(items: list[dict]) -> None:
    request_ids = [i["request"] for i in items if "request" in i]
    # Only resolved requests, checked again: one reopened meanwhile is kept.
    request_ids = list(
        AppointmentRequest.objects.filter(pk__in=request_ids, status__in=RESOLVED).values_list(
            "pk", flat=True
        )
    )
    booking_ids = list(
        Booking.objects.filter(
            Q(request_id__in=request_ids)
            | Q(pk__in=[i["booking"] for i in items if "booking" in i])
        ).values_list("pk", flat=True)
    )
    AppointmentEvent.objects.filter(
        Q(request_id__in=request_ids) | Q(booking_id__in=booking_ids)
    ).delete()
    Booking.objects.filter(pk__in=booking_ids).delete()
    # The messages are the request's confidential words: they go with it.
    RequestMessage.objects.filter(request_id__in=request_ids).delete()
    AppointmentRequest.objects.filter(pk__in=request_ids).delete()


register(TYPE, _due, _destroy)
