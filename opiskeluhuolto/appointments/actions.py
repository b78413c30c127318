"""State changes of appointments: one transaction each, with its event row in the same transaction.

Who may call these is decided by `opiskeluhuolto.access.appointments`; the
actions enforce the domain rules (times, deadlines, reasons) and raise
ValidationError with messages the UI shows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.lib.workdays import working_days_between
from opiskeluhuolto.organisation.models import Institution, Student

from . import deadlines, slots, tasks
from .models import (
    DEADLINE_SERVICES,
    AppointmentEvent,
    AppointmentRequest,
    Availability,
    AvailabilityException,
    Booking,
    CalendarFeed,
    ContactChannel,
    Mode,
)


def _event(kind: str, *, actor, request=None, booking=None, detail: str = "", at=None) -> None:
    AppointmentEvent.objects.create(
        kind=kind,
        actor=actor,
        request=request,
        booking=booking,
        detail=detail,
        at=at or timezone.now(),
    )


def compute_deadline(
    institution: Institution, request_day: date, *, urgent: bool, service: str
) -> date | None:
    """The legal deadline, or None when the school calendar does not reach it (shown as such).

    Only kuraattori and psychologist discussions have a time limit in law (L-15-2);
    the nurse is reached through walk-in hours and the phone instead (L-17).
    """
    if service not in DEADLINE_SERVICES:
        return None
    try:
        return deadlines.deadline_for(institution.school_calendar(), request_day, urgent=urgent)
    except deadlines.DeadlineUnknown:
        return None


# --- requests -------------------------------------------------------------------
@transaction.atomic
def create_request(
    student: Student,
    *,
    service: str,
    requested_by: str,
    channel: str,
    actor,
    requester_description: str = "",
    requested_at: datetime | None = None,
    professional=None,
    made_with_student: bool = False,
    topic: str = "",
    topic_text: str = "",
) -> AppointmentRequest:
    """Record a request (LAW.md L-15-1): when, through which channel and who asked.

    The same clock starts whoever asks (L-15-5). The deadline is stored with
    the request; a missing calendar leaves it empty and the request is still kept.
    """
    requested_at = requested_at or timezone.now()
    if requested_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"requested_at": _("A request cannot be made in the future.")})
    if requested_by == AppointmentRequest.RequestedBy.OTHER and not requester_description.strip():
        raise ValidationError(
            {"requester_description": _("Say who contacted, e.g. 'a youth worker'.")}
        )
    day = timezone.localtime(requested_at).date()
    req = AppointmentRequest(
        student=student,
        institution=student.institution,
        service=service,
        professional=professional,
        requested_by=requested_by,
        requested_by_user=actor,
        requester_description=requester_description.strip(),
        made_with_student=made_with_student,
        channel=channel,
        topic=topic,
        topic_text=(topic_text or "").strip()[:1000],
        requested_at=requested_at,
        request_day=day,
        deadline=compute_deadline(student.institution, day, urgent=False, service=service),
    )
    req.full_clean()
    req.save()
    _event(AppointmentEvent.Kind.REQUESTED, actor=actor, request=req, at=requested_at)
    return req


def _check_version(req: AppointmentRequest, version: int | None) -> AppointmentRequest:
    """Lock the row and refuse a change based on an older version of it."""
    locked = AppointmentRequest.objects.select_for_update().get(pk=req.pk)
    if version is not None and locked.version != version:
        raise ValidationError(
            _("Someone else changed this request meanwhile. Reload the page and try again.")
        )
    return locked


@transaction.atomic
def set_urgency(
    req: AppointmentRequest, *, urgent: bool, actor, version: int | None = None
) -> AppointmentRequest:
    """A welfare professional assesses the urgency (LAW.md L-15-3); the deadline follows it."""
    req = _check_version(req, version)
    if req.status not in (AppointmentRequest.Status.OPEN, AppointmentRequest.Status.BOOKED):
        raise ValidationError(_("The request is already resolved."))
    req.urgent = urgent
    req.urgency_set_by = actor
    req.urgency_set_at = timezone.now()
    req.deadline = compute_deadline(
        req.institution, req.request_day, urgent=urgent, service=req.service
    )
    if req.first_offer_start is not None:
        req.deadline_met = deadlines.met_deadline(
            timezone.localtime(req.first_offer_start).date(), req.deadline
        )
    req.version += 1
    req.save()
    _event(
        AppointmentEvent.Kind.URGENCY,
        actor=actor,
        request=req,
        detail="urgent" if urgent else "normal",
    )
    return req


@transaction.atomic
def close_request(
    req: AppointmentRequest, *, reason: str, actor, version: int | None = None
) -> AppointmentRequest:
    """Close without a discussion, only with a recorded reason (LAW.md L-15-5).

    "Advice only" and "obviously unnecessary" close only a contact by others (a guardian,
    another person, staff without the student): the student's own request is answered
    with a discussion or withdrawn by the student. A request closed by its deadline
    counts as met in the compliance figures, after it as missed; it stays in them."""
    if reason not in AppointmentRequest.CloseReason.values:
        raise ValidationError({"reason": _("Choose the reason for closing the request.")})
    req = _check_version(req, version)
    if req.status not in (AppointmentRequest.Status.OPEN, AppointmentRequest.Status.BOOKED):
        raise ValidationError(_("The request is already resolved."))
    if req.is_students_own and reason in OTHERS_ONLY_REASONS:
        raise ValidationError(
            {
                "reason": _(
                    "The student's own request cannot be closed as advice only or as "
                    "obviously unnecessary: offer a discussion (§15(2))."
                )
            }
        )
    for booking in req.bookings.active():
        _cancel(booking, actor=actor)
    req.status = AppointmentRequest.Status.CLOSED
    req.close_reason = reason
    req.closed_at = timezone.now()
    req.closed_by = actor
    if req.deadline_met is None:
        req.deadline_met = deadlines.met_deadline(timezone.localdate(), req.deadline)
    req.version += 1
    req.save()
    _event(AppointmentEvent.Kind.CLOSED, actor=actor, request=req, detail=reason)
    return req


#: The closing reasons of §15(2) that apply only to contacts by others (LAW.md L-15-5).
OTHERS_ONLY_REASONS = frozenset(
    {AppointmentRequest.CloseReason.ADVICE_ONLY, AppointmentRequest.CloseReason.UNNECESSARY}
)


# --- bookings -------------------------------------------------------------------
def _record_first_offer(req: AppointmentRequest, starts_at: datetime) -> None:
    """Keep the first offered time for the compliance report (LAW.md L-15-4)."""
    if req.first_offer_start is not None:
        return
    offered_day = timezone.localtime(starts_at).date()
    req.first_offer_start = starts_at
    req.first_offer_made_at = timezone.now()
    req.first_offer_working_days = working_days_between(
        req.institution.school_calendar(), req.request_day, offered_day
    )
    req.deadline_met = deadlines.met_deadline(offered_day, req.deadline)


def _slot_or_error(professional, institution: Institution, starts_at: datetime, *, exclude=None):
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError({"starts_at": _("The time is in the past. Choose a later time.")})
    calendar = institution.school_calendar()
    day = timezone.localtime(starts_at).date()
    if not calendar.is_working_day(day):
        raise ValidationError(
            {
                "starts_at": _("%(day)s is not a working day of the institution.")
                % {"day": day.strftime("%d.%m.%Y")}
            }
        )
    slot = slots.find_slot(
        professional.pk, institution.pk, calendar, starts_at, exclude_booking=exclude, now=now
    )
    if slot is None:
        taken = (
            Booking.objects.active()
            .filter(professional=professional)
            .exclude(pk=exclude)
            .between(starts_at, starts_at + timedelta(minutes=1))
            .exists()
        )
        if taken:
            raise ValidationError(
                {"starts_at": _("This time is already booked. Choose another time.")}
            )
        raise ValidationError(
            {"starts_at": _("This time is outside the professional's published hours.")}
        )
    return slot


def _insert_booking(booking: Booking) -> Booking:
    """Save under a savepoint: the database refuses a double booking even when
    two requests pass the Python check at the same moment."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        raise ValidationError(
            {"starts_at": _("This time was booked by someone else just now. Choose another time.")}
        ) from None
    return booking


