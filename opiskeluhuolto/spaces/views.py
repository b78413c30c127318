"""Pages of communal spaces: the list per campus, a space's week, booking, use."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.access import spaces as access

from . import actions, week
from .forms import BookingForm, OpeningHoursForm, ServiceHoursForm, VisitForm
from .models import Booking
from .usage import MIN_CELL, monthly


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@policies.authenticated
@require_GET
def index(request):
    spaces = list(
        access.spaces_visible_to(request.user)
        .select_related("campus__institution")
        .order_by("campus__institution__name", "campus__name", "name")
    )
    campuses: dict = {}
    for s in spaces:
        campuses.setdefault(s.campus, []).append(s)
    return render(request, "spaces/index.html", {"campuses": list(campuses.items())})


@policies.authenticated
@require_GET
def space(request, pk):
    space = access.get_space(request.user, pk)
    can = for_user(request.user)
    monday = week.monday_of(request.GET.get("week"), timezone.localdate())
    staff = can.book_space(space)
    return render(
        request,
        "spaces/space.html",
        {
            "space": space,
            "monday": monday,
            "previous": monday - timedelta(7),
            "next": monday + timedelta(7),
            "days": week.days(space, monday, with_hidden_hours=staff),
            "can_book": staff,
            "manage": can.manage_space(space),
            "me": request.user.pk,
            "now": timezone.now(),
            "hours_form": ServiceHoursForm() if can.manage_space(space) else None,
            "opening_form": OpeningHoursForm(instance=space) if can.manage_space(space) else None,
        },
    )


@policies.staff
@require_http_methods(["GET", "POST"])
def book(request, pk):
    space = access.get_space(request.user, pk, need="book")
    groups = access.groups_for_booking(request.user, space)
    form = BookingForm(request.POST or None, groups=groups, initial={"day": request.GET.get("day")})
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        group = form.cleaned_data["group"]
        kind = Booking.Kind.GROUP if group else for_user(request.user).space_booking_kind(space)
        try:
            booking = actions.book(
                space,
                by=request.user,
                starts_at=starts_at,
                ends_at=ends_at,
                kind=kind,
                group=group,
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as e:
            _apply(form, e)
        else:
            messages.success(request, _("The space is booked."))
            day = timezone.localtime(booking.starts_at).date()
            url = reverse("spaces:space", args=[space.pk])
            return redirect(f"{url}?week={day.isoformat()}")
    return render(request, "spaces/book.html", {"space": space, "form": form})


@policies.staff
@require_POST
def cancel(request, pk):
    booking = access.get_space_booking(request.user, pk)
    try:
        actions.cancel(booking, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The booking is cancelled."))
    return redirect("spaces:space", booking.space_id)


@policies.staff
@require_GET
def usage(request, pk):
    space = access.get_space(request.user, pk, need="book")
    today = timezone.localdate()
    since = today.replace(day=1) - timedelta(days=365)
    since = since.replace(day=1)
    return render(
        request,
        "spaces/usage.html",
        {
            "space": space,
            "rows": monthly(space, since, today),
            "min_cell": MIN_CELL,
            "manage": for_user(request.user).manage_space(space),
            "visit_form": VisitForm(initial={"day": today}),
        },
    )


@policies.staff
@require_POST
def visits(request, pk):
    space = access.get_space(request.user, pk, need="manage")
    form = VisitForm(request.POST)
    if form.is_valid():
        actions.record_visits(space, by=request.user, **form.cleaned_data)
        messages.success(request, _("The head count is saved."))
    else:
        messages.error(request, _("Check the head count: day, kind and a number."))
    return redirect("spaces:usage", space.pk)


@policies.staff
@require_POST
def hours(request, pk):
    space = access.get_space(request.user, pk, need="manage")
    form = ServiceHoursForm(request.POST)
    if form.is_valid():
        try:
            actions.add_service_hours(space, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The service hours are saved."))
    else:
        messages.error(request, _("Check the service hours."))
    return redirect("spaces:space", space.pk)


@policies.staff
@require_POST
def opening(request, pk):
    space = access.get_space(request.user, pk, need="manage")
    form = OpeningHoursForm(request.POST, instance=space)
    if form.is_valid():
        try:
            actions.set_opening_hours(
                space,
                weekdays=form.cleaned_data["open_weekdays"],
                opens_at=form.cleaned_data["opens_at"],
                closes_at=form.cleaned_data["closes_at"],
                by=request.user,
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The opening hours are saved."))
    else:
        messages.error(request, _("Check the opening hours: the weekdays and the times."))
    return redirect("spaces:space", space.pk)
