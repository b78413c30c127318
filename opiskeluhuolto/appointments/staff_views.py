"""The welfare professional's pages: the deadline watch, requests, availability and the feed."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import appointments as access
from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES, Institution

from . import actions, display, rows_html, work_list
from .forms import (
    CloseForm,
    ContactForm,
    ExceptionForm,
    HoursForm,
    MessageForm,
    SlotChoiceForm,
    StaffRequestForm,
    UrgencyForm,
)
from .models import (
    AppointmentRequest,
    Availability,
    AvailabilityException,
    CalendarFeed,
    ContactChannel,
)
from .reads import log_shown
from .slots import free_slots

#: Above this many students in scope, the request form finds the student by a search.
STUDENTS_LISTED_MAX = 200
REQUESTS_PER_PAGE = 50
#: The work list's bookings per page: a day or two of a few professionals' times.
BOOKINGS_PER_PAGE = 30


@policies.welfare_professional
@require_GET
def work(request):
    """Today's and the coming two weeks' bookings, and the open requests by deadline,
    overdue first (LAW.md L-15-4).

    Both lists are paginated (REQUESTS_PER_PAGE, BOOKINGS_PER_PAGE: `?page=`, `?bookings=`),
    so a long queue or the bookings of a large institution's whole staff keep the page fast;
    the bookings come in time order, today's first, and only the rows shown are read and
    logged.
    """
    today = timezone.localdate()
    can = for_user(request.user)
    number = request.GET.get("page")
    if number in (None, "", "1"):  # the usual visit: the scope's query compiled once
        page = work_list.first_request_page(access.requests_q(can), REQUESTS_PER_PAGE)
    else:
        requests = display.request_values(
            access.requests_visible_to(request.user).unresolved().by_deadline(), names=True
        )
        page = display.first_page_or_paginate(requests, REQUESTS_PER_PAGE, number)
    # Local midnights as bounds, not `starts_at__date`: a range on the column itself can
    # be read along an index.
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = timezone.make_aware(datetime.combine(today + timedelta(days=15), time.min))
    number = request.GET.get("bookings")
    if number in (None, "", "1"):
        booking_page = work_list.first_booking_page(
            access.bookings_q(can), start, end, BOOKINGS_PER_PAGE, "D j.n. H.i"
        )
    else:
        booking_page = display.booking_page(
            access.bookings_visible_to(request.user)
            .active()
            .filter(starts_at__gte=start, starts_at__lt=end)
            .order_by("starts_at", "pk"),
            BOOKINGS_PER_PAGE,
            number,
            "D j.n. H.i",
        )
    bookings = booking_page.object_list
    calendars = display.Calendars(can)  # cached with the facts
    rows = display.request_rows(page.object_list, today, calendars)
    log_shown(request, requests=rows, bookings=bookings, purpose="work list")
    # The rows are made in Python (rows_html): the template only places them.
    labels = rows_html.Labels()
    booking_rows = rows_html.work_booking_rows(
        bookings, labels, rows_html.csrf_input(request), timezone.now()
    )
    days = [timezone.localtime(b.starts_at).date() for b in bookings]
    context = {
        "requests": rows_html.work_request_rows(rows, labels),
        "page": page,
        "booking_page": booking_page,
        "today_bookings": [r for r, day in zip(booking_rows, days, strict=True) if day == today],
        "later_bookings": [r for r, day in zip(booking_rows, days, strict=True) if day > today],
    }
    return render(request, "appointments/work.html", context)


@policies.welfare_professional
@require_http_methods(["GET", "POST"])
def staff_request_new(request):
    """Record a request made by phone, in person, by a guardian, another person or staff."""
    can = for_user(request.user)
    # The students this professional serves (the campus rule of `access`, Grant.reaches).
    students = can.students_reached(WELFARE_PROFESSIONAL_ROLES).order_by("last_name", "first_name")
    # The search is posted, not put in the address: names stay out of URLs and logs.
    finding = request.method == "POST" and "find" in request.POST
    query = request.POST.get("q", "").strip() if finding else ""
    data = request.POST if request.method == "POST" and not finding else None
    form = StaffRequestForm(data, students=students)
    searching = students.count() > STUDENTS_LISTED_MAX
    if searching:
        # A large scope: the list shows the matches of a search, not every student.
        field = form.fields["student"]
        field.widget.choices = [("", field.empty_label)] + display.student_choices(
            students, query, form["student"].value(), limit=STUDENTS_LISTED_MAX
        )
    if data is not None and form.is_valid():
        data = form.cleaned_data
        try:
            req = actions.create_request(
                data["student"],
                service=data["service"],
                requested_by=data["requested_by"],
                channel=data["channel"],
                actor=request.user,
                requester_description=data["requester_description"],
                requested_at=data["requested_at"],
            )
            if data["urgent"]:
                actions.set_urgency(req, urgent=True, actor=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The request was recorded."))
            return redirect("appointments:request_detail", pk=req.pk)
    context = {"form": form, "staff_form": True, "searching": searching, "query": query}
    return render(request, "appointments/request_form.html", context)


def request_page(request, req: AppointmentRequest, **forms):
    """The professional's page of one request; `forms` are the posted forms with errors."""
    today = timezone.localdate()
    options = free_slots(
        request.user.pk,
        req.institution_id,
        req.institution.school_calendar(),
        today,
        today + timedelta(days=display.LOOKAHEAD_DAYS),
    )
    initial = {"version": req.version}
    bookings = list(req.bookings.select_related("professional").order_by("-created_at"))
    log_shown(request, requests=[req], bookings=bookings, purpose="request page")
    context = {
        "req": display.with_states([req], today)[0],
        "bookings": bookings,
        "events": req.events.select_related("actor"),
        "thread": list(req.messages.select_related("author")),
        "message_form": forms.get("message") or MessageForm(staff=True),
        "urgency_form": forms.get("urgency")
        or UrgencyForm(initial={**initial, "urgent": "1" if req.urgent else "0"}),
        "close_form": forms.get("close") or CloseForm(initial=initial),
        "book_form": forms.get("book") or SlotChoiceForm(initial=initial, slots=options),
        "can_manage": for_user(request.user).manage_appointment_request(req),
        "resolved": req.status
        not in (AppointmentRequest.Status.OPEN, AppointmentRequest.Status.BOOKED),
    }
    status = 400 if forms else 200
    return render(request, "appointments/request_detail.html", context, status=status)