def _enqueue_confirmation(booking: Booking) -> None:
    transaction.on_commit(lambda: tasks.send_booking_email.enqueue(booking.pk, "confirmation"))


@transaction.atomic
def book(
    *,
    student: Student,
    professional,
    starts_at: datetime,
    actor,
    request: AppointmentRequest | None = None,
    service: str | None = None,
) -> Booking:
    """Book a free time. No guardian approval is ever asked (LAW.md L-18-2).

    Without a request (a student booking an open time), the booking is its own
    request from the student, so the compliance report counts it too.
    """
    if request is None:
        if not service:
            raise ValidationError(_("Choose the service."))
        request = create_request(
            student,
            service=service,
            requested_by=AppointmentRequest.RequestedBy.STUDENT,
            channel=AppointmentRequest.Channel.ONLINE,
            actor=actor,
            professional=professional,
        )
    req = AppointmentRequest.objects.select_for_update().get(pk=request.pk)
    if req.status not in (AppointmentRequest.Status.OPEN, AppointmentRequest.Status.BOOKED):
        raise ValidationError(_("The request is already resolved."))
    if req.bookings.active().exists():
        raise ValidationError(_("The request already has a booked time. Move it instead."))
    slot = _slot_or_error(professional, student.institution, starts_at)
    booking = _insert_booking(
        Booking(
            professional=professional,
            student=student,
            institution=student.institution,
            request=req,
            service=req.service,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            mode=slot.mode,
            place=slot.place,
            booked_by=actor,
        )
    )
    _record_first_offer(req, slot.starts_at)
    req.status = AppointmentRequest.Status.BOOKED
    req.professional = req.professional or professional
    req.version += 1
    req.save()
    _event(AppointmentEvent.Kind.BOOKED, actor=actor, request=req, booking=booking)
    _enqueue_confirmation(booking)
    return booking


