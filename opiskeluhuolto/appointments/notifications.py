"""Reminders of bookings and warnings of deadlines about to pass; called by the timer commands.

LAW.md L-15-4: the professional and the welfare lead (the institution's
principal) are warned before a deadline passes without a time given. The
warning carries counts, dates and opaque request numbers, never a student's name.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opiskeluhuolto.lib.workdays import nth_working_day_after
from opiskeluhuolto.organisation.models import Role, RoleAssignment

from . import tasks
from .models import AppointmentEvent, AppointmentRequest, Booking


def send_reminders(*, hours_ahead: int = 24) -> int:
    """Enqueue one reminder per active booking starting within `hours_ahead`; each only once."""
    now = timezone.now()
    due = (
        Booking.objects.active()
        .filter(starts_at__gt=now, starts_at__lte=now + timedelta(hours=hours_ahead))
        .filter(reminder_sent_at__isnull=True)
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in list(due):
        # Claim the row first: two timers running at once never both send.
        claimed = Booking.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if claimed:
            tasks.send_booking_email.enqueue(pk, "reminder")
            sent += 1
    return sent


def _warning_horizon(calendar, today: date) -> date:
    """Warn when the deadline is today or the next working day."""
    try:
        return nth_working_day_after(calendar, today, 1)
    except ValueError:
        return today + timedelta(days=1)


def requests_to_warn(today: date) -> list[AppointmentRequest]:
    """Open requests with a legal deadline due by the next working day, not yet warned."""
    candidates = (
        AppointmentRequest.objects.open()
        .filter(warned_at__isnull=True, deadline__isnull=False)
        .filter(Q(service=Role.SOCIAL_WORKER) | Q(service=Role.PSYCHOLOGIST))
        .filter(deadline__lte=today + timedelta(days=14))
        .select_related("institution", "professional")
    )
    horizons: dict[int, date] = {}
    result = []
    for req in candidates:
        if req.institution_id not in horizons:
            horizons[req.institution_id] = _warning_horizon(
                req.institution.school_calendar(), today
            )
        if req.deadline <= horizons[req.institution_id]:
            result.append(req)
    return result


def _recipients(req: AppointmentRequest, today: date) -> set[str]:
    """The assigned professional, or every professional of that service at the institution,
    plus the institution's principals (the welfare lead)."""
    staff = RoleAssignment.objects.valid_on(today).at_institution(req.institution)
    roles = [Role.PRINCIPAL] if req.professional_id else [Role.PRINCIPAL, req.service]
    emails = set(
        staff.filter(role__in=roles).exclude(user__email="").values_list("user__email", flat=True)
    )
    if req.professional is not None and req.professional.email:
        emails.add(req.professional.email)
    return emails


def warn_deadlines(today: date | None = None) -> int:
    """Send one e-mail per recipient listing the requests about to pass their deadline."""
    today = today or timezone.localdate()
    reqs = requests_to_warn(today)
    by_recipient: dict[str, list[AppointmentRequest]] = defaultdict(list)
    for req in reqs:
        for email in _recipients(req, today):
            by_recipient[email].append(req)
    base = getattr(settings, "SITE_URL", "")
    with translation.override(settings.LANGUAGE_CODE):
        for email, items in by_recipient.items():
            lines = [
                _("Request no. %(no)s: deadline %(day)s (%(state)s) %(link)s")
                % {
                    "no": r.pk,
                    "day": r.deadline.strftime("%d.%m.%Y"),  # type: ignore[union-attr]  # requests_to_warn gives only requests with a deadline
                    "state": _("overdue") if r.deadline < today else _("no time given yet"),  # type: ignore[operator]  # requests_to_warn gives only requests with a deadline
                    "link": base + reverse("appointments:request_detail", args=[r.pk]),
                }
                for r in sorted(items, key=lambda r: r.deadline)  # type: ignore[arg-type,return-value]  # requests_to_warn gives only requests with a deadline
            ]
            body = (
                _(
                    "These discussion requests have not been given a time, and their legal "
                    "deadline is today, tomorrow or already passed (oppilas- ja "
                    "opiskelijahuoltolaki 15 §):"
                )
                + "\n\n"
                + "\n".join(lines)
                + "\n"
            )
            send_mail(_("Discussion requests about to pass their deadline"), body, None, [email])
    now = timezone.now()
    with transaction.atomic():
        for req in reqs:
            AppointmentRequest.objects.filter(pk=req.pk).update(warned_at=now)
            AppointmentEvent.objects.create(kind=AppointmentEvent.Kind.WARNED, request=req, at=now)
    return len(reqs)
