"""The rules of events: creating, registering (capacity, waiting list), attendance, reports."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.organisation.models import Campus, Student

from . import rules
from .models import Campaign, Event, Registration


def _validate(event: Event, campuses) -> None:
    errors: dict[str, str] = {}
    if event.starts_at and event.ends_at and event.starts_at >= event.ends_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if event.institution_id and event.institution.provider_id != event.provider_id:
        errors["institution"] = _("The institution belongs to another provider.")
    if event.organiser_id and event.organiser.provider_id != event.provider_id:
        errors["organiser"] = _("The group belongs to another provider.")
    if any(c.institution_id != event.institution_id for c in campuses):
        errors["campuses"] = _("A campus belongs to another institution.")
    group = event.student_group
    if group is not None and group.institution_id != event.institution_id:
        errors["student_group"] = _("The group belongs to another institution.")
    if group is not None and campuses and group.campus_id not in {c.pk for c in campuses}:
        errors["student_group"] = _("The group studies on another campus.")
    if (group is not None or event.starting_year) and event.audience == Event.Audience.STAFF:
        errors["audience"] = _("A group or a starting year narrows students and guardians only.")
    if event.capacity == 0:
        errors["capacity"] = _("Leave the capacity empty for no limit, or give at least one place.")
    if event.capacity and not event.registration:
        errors["registration"] = _("A capacity needs registration.")
    clock_item, campaign = event.clock_item, event.campaign
    if clock_item is not None and clock_item.type != ClockItem.Type.EVENT:
        errors["clock_item"] = _(
            "Only an annual clock item of type event is fulfilled by an event."
        )
    if campaign is not None and campaign.institution_id != event.institution_id:
        errors["campaign"] = _("The campaign belongs to another institution.")
    elif campaign is not None:
        _within_campaign(event, campuses, campaign, errors)
    if not event.place and not event.remote_link:
        errors["place"] = _("Give the place or a remote link.")
    if errors:
        raise ValidationError(errors)


def _within_campaign(event: Event, campuses, campaign: Campaign, errors: dict) -> None:
    """The event stays inside its campaign's audience and campuses (`rules.beyond_campaign`)."""
    limit = campaign.campuses.order_by("name") if campaign.pk else Campus.objects.none()
    beyond = rules.beyond_campaign(
        audience=event.audience,
        campus_ids=[c.pk for c in campuses],
        campaign_audience=campaign.audience,
        campaign_campus_ids=[c.pk for c in limit],
    )
    if "audience" in beyond:
        errors.setdefault(
            "audience",
            _("The campaign is for %(audience)s: its events cannot reach anyone else.")
            % {"audience": campaign.get_audience_display()},
        )
    if "campuses" in beyond:
        errors.setdefault(
            "campuses",
            _("The campaign is limited to %(campuses)s: choose the event's campuses among them.")
            % {"campuses": ", ".join(c.name for c in limit)},
        )


@transaction.atomic
def save_event(event: Event, *, by, campuses=()) -> Event:
    campuses = list(campuses)
    if event.institution_id and not event.provider_id:
        event.provider_id = event.institution.provider_id
    _validate(event, campuses)
    if not event.pk:
        event.created_by = by
    event.full_clean(exclude=["created_by", "campuses"], validate_constraints=False)
    event.save()
    event.campuses.set(campuses)
    return event


@transaction.atomic
def save_campaign(campaign: Campaign, *, by, campuses=()) -> Campaign:
    """Create or change a campaign (a theme week): its unit, organiser group, audience."""
    campuses = list(campuses)
    errors: dict[str, str] = {}
    if campaign.starts_on and campaign.ends_on and campaign.starts_on > campaign.ends_on:
        errors["ends_on"] = _("The campaign must not end before it starts.")
    if campaign.institution_id:
        campaign.provider_id = campaign.institution.provider_id
        if any(c.institution_id != campaign.institution_id for c in campuses):
            errors["campuses"] = _("A campus belongs to another institution.")
    if campaign.organiser_id and campaign.organiser.provider_id != campaign.provider_id:
        errors["organiser"] = _("The group belongs to another provider.")
    if campaign.pk:  # a changed campaign must still hold its events
        for event in campaign.events.prefetch_related("campuses").order_by("starts_at"):
            if rules.beyond_campaign(
                audience=event.audience,
                campus_ids=event.campus_ids(),
                campaign_audience=campaign.audience,
                campaign_campus_ids=[c.pk for c in campuses],
            ):
                errors.setdefault(
                    "audience",
                    _("The event %(title)s would reach beyond the campaign: change it first.")
                    % {"title": event.title_fi},
                )
    if errors:
        raise ValidationError(errors)
    if not campaign.pk:
        campaign.created_by = by
    campaign.full_clean(exclude=["created_by", "campuses"])
    campaign.save()
    campaign.campuses.set(campuses)
    return campaign


def create_campaign(*, by, campuses=(), **fields) -> Campaign:
    return save_campaign(Campaign(**fields), by=by, campuses=campuses)