def _cancel(booking: Booking, *, actor) -> None:
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = actor
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    _event(AppointmentEvent.Kind.CANCELLED, actor=actor, request=booking.request, booking=booking)


@transaction.atomic
def cancel_booking(booking: Booking, *, actor) -> Booking:
    """Cancel a booking; its request goes back to waiting for a time (it never just disappears)."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.ACTIVE:
        raise ValidationError(_("The booking is no longer active."))
    _cancel(booking, actor=actor)
    req = booking.request
    if req is not None and req.status == AppointmentRequest.Status.BOOKED:
        req.status = AppointmentRequest.Status.OPEN
        req.version += 1
        req.save(update_fields=["status", "version"])
    transaction.on_commit(lambda: tasks.send_booking_email.enqueue(booking.pk, "cancellation"))
    return booking


@transaction.atomic
def rebook(booking: Booking, *, starts_at: datetime, actor) -> Booking:
    """Move a booking to another free time of the same professional, in one transaction."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.ACTIVE:
        raise ValidationError(_("The booking is no longer active."))
    slot = _slot_or_error(booking.professional, booking.institution, starts_at, exclude=booking.pk)
    keep = booking.mode == Mode.PHONE or bool(booking.meeting_link)
    _cancel(booking, actor=actor)
    new = _insert_booking(
        Booking(
            professional=booking.professional,
            student=booking.student,
            institution=booking.institution,
            request=booking.request,
            service=booking.service,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            # A phone call or a remote meeting agreed for the old time stays agreed.
            mode=booking.mode if keep else slot.mode,
            place=booking.place if keep else slot.place,
            meeting_link=booking.meeting_link if keep else "",
            booked_by=actor,
        )
    )
    _event(AppointmentEvent.Kind.REBOOKED, actor=actor, request=new.request, booking=new)
    _enqueue_confirmation(new)
    return new


@transaction.atomic
def mark_held(booking: Booking, *, actor) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.ACTIVE:
        raise ValidationError(_("The booking is no longer active."))
    if booking.starts_at > timezone.now():
        raise ValidationError(_("A discussion can be marked held only once its time has come."))
    booking.status = Booking.Status.HELD
    booking.save(update_fields=["status"])
    req = booking.request
    if req is not None:
        req.status = AppointmentRequest.Status.HELD
        req.version += 1
        req.save(update_fields=["status", "version"])
    _event(AppointmentEvent.Kind.HELD, actor=actor, request=booking.request, booking=booking)
    return booking


# --- availability -------------------------------------------------------------
@transaction.atomic
def add_hours(professional, institution: Institution, **fields) -> Availability:
    hours = Availability(professional=professional, institution=institution, **fields)
    hours.full_clean()
    clash = Availability.objects.filter(
        professional=professional,
        weekday=hours.weekday,
        starts_at__lt=hours.ends_at,
        ends_at__gt=hours.starts_at,
    ).exclude(valid_until__lt=hours.valid_from)
    if hours.valid_until:
        clash = clash.filter(valid_from__lte=hours.valid_until)
    if clash.exists():
        raise ValidationError(_("These hours overlap hours you have already published."))
    hours.save()
    return hours


@transaction.atomic
def remove_hours(hours: Availability) -> None:
    """Bookings already made stay; only new times stop being offered."""
    hours.delete()


@transaction.atomic
def add_exception(professional, institution: Institution, **fields) -> AvailabilityException:
    exc = AvailabilityException(professional=professional, institution=institution, **fields)
    if exc.kind == AvailabilityException.Kind.EXTRA and (not exc.starts_at or not exc.ends_at):
        raise ValidationError({"starts_at": _("Give the start and end of the extra hours.")})
    if (exc.starts_at is None) != (exc.ends_at is None):
        raise ValidationError({"ends_at": _("Give both the start and the end, or neither.")})
    if exc.starts_at and exc.ends_at and exc.starts_at >= exc.ends_at:
        raise ValidationError({"ends_at": _("The end must be after the start.")})
    if exc.day < timezone.localdate():
        raise ValidationError({"day": _("The date is in the past.")})
    exc.full_clean()
    exc.save()
    return exc


@transaction.atomic
def remove_exception(exc: AvailabilityException) -> None:
    exc.delete()


@transaction.atomic
def set_contact_channel(
    professional, institution: Institution, *, phone: str, hours: str
) -> ContactChannel:
    channel, _created = ContactChannel.objects.update_or_create(
        professional=professional,
        institution=institution,
        defaults={"phone": phone, "hours": hours},
    )
    channel.full_clean()
    return channel


# --- calendar feed --------------------------------------------------------------
@transaction.atomic
def rotate_feed(professional) -> CalendarFeed:
    """A new secret feed address; the old one stops working at once."""
    CalendarFeed.objects.filter(professional=professional, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarFeed.objects.create(professional=professional)


@transaction.atomic
def revoke_feed(professional) -> None:
    CalendarFeed.objects.filter(professional=professional, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
