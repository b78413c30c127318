"""Messages about a request (the student's or guardian's page, the staff's answer) and
how a booked meeting is held (the professional's form). Thin: `access` fetches and
checks, `conversation` changes state, `reads` logs every showing of the messages.

The thread holds the professional's replies: confidential content, which a student or
guardian reads only in a strongly identified session (LAW.md L-306-4). Writing does not
need it (asking for help stays open, L-18-2): `request_write` shows the request's state
and time and takes a message without showing the thread."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from opiskeluhuolto.access import appointments as access
from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access.identification import (
    is_strongly_identified,
    require_strong_identification,
)

from . import conversation, display
from .forms import MeetingForm, MessageForm
from .models import AppointmentRequest, Booking
from .reads import log_shown
from .staff_views import request_page


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


@policies.authenticated
@require_http_methods(["GET", "POST"])
def request_messages(request, pk):
    """The student's or guardian's page of one request: its state, the time given and how
    the meeting is held, and the messages with the staff. A professional's message is
    posted here too and goes back to the request page.

    The thread is confidential: a student or guardian needs a strongly identified session
    (the step-up page otherwise, L-306-4); `request_write` takes a message without it."""
    req = access.get_appointment_request(request.user, pk, need="message")
    can = for_user(request.user)
    staff = can.manage_appointment_request(req)
    if not staff:
        require_strong_identification(request)
    form = MessageForm(request.POST or None, staff=staff)
    if _posted(request, req, form, staff=staff):
        messages.success(request, _("The message was sent."))
        if staff:
            return redirect("appointments:request_detail", pk=req.pk)
        return redirect("appointments:request_messages", pk=req.pk)
    if staff and request.method == "GET":
        return redirect("appointments:request_detail", pk=req.pk)
    if staff:
        # The professional's page shows the form with its error next to the field.
        return request_page(request, req, message=form)
    bookings = _bookings(request, req)
    thread = list(req.messages.select_related("author"))
    log_shown(request, requests=[req], bookings=bookings, purpose="request messages")
    context = {
        "req": display.with_states([req])[0],
        "bookings": bookings,
        "thread": thread,
        "form": form,
        "open": req.status in conversation.OPEN_STATES,
        "staff": staff,
    }
    status = 400 if form.errors else 200
    return render(request, "appointments/request_messages.html", context, status=status)


def _posted(request, req, form, *, staff: bool) -> bool:
    """Post the form's message if it is valid; a refusal goes next to the field."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        conversation.post_message(
            req, author=request.user, body=form.cleaned_data["body"], from_staff=staff
        )
    except ValidationError as e:
        _add_errors(form, e)
        return False
    return True


def _bookings(request, req) -> list[Booking]:
    return list(
        access.bookings_visible_to(request.user)
        .filter(request=req, status=Booking.Status.ACTIVE)
        .select_related("professional")
    )


@policies.student_or_guardian
@require_http_methods(["GET", "POST"])
def request_write(request, pk):
    """A student or guardian writes about a request in any session (LAW.md L-18-2): the
    page shows the request's state and the time given, never the thread, and says that
    reading the replies needs strong identification (L-306-4)."""
    req = access.get_appointment_request(request.user, pk, need="message")
    if for_user(request.user).manage_appointment_request(req):
        raise Http404  # the staff write on the request's own page
    strong = is_strongly_identified(request)
    form = MessageForm(request.POST or None, staff=False)
    if _posted(request, req, form, staff=False):
        if strong:
            messages.success(request, _("The message was sent."))
            return redirect("appointments:request_messages", pk=req.pk)
        messages.success(
            request,
            _("The message was sent. Reading the replies needs strong identification."),
        )
        return redirect("appointments:request_write", pk=req.pk)
    bookings = _bookings(request, req)
    log_shown(request, requests=[req], bookings=bookings, purpose="request: writing")
    context = {
        "req": display.with_states([req])[0],
        "bookings": bookings,
        "form": form,
        "open": req.status in conversation.OPEN_STATES,
        "strong": strong,
    }
    status = 400 if form.errors else 200
    return render(request, "appointments/request_write.html", context, status=status)


@policies.welfare_professional
@require_http_methods(["GET", "POST"])
def booking_meeting(request, pk):
    """Say how a booked meeting is held: in person (where), by phone, or remote (link)."""
    booking = access.get_booking(request.user, pk, need="meeting")
    initial = {"mode": booking.mode, "place": booking.place, "meeting_link": booking.meeting_link}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and booking.status == Booking.Status.ACTIVE:
        try:
            conversation.set_meeting(
                booking,
                mode=form.cleaned_data["mode"],
                link=form.cleaned_data["meeting_link"],
                place=form.cleaned_data["place"],
                actor=request.user,
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("Saved. The student was told how you will meet."))
            if booking.request_id:
                return redirect("appointments:request_detail", pk=booking.request_id)
            return redirect("appointments:work")
    elif request.method == "POST" and booking.status != Booking.Status.ACTIVE:
        form.add_error(None, _("The booking is no longer active."))
    log_shown(request, bookings=[booking], purpose="how to meet")
    req: AppointmentRequest | None = booking.request
    context = {"booking": booking, "form": form, "req": req}
    status = 400 if form.errors else 200
    return render(request, "appointments/booking_meeting.html", context, status=status)