def _student_for(user, event: Event) -> Student | None:
    """The student a registration counts for: the student, or the guardian's child there."""
    own = Student.objects.filter(user=user, institution_id=event.institution_id).first()
    if own is not None:
        return own
    return (
        Student.objects.filter(guardianships__guardian=user, institution_id=event.institution_id)
        .minors(timezone.localdate())
        .order_by("pk")
        .first()
    )


@transaction.atomic
def register(event: Event, user) -> Registration:
    """Register, or join the waiting list when the event is full.

    The event row is locked (`select_for_update`) for the count and the insert, so
    concurrent attempts are serialised and exactly `capacity` get a place.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration:
        raise ValidationError({"event": _("This event has no registration.")})
    if event.starts_at <= timezone.now():
        raise ValidationError({"event": _("Registration has closed: the event has started.")})
    existing = Registration.objects.filter(event=event, user=user).first()
    if existing and existing.status != Registration.Status.CANCELLED:
        return existing
    taken = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED).count()
    status = (
        Registration.Status.REGISTERED
        if event.capacity is None or taken < event.capacity
        else Registration.Status.WAITING
    )
    if existing:
        existing.status = status
        existing.created_at = timezone.now()  # back of the queue
        existing.save(update_fields=["status", "created_at"])
        return existing
    return Registration.objects.create(
        event=event, user=user, student=_student_for(user, event), status=status
    )


@transaction.atomic
def cancel(event: Event, user) -> Registration | None:
    """Cancel one's registration; the first on the waiting list gets the place."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    reg = Registration.objects.filter(event=event, user=user).first()
    if reg is None or reg.status == Registration.Status.CANCELLED:
        return None
    had_place = reg.status == Registration.Status.REGISTERED
    reg.status = Registration.Status.CANCELLED
    reg.save(update_fields=["status"])
    if had_place:
        first = (
            Registration.objects.filter(event=event, status=Registration.Status.WAITING)
            .order_by("created_at", "pk")
            .first()
        )
        if first is not None:
            first.status = Registration.Status.REGISTERED
            first.save(update_fields=["status"])
    return reg


@transaction.atomic
def record_attendance(
    event: Event, *, by, attended_ids=None, head_count: int | None = None
) -> None:
    """Mark who came from the registration list, and/or the head count at the door: once
    the event has begun, so that a planned event never shows up as attended."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.starts_at > timezone.now():
        raise ValidationError(
            {"starts_at": _("Attendance can be recorded once the event has begun.")}
        )
    if head_count is not None and head_count < 0:
        raise ValidationError({"head_count": _("The head count cannot be negative.")})
    if attended_ids is not None:
        regs = Registration.objects.filter(event=event, status=Registration.Status.REGISTERED)
        chosen = {int(pk) for pk in attended_ids}
        unknown = chosen - set(regs.values_list("pk", flat=True))
        if unknown:
            raise ValidationError({"attended": _("Only registered participants can be marked.")})
        regs.filter(pk__in=chosen).update(attended=True)
        regs.exclude(pk__in=chosen).update(attended=False)
    if head_count is not None:
        event.head_count = head_count
        event.save(update_fields=["head_count"])


def invite(event: Event, *, by):
    """A draft invitation in the announcement channel, for the organiser to check and send:
    to the event's audience on its chosen campuses only (all of them when none is chosen),
    its group and starting year. "Everyone" is everyone the audience rule
    (`access.audiences`) counts: students, guardians of minors and staff; each person
    gets one copy, in their language, however many ways they belong."""
    from opiskeluhuolto.announcements import actions as announcements
    from opiskeluhuolto.announcements.models import Announcement

    audience: Announcement.Audience = {
        Event.Audience.STUDENTS: Announcement.Audience.STUDENTS,
        Event.Audience.GUARDIANS: Announcement.Audience.GUARDIANS,
        Event.Audience.STAFF: Announcement.Audience.STAFF,
        Event.Audience.EVERYONE: Announcement.Audience.EVERYONE,
    }[Event.Audience(event.audience)]
    when = timezone.localtime(event.starts_at).strftime("%d.%m.%Y %H:%M")
    where = event.place or event.remote_link
    body = f"{event.description_fi}\n\n{when}, {where}".strip()
    draft = Announcement(
        provider_id=event.provider_id,
        kind=Announcement.Kind.ANNOUNCEMENT,
        audience=audience,
        institution_id=event.institution_id,
        student_group_id=event.student_group_id,
        starting_year=event.starting_year,
        title_fi=event.title_fi,
        body_fi=body,
        title_sv=event.title_sv,
        body_sv=f"{event.description_sv or event.title_sv}\n\n{when}, {where}"
        if event.title_sv
        else "",
        title_en=event.title_en,
        body_en=f"{event.description_en or event.title_en}\n\n{when}, {where}"
        if event.title_en
        else "",
    )
    return announcements.save_draft(draft, by=by, campuses=event.campuses.order_by("pk"))
