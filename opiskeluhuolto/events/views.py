"""Pages of events: the list I may see, an event with registration, the organiser's tools."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import communication, for_user, policies

from . import actions, feedback, participation
from .forms import AttendanceForm, EventForm
from .models import Registration


def _language() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in ("fi", "sv", "en") else "fi"


@policies.authenticated
@require_GET
def index(request):
    lang = _language()
    since = timezone.now() - timezone.timedelta(days=1)
    rows = list(
        communication.events_visible_to(request.user)
        .filter(ends_at__gte=since)
        .select_related("campaign")
        .order_by("starts_at")[:200]
    )
    mine = dict(
        Registration.objects.filter(user=request.user, event__in=[e.pk for e in rows]).values_list(
            "event_id", "status"
        )
    )
    shown = campaigns_shown(request.user, rows)
    for e in rows:
        e.title = e.title_in(lang)
        e.my_status = mine.get(e.pk)
        e.campaign_title = e.campaign.name_in(lang) if e.campaign_id in shown else None
    can = for_user(request.user)
    campaigns = list(
        communication.campaigns_visible_to(request.user)
        .filter(ends_on__gte=since.date())
        .order_by("starts_on")[:50]
    )
    for c in campaigns:
        c.title = c.name_in(lang)
    return render(
        request,
        "events/index.html",
        {"events": rows, "campaigns": campaigns, "can_create": can.write_announcements()},
    )


def campaigns_shown(user, events) -> set[int]:
    """The campaigns of these events the person may see (`view_campaign`): only those are
    named and linked; an event's other campaign is not mentioned at all."""
    ids = {e.campaign_id for e in events if e.campaign_id}
    if not ids:
        return set()
    return set(
        communication.campaigns_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )


def _provider_id(request) -> int:
    can = for_user(request.user)
    ids = sorted(g.provider_id for g in can.grants if g.role in communication.WRITER_ROLES)
    if not ids:
        raise Http404
    return ids[0]


@policies.staff
@require_http_methods(["GET", "POST"])
def new(request):
    provider_id = _provider_id(request)
    initial = {"campaign": request.GET.get("campaign")} if request.GET.get("campaign") else None
    form = EventForm(request.POST or None, provider_id=provider_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        event.provider_id = provider_id
        try:
            if not for_user(request.user).manage_event(event):
                raise ValidationError({"organiser": _("You do not organise events for this unit.")})
            actions.save_event(event, by=request.user, campuses=form.cleaned_data["campuses"])
        except ValidationError as e:
            for field, errors in e.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Event saved."))
            return redirect("events:event", event.pk)
    return render(request, "events/form.html", {"form": form})


@policies.authenticated
@require_GET
def event(request, pk):
    obj = communication.get_event(request.user, pk)
    can = for_user(request.user)
    lang = _language()
    mine = Registration.objects.filter(event=obj, user=request.user).first()
    manage = can.manage_event(obj)
    campaign = obj.campaign if obj.campaign_id and can.view_campaign(obj.campaign) else None
    context = {
        "event": obj,
        "campaign": campaign,
        "campaign_name": campaign.name_in(lang) if campaign else "",
        "title": obj.title_in(lang),
        "description": obj.description_in(lang),
        "mine": mine,
        "manage": manage,
        "can_invite": can.invite_to_event(obj),
        "taken": obj.registrations.filter(status="registered").count(),
        "open": obj.registration and obj.starts_at > timezone.now(),
        "started": obj.starts_at <= timezone.now(),
        "ended": obj.ends_at <= timezone.now(),
    }
    if manage:
        context["registrations"] = obj.registrations.exclude(status="cancelled").select_related(
            "user", "student__group"
        )
        context["participation"] = participation.participation(obj)
        context["attendance_form"] = AttendanceForm(initial={"head_count": obj.head_count})
    return render(request, "events/event.html", context)


def _errors(request, e: ValidationError) -> None:
    for errors in e.message_dict.values():
        for message in errors:
            messages.error(request, message)


@policies.authenticated
@require_POST
def register(request, pk):
    obj = communication.get_event(request.user, pk)
    try:
        reg = actions.register(obj, request.user)
    except ValidationError as e:
        _errors(request, e)
    else:
        if reg.status == Registration.Status.REGISTERED:
            messages.success(request, _("You are registered."))
        else:
            messages.info(request, _("The event is full: you are on the waiting list."))
    return redirect("events:event", obj.pk)


@policies.authenticated
@require_POST
def cancel(request, pk):
    obj = communication.get_event(request.user, pk)
    if actions.cancel(obj, request.user):
        messages.success(request, _("Your registration was cancelled."))
    return redirect("events:event", obj.pk)


@policies.authenticated
@require_POST
def attendance(request, pk):
    obj = communication.get_event(request.user, pk, need="manage")
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("events:event", obj.pk)
    ids = request.POST.getlist("attended") if request.POST.get("list") else None
    try:
        actions.record_attendance(
            obj, by=request.user, attended_ids=ids, head_count=form.cleaned_data["head_count"]
        )
    except (ValidationError, ValueError) as e:
        if isinstance(e, ValidationError):
            _errors(request, e)
        else:
            messages.error(request, _("Only registered participants can be marked."))
    else:
        messages.success(request, _("Attendance saved."))
    return redirect("events:event", obj.pk)


@policies.authenticated
@require_POST
def report(request, pk):
    obj = communication.get_event(request.user, pk, need="manage")
    participation.report(obj, by=request.user)
    messages.success(
        request, _("Participation was reported to the indicator and the organiser group's agenda.")
    )
    return redirect("events:event", obj.pk)


@policies.authenticated
@require_POST
def invite(request, pk):
    obj = communication.get_event(request.user, pk, need="manage")
    try:
        draft = actions.invite(obj, by=request.user)
    except ValidationError as e:
        _errors(request, e)
        return redirect("events:event", obj.pk)
    return redirect("announcements:send", draft.pk)


@policies.authenticated
@require_POST
def send_feedback(request, pk):
    obj = communication.get_event(request.user, pk, need="manage")
    try:
        feedback.send_feedback(obj, by=request.user)
    except ValidationError as e:
        _errors(request, e)
    else:
        messages.success(request, _("The feedback survey was sent to the participants."))
    return redirect("events:event", obj.pk)
