"""Home panels and navigation of appointments (UX.md), registered from AppConfig.ready."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.access.appointments import bookings_visible_to, requests_visible_to
from opiskeluhuolto.front.registry import home_panel, nav_item
from opiskeluhuolto.organisation.models import Role

from . import display, free_times
from .models import AppointmentRequest, Booking

PANEL_REQUESTS = 6


def _student(request, can) -> dict:
    student = can.own_student
    bookings = (
        bookings_visible_to(request.user)
        .filter(status=Booking.Status.ACTIVE, ends_at__gte=timezone.now())
        .select_related("professional")[:5]
    )
    staff = free_times.welfare_staff(student.institution)
    here = [m for m in staff if m.campus is None or m.campus.pk == student.campus_id]
    return {
        "free": free_times.free_time_buttons(
            free_times.next_free_times(student.institution, campus_id=student.campus_id)
        ),
        "bookings": bookings,
        "walk_in": [m for m in here if m.walk_in],
        "contacts": [m for m in here if m.contact],
        "institution": student.institution,
    }


def _professional(request, can) -> dict:
    today = timezone.localdate()
    requests = (
        requests_visible_to(request.user)
        .unresolved()
        .filter(status=AppointmentRequest.Status.OPEN)
        .select_related("student", "institution")
        .by_deadline()
    )
    total = requests.count()
    todays = (
        bookings_visible_to(request.user)
        .active()
        .filter(professional=request.user, starts_at__date=today)
        .select_related("student")
    )
    return {
        "requests": display.with_states(requests[:PANEL_REQUESTS], today),
        "more": max(0, total - PANEL_REQUESTS),
        "today": todays,
    }


def _lead(request, can) -> dict:
    """The welfare lead sees a count only, never which students."""
    institutions = [i for i in can.institutions_scope() if can.view_compliance(i)]
    overdue = (
        AppointmentRequest.objects.open()
        .filter(institution__in=institutions, deadline__lt=timezone.localdate())
        .count()
    )
    return {"overdue": overdue}


home_panel(
    "appointments_student",
    "appointments/panels/student.html",
    lambda can: can.book_own_appointment(),
    _student,
    order=11,
)
# A guardian sees each child's bookings in the guardian's home (front: "Ainon asiat").
home_panel(
    "appointments_professional",
    "appointments/panels/professional.html",
    lambda can: can.is_welfare_professional,
    _professional,
    order=5,
)
home_panel(
    "appointments_lead",
    "appointments/panels/lead.html",
    lambda can: can.has_role(Role.PRINCIPAL, Role.PROVIDER_ADMIN),
    _lead,
    order=35,
)

nav_item(
    _("Appointments"),
    "appointments:index",
    lambda can: (can.is_student or can.is_guardian) and not can.is_welfare_professional,
    order=10,
)
nav_item(_("Requests"), "appointments:work", lambda can: can.is_welfare_professional, order=10)
nav_item(
    _("Deadline compliance"),
    "appointments:report",
    lambda can: can.has_role(Role.PRINCIPAL, Role.PROVIDER_ADMIN),
    order=60,
)
