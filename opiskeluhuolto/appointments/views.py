"""Student, guardian and public pages of appointments, the booking operations and the feeds.

Views are thin: `access` fetches and checks, `actions` change state. Staff
pages are in staff_views.py, the compliance report in report_views.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import appointments as access
from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access.identification import is_strongly_identified
from opiskeluhuolto.front.registry import public_sections_for
from opiskeluhuolto.organisation.models import Institution, Student
from opiskeluhuolto.records.models import AccessLogEntry

from . import actions, conversation, display, free_times, ical, rows_html
from .forms import SlotChoiceForm, StudentRequestForm
from .models import AppointmentRequest, Booking, CalendarFeed
from .reads import log_shown
from .slots import find_slot, free_slots


@policies.student_or_guardian
@require_GET
def index(request):
    """My appointments: free times, my bookings and my requests (student), or a guardian's own."""
    can = for_user(request.user)
    student = can.own_student if can.book_own_appointment() else None
    calendars = display.Calendars(can)  # cached with the facts, for both lists
    own = access.own_student_only(can)
    if own is not None:
        # The scopes are then the student's own rows: their queries compiled once.
        booking_list = display.own_booking_rows(own, timezone.now(), "D j.n.Y H.i")
        requests = display.own_request_values(own)
    else:
        bookings = access.bookings_visible_to(request.user).filter(
            status=Booking.Status.ACTIVE, ends_at__gte=timezone.now()
        )
        booking_list = display.booking_rows(bookings, "D j.n.Y H.i")
        # The list shows no names.
        requests = display.request_values(
            access.requests_visible_to(request.user).unresolved()
        ).by_deadline()
    request_list = display.request_rows(requests, calendars=calendars)
    log_shown(request, requests=request_list, bookings=booking_list, purpose="my appointments")
    context = {
        "student": student,
        "free": free_times.free_time_buttons(
            free_times.next_free_times(
                student.institution,
                per_professional=6,
                campus_id=student.campus_id,
                calendars=calendars,
            )
        )
        if student
        else [],
        "bookings": _with_cells(request, booking_list, actions=student is not None),
        "requests": request_list,
        "children": Student.objects.filter(pk__in=can.guarded_student_ids),
        # The messages' thread needs strong identification (L-306-4); writing does not.
        "strong": is_strongly_identified(request),
    }
    return render(request, "appointments/index.html", context)


def _with_cells(request, bookings, *, actions: bool) -> list[tuple]:
    """(booking, how and where, its actions) for the list: the cells shared with the work
    list are made in one place (`rows_html`)."""
    labels = rows_html.Labels()
    csrf = rows_html.csrf_input(request) if actions and bookings else SafeString()
    return [
        (
            b,
            rows_html.where_html(b, labels),
            rows_html.booking_actions_html(b, labels, csrf) if actions else "",
        )
        for b in bookings
    ]


def _chosen_slot(request, student: Student):
    """The free slot named by ?p=<professional id>&t=<ISO start> (no personal data), or 404."""
    source = request.POST if request.method == "POST" else request.GET
    try:
        professional_id = int(source.get("p", ""))
        starts_at = datetime.fromisoformat(source.get("t", ""))
    except ValueError:
        raise Http404 from None
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    staff = {m.user.pk: m for m in free_times.welfare_staff(student.institution)}
    if professional_id not in staff:
        raise Http404
    return staff[professional_id], starts_at


@policies.student_or_guardian
@require_http_methods(["GET", "POST"])
def book(request):
    """Confirm and book one free time: the third tap. No guardian approval (LAW.md L-18-2)."""
    can = for_user(request.user)
    if not can.book_own_appointment():
        raise Http404
    student = can.own_student
    member, starts_at = _chosen_slot(request, student)
    slot = find_slot(
        member.user.pk, student.institution_id, student.institution.school_calendar(), starts_at
    )
    error = None
    if request.method == "POST":
        try:
            actions.book(
                student=student,
                professional=member.user,
                starts_at=starts_at,
                actor=request.user,
                service=member.role,
            )
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request, _("Your time is booked. You will get a confirmation by e-mail.")
            )
            return redirect("appointments:index")
    context = {"member": member, "starts_at": starts_at, "slot": slot, "error": error}
    return render(request, "appointments/book.html", context, status=400 if error else 200)