@policies.welfare_professional
@require_GET
def request_detail(request, pk):
    req = access.get_appointment_request(request.user, pk)
    return request_page(request, req)


@policies.welfare_professional
@require_POST
def request_urgency(request, pk):
    """The professional's assessment of urgency (LAW.md L-15-3)."""
    req = access.get_appointment_request(request.user, pk, need="manage")
    form = UrgencyForm(request.POST)
    if form.is_valid():
        try:
            actions.set_urgency(
                req,
                urgent=form.cleaned_data["urgent"],
                actor=request.user,
                version=form.cleaned_data["version"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The urgency was saved and the deadline updated."))
            return redirect("appointments:request_detail", pk=req.pk)
    return request_page(request, req, urgency=form)


@policies.welfare_professional
@require_POST
def request_book(request, pk):
    """Give the student one of my free times."""
    req = access.get_appointment_request(request.user, pk, need="manage")
    today = timezone.localdate()
    options = free_slots(
        request.user.pk,
        req.institution_id,
        req.institution.school_calendar(),
        today,
        today + timedelta(days=display.LOOKAHEAD_DAYS),
    )
    form = SlotChoiceForm(request.POST, slots=options)
    if form.is_valid():
        try:
            actions.book(
                student=req.student,
                professional=request.user,
                starts_at=form.cleaned_data["starts_at"],
                actor=request.user,
                request=req,
            )
        except ValidationError as e:
            form.add_error("starts_at", e.messages[0])
        else:
            messages.success(request, _("The time was booked and the student informed."))
            return redirect("appointments:request_detail", pk=req.pk)
    return request_page(request, req, book=form)


@policies.welfare_professional
@require_POST
def request_close(request, pk):
    """Close without a discussion, only with a recorded reason (LAW.md L-15-5)."""
    req = access.get_appointment_request(request.user, pk, need="manage")
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.close_request(
                req,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                version=form.cleaned_data["version"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The request was closed with the recorded reason."))
            return redirect("appointments:work")
    return request_page(request, req, close=form)


@policies.welfare_professional
@require_POST
def booking_held(request, pk):
    booking = access.get_booking(request.user, pk, need="change")
    try:
        actions.mark_held(booking, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The discussion was marked held."))
    return redirect("appointments:work")


# --- availability --------------------------------------------------------------
FORMS = {"hours": HoursForm, "exception": ExceptionForm, "contact": ContactForm}


def _availability_forms(request, institutions, posted: str | None):
    forms = {}
    for name, cls in FORMS.items():
        data = request.POST if posted == name else None
        form = cls(data, prefix=name)
        form.limit_institutions(institutions)
        forms[name] = form
    return forms


def _save_availability(request, name: str, form) -> bool:
    data = dict(form.cleaned_data)
    institution = data.pop("institution")
    try:
        if name == "hours":
            actions.add_hours(request.user, institution, **data)
        elif name == "exception":
            actions.add_exception(request.user, institution, **data)
        else:
            actions.set_contact_channel(request.user, institution, **data)
    except ValidationError as e:
        form.add_error(None, e)
        return False
    return True


@policies.welfare_professional
@require_http_methods(["GET", "POST"])
def availability(request):
    """My weekly hours, exceptions, walk-in hours, phone hours and my calendar feed."""
    can = for_user(request.user)
    institutions = Institution.objects.filter(pk__in=can.welfare_institution_ids())
    posted = request.POST.get("form") if request.method == "POST" else None
    forms = _availability_forms(request, institutions, posted if posted in FORMS else None)
    if (
        posted in FORMS
        and forms[posted].is_valid()
        and _save_availability(request, posted, forms[posted])
    ):
        messages.success(request, _("Saved."))
        return redirect("appointments:availability")
    today = timezone.localdate()
    feed = CalendarFeed.objects.filter(professional=request.user, revoked_at__isnull=True).first()
    context = {
        **{f"{k}_form": v for k, v in forms.items()},
        "hours": Availability.objects.filter(professional=request.user).select_related(
            "institution"
        ),
        "exceptions": AvailabilityException.objects.filter(
            professional=request.user, day__gte=today
        ).select_related("institution"),
        "contacts": ContactChannel.objects.filter(professional=request.user).select_related(
            "institution"
        ),
        "feed_url": request.build_absolute_uri(reverse("appointments:feed", args=[feed.token]))
        if feed
        else None,
    }
    return render(request, "appointments/availability.html", context, status=400 if posted else 200)


@policies.welfare_professional
@require_POST
def availability_remove(request, pk):
    actions.remove_hours(access.get_own_availability(request.user, pk))
    messages.success(request, _("The hours were removed. Times already booked stay."))
    return redirect("appointments:availability")


@policies.welfare_professional
@require_POST
def exception_remove(request, pk):
    actions.remove_exception(access.get_own_exception(request.user, pk))
    messages.success(request, _("The exception was removed."))
    return redirect("appointments:availability")


@policies.welfare_professional
@require_POST
def feed_rotate(request):
    actions.rotate_feed(request.user)
    messages.success(request, _("A new calendar address was made. The old one no longer works."))
    return redirect("appointments:availability")


@policies.welfare_professional
@require_POST
def feed_revoke(request):
    actions.revoke_feed(request.user)
    messages.success(request, _("The calendar address was switched off."))
    return redirect("appointments:availability")