@policies.student_or_guardian
@require_http_methods(["GET", "POST"])
def request_new(request):
    """A student or a guardian asks for a time; the clock starts now (LAW.md L-15-1, L-15-5)."""
    can = for_user(request.user)
    children = (
        None
        if can.book_own_appointment()
        else Student.objects.filter(pk__in=can.guarded_student_ids)
    )
    form = StudentRequestForm(request.POST or None, children=children)
    if request.method == "POST" and form.is_valid():
        student = form.cleaned_data.get("student") or can.own_student
        if student is None or not can.request_appointment_for(student):
            raise Http404
        by = (
            AppointmentRequest.RequestedBy.STUDENT
            if children is None
            else AppointmentRequest.RequestedBy.GUARDIAN
        )
        try:
            with transaction.atomic():
                req = actions.create_request(
                    student,
                    service=form.cleaned_data["service"],
                    requested_by=by,
                    channel=AppointmentRequest.Channel.ONLINE,
                    actor=request.user,
                    topic=form.cleaned_data["topic"],
                    topic_text=form.cleaned_data["topic_text"],
                )
                if form.cleaned_data["message"].strip():
                    conversation.post_message(
                        req,
                        author=request.user,
                        body=form.cleaned_data["message"],
                        from_staff=False,
                    )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            sent = _("Your request was sent. The welfare staff will give you a time.")
            if not is_strongly_identified(request):
                sent += " " + _("Reading their replies needs strong identification.")
            messages.success(request, sent)
            return redirect("appointments:index")
    return render(request, "appointments/request_form.html", {"form": form, "staff_form": False})


@policies.authenticated
@require_POST
def cancel(request, pk):
    booking = access.get_booking(request.user, pk, need="change")
    try:
        actions.cancel_booking(booking, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The booking was cancelled."))
    return redirect(_back(request))


def _back(request) -> str:
    if for_user(request.user).is_welfare_professional:
        return "appointments:work"
    return "appointments:index"


@policies.authenticated
@require_http_methods(["GET", "POST"])
def rebook(request, pk):
    """Move a booking to another free time of the same professional."""
    booking = access.get_booking(request.user, pk, need="change")
    if booking.status != Booking.Status.ACTIVE:
        raise Http404
    today = timezone.localdate()
    options = free_slots(
        booking.professional_id,
        booking.institution_id,
        booking.institution.school_calendar(),
        today,
        today + timedelta(days=display.LOOKAHEAD_DAYS),
    )
    form = SlotChoiceForm(request.POST or None, slots=options)
    if request.method == "POST" and form.is_valid():
        try:
            actions.rebook(booking, starts_at=form.cleaned_data["starts_at"], actor=request.user)
        except ValidationError as e:
            form.add_error("starts_at", e.messages[0])
        else:
            messages.success(request, _("The booking was moved."))
            return redirect(_back(request))
    log_shown(request, bookings=[booking], purpose="moving a booking")
    return render(request, "appointments/rebook.html", {"booking": booking, "form": form})


@policies.authenticated
@require_GET
def booking_ics(request, pk):
    booking = access.get_booking(request.user, pk)
    log_shown(
        request, bookings=[booking], purpose="calendar file", action=AccessLogEntry.Action.PRINT
    )
    response = HttpResponse(ical.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aika-{booking.pk}.ics"'
    return response


@policies.public(
    "calendar applications cannot sign in; the secret, revocable token is the key",
    confidential=True,
)
@require_GET
def feed(request, token):
    """A professional's private feed: busy times with initials only, never names."""
    feed_row = get_object_or_404(CalendarFeed, token=token, revoked_at__isnull=True)
    since = timezone.now() - timedelta(days=30)
    bookings = (
        Booking.objects.active()
        .filter(professional_id=feed_row.professional_id, starts_at__gte=since)
        .select_related("student")
    )
    body = ical.feed_ics("Opiskeluhuolto", bookings)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@policies.public(
    "the welfare services page must be readable without signing in (LAW.md L-11-1, L-306-5)"
)
@require_GET
def public_page(request, slug):
    institution = get_object_or_404(Institution.objects.select_related("provider"), slug=slug)
    staff = free_times.welfare_staff(institution)
    context = {
        "institution": institution,
        "staff": staff,
        "walk_in": [m for m in staff if m.walk_in],
        "contacts": [m for m in staff if m.contact],
        "sections": public_sections_for(request, institution),
        # The booking pages are for students and guardians; a signed-in member of staff
        # reading the page followed "Book a time" to a 404.
        "can_book": not request.user.is_authenticated
        or for_user(request.user).is_student
        or for_user(request.user).is_guardian,
    }
    return render(request, "appointments/public_page.html", context)
