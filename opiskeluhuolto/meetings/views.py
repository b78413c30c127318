"""Views of welfare groups, meetings and minutes (plans and goals: views_plans.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import communal, for_user, policies
from opiskeluhuolto.lib.forms import apply_errors
from opiskeluhuolto.lib.workdays import working_days_between

from . import actions, series
from .forms import (
    AttendeesForm,
    FollowUpForm,
    GroupForm,
    HighlightForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    StandingItemForm,
)
from .models import AgendaItem, FollowUp, Meeting
from .views_hierarchy import hierarchy_context, regional_plan_context


@policies.authenticated
@require_GET
def groups(request):
    rows = communal.welfare_groups_visible_to(request.user).select_related(
        "provider", "institution", "campus", "chair"
    )
    today = timezone.localdate()
    upcoming = {}
    for m in Meeting.objects.filter(group__in=rows).upcoming(today):
        upcoming.setdefault(m.group_id, m)
    context = {
        "groups": [(g, upcoming.get(g.pk)) for g in rows],
        "can_create": for_user(request.user).is_provider_admin(),
        # Plans, indicators and clocks are staff pages: a guardian or student member of a
        # group would follow these links to a 404.
        "is_staff": for_user(request.user).is_staff_member,
    }
    return render(request, "meetings/groups.html", context)


def _with_working_days(group, today, follow_ups):
    """(follow-up, working days left, overdue) for UX.md's "date and in N working days"."""
    from opiskeluhuolto.organisation.models import Institution

    institution = (
        group.institution or Institution.objects.filter(provider_id=group.provider_id).first()
    )
    calendar = institution.school_calendar() if institution else None
    rows = []
    for f in follow_ups:
        days = working_days_between(calendar, today, f.due_on) if calendar else None
        rows.append((f, days, f.due_on < today))
    return rows


def admin_provider(user):
    """The provider a provider admin creates things for (the first, if several)."""
    from opiskeluhuolto.organisation.models import Provider

    return Provider.objects.filter(pk__in=for_user(user).admin_provider_ids()).first()


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def group_new(request):
    provider = admin_provider(request.user)
    form = GroupForm(request.POST or None, provider_id=provider.pk)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.create_group(by=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Group created. Add its members and standing items."))
            return redirect("meetings:group", pk=made.pk)
    return render(request, "meetings/group_form.html", {"form": form})


@policies.authenticated
@require_GET
def group(request, pk):
    obj = communal.get_welfare_group(request.user, pk)
    can = for_user(request.user)
    today = timezone.localdate()
    open_follow_ups = list(FollowUp.objects.open().filter(group=obj).select_related("owner"))
    context = {
        "group": obj,
        "members": obj.memberships.select_related("user"),
        # "In every meeting" first, then "as needed", as in seed 003.
        "standing": sorted(obj.standing_items.all(), key=lambda s: (s.kind != "every", s.order)),
        "upcoming": obj.meetings.upcoming(today),
        "past": obj.meetings.past(today)[:10],
        "highlights": obj.highlights.filter(handled_in__isnull=True).select_related("from_group"),
        "follow_ups": _with_working_days(obj, today, open_follow_ups),
        "can_manage": can.manage_welfare_group(obj),
        "can_highlight": can.submit_highlight(obj),
        "member_form": MemberForm(group=obj),
        "standing_form": StandingItemForm(),
        "clocks": obj.clocks.all(),
        **hierarchy_context(obj, open_follow_ups, can_manage=can.manage_welfare_group(obj)),
        **regional_plan_context(obj, can),
    }
    # The group above and the groups below are linked only where the person may open them
    # (a guardian member of a campus group does not see the institution's group).
    related = [g.pk for g in context["lower_groups"]] + ([obj.parent_id] if obj.parent_id else [])
    context["openable_group_ids"] = set(
        communal.welfare_groups_visible_to(request.user)
        .filter(pk__in=related)
        .values_list("pk", flat=True)
    )
    return render(request, "meetings/group.html", context)


@policies.authenticated
@require_POST
def member_add(request, pk):
    obj = communal.get_welfare_group(request.user, pk, need="manage")
    form = MemberForm(request.POST, group=obj)
    if form.is_valid():
        try:
            actions.add_member(obj, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Member added."))
    else:
        messages.error(request, _("Choose the person and the role."))
    return redirect("meetings:group", pk=obj.pk)


@policies.authenticated
@require_POST
def member_remove(request, pk):
    member = communal.get_membership(request.user, pk)
    try:
        actions.remove_member(member, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a member of the group.") % {"name": member.user.display_name},
        )
    return redirect("meetings:group", pk=member.group_id)


@policies.authenticated
@require_POST
def standing_add(request, pk):
    obj = communal.get_welfare_group(request.user, pk, need="manage")
    form = StandingItemForm(request.POST)
    if form.is_valid():
        try:
            actions.add_standing_item(obj, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Agenda item added."))
    else:
        messages.error(request, _("Write the title of the item."))
    return redirect("meetings:group", pk=obj.pk)


@policies.authenticated
@require_POST
def standing_raise(request, pk):
    item = communal.get_standing_item(request.user, pk)
    try:
        actions.raise_item(item, by=request.user, raised=request.POST.get("raised") == "1")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("meetings:group", pk=item.group_id)


@policies.authenticated
@require_http_methods(["GET", "POST"])
def highlight_add(request, pk):
    body = communal.get_welfare_group(request.user, pk, need="highlight")
    form = HighlightForm(request.POST or None, student_body=body)
    if request.method == "POST" and form.is_valid():
        try:
            actions.submit_highlight(body, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The highlight goes to the group's next agenda."))
            return redirect("meetings:group", pk=body.pk)
    return render(request, "meetings/highlight_form.html", {"group": body, "form": form})


@policies.authenticated
@require_http_methods(["GET", "POST"])
def meeting_new(request, pk):
    obj = communal.get_welfare_group(request.user, pk, need="manage")
    form = MeetingForm(request.POST or None, initial=MeetingForm.suggested(obj))
    if request.method == "POST" and form.is_valid():
        starts, ends = form.times()
        count = form.cleaned_data.get("count") or 1
        try:
            if count > 1:
                meeting = series.schedule_series(
                    obj,
                    by=request.user,
                    starts_at=starts,
                    ends_at=ends,
                    every_weeks=form.cleaned_data.get("every_weeks") or 4,
                    count=count,
                    place=form.cleaned_data["place"],
                )[0]
            else:
                meeting = actions.schedule_meeting(
                    obj,
                    by=request.user,
                    starts_at=starts,
                    ends_at=ends,
                    place=form.cleaned_data["place"],
                )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Meeting planned and its agenda assembled."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"group": obj, "form": form})


def _item_context(meeting: Meeting):
    items = meeting.items.prefetch_related("follow_ups__owner")
    open_carried = {
        f.pk: f
        for f in FollowUp.objects.filter(
            pk__in=[i.source_id for i in items if i.source == AgendaItem.Source.FOLLOW_UP]
        )
    }
    return [(i, open_carried.get(i.source_id) if i.source == "follow_up" else None) for i in items]  # type: ignore[arg-type]  # a follow_up item has its source


@policies.authenticated
@require_GET
def meeting(request, pk):
    obj = communal.get_meeting(request.user, pk)
    can = for_user(request.user)
    today = timezone.localdate()
    starts = timezone.localtime(obj.starts_at).date()
    days_to = None
    if obj.group.institution_id and starts >= today:
        days_to = working_days_between(obj.group.institution.school_calendar(), today, starts)
    items = _item_context(obj)
    if can.write_minutes(obj) and not obj.is_published:
        # The minutes are written here, item by item; the item's own page stays for the
        # warning about text that identifies a student, and for follow-ups.
        for item, _carried in items:
            item.minutes_form = MinutesForm(
                initial={
                    "minutes": item.minutes,
                    "decision": item.decision,
                    "version": obj.version,
                },
                prefix=f"item{item.pk}",
            )
            item.minutes_form.fields["minutes"].widget.attrs["rows"] = 3
    context = {
        "meeting": obj,
        "items": items,
        "can_write": can.write_minutes(obj),
        "can_manage": can.manage_welfare_group(obj.group),
        "days_to": days_to,
        "attendees_form": AttendeesForm(group=obj.group, attendees=obj.attendees),
    }
    return render(request, "meetings/meeting.html", context)


@policies.authenticated
@require_POST
def meeting_assemble(request, pk):
    obj = communal.get_meeting(request.user, pk, need="minutes")
    try:
        added = actions.assemble_agenda(obj, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Agenda updated: %(n)s new items.") % {"n": len(added)})
    return redirect("meetings:meeting", pk=obj.pk)


@policies.authenticated
@require_POST
def agenda_add(request, pk):
    obj = communal.get_meeting(request.user, pk, need="minutes")
    title = " ".join(request.POST.get("title", "").split())[:300]
    if not title:
        messages.error(request, _("Write the title of the item."))
    else:
        actions.add_agenda_item(obj, by=request.user, title=title)
        messages.success(request, _("Agenda item added."))
    return redirect("meetings:meeting", pk=obj.pk)


@policies.authenticated
@require_http_methods(["GET", "POST"])
def item_minutes(request, pk):
    """Minutes of one item. LAW.md L-14-2: a warning before saving text that identifies a student."""
    item = communal.get_agenda_item(request.user, pk)
    meeting = item.meeting
    initial = {"minutes": item.minutes, "decision": item.decision, "version": meeting.version}
    # The meeting page posts each item's form with its own prefix; this page without one.
    prefix = request.POST.get("prefix") if request.method == "POST" else None
    if prefix != f"item{item.pk}":
        prefix = None
    form = MinutesForm(request.POST or None, initial=initial, prefix=prefix)
    findings = []
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_minutes(
                item,
                by=request.user,
                minutes=form.cleaned_data["minutes"],
                decision=form.cleaned_data["decision"],
                version=form.cleaned_data["version"],
                confirmed=request.POST.get("confirm") == "1",
            )
        except actions.IdentifiesStudent as e:
            findings = e.findings
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect(f"{meeting_url(meeting)}#item-{item.pk}")
    context = {
        "item": item,
        "meeting": meeting,
        "form": form,
        "findings": findings,
        "follow_up_form": FollowUpForm(group=meeting.group),
    }
    return render(request, "meetings/item_minutes.html", context)


def meeting_url(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("meetings:meeting", args=[meeting.pk])


@policies.authenticated
@require_POST
def attendees(request, pk):
    obj = communal.get_meeting(request.user, pk, need="minutes")
    form = AttendeesForm(request.POST, group=obj.group)
    if form.is_valid():
        try:
            actions.save_attendees(obj, by=request.user, attendees=form.attendees_text())
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Attendance saved."))
    return redirect("meetings:meeting", pk=obj.pk)


@policies.authenticated
@require_POST
def follow_up_add(request, pk):
    item = communal.get_agenda_item(request.user, pk)
    form = FollowUpForm(request.POST, group=item.meeting.group)
    if form.is_valid():
        try:
            actions.add_follow_up(item, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("Follow-up added."))
    else:
        messages.error(request, _("Give the task and its due date."))
    return redirect(f"{meeting_url(item.meeting)}#item-{item.pk}")


@policies.authenticated
@require_POST
def follow_up_done(request, pk):
    fu = communal.get_follow_up(request.user, pk)
    actions.complete_follow_up(fu, by=request.user, note=request.POST.get("note", ""))
    messages.success(request, _("Follow-up marked done."))
    back = request.POST.get("meeting")
    if back and back.isdigit():
        return redirect("meetings:meeting", pk=int(back))
    return redirect("meetings:group", pk=fu.group_id)


@policies.authenticated
@require_POST
def meeting_publish(request, pk):
    obj = communal.get_meeting(request.user, pk, need="minutes")
    try:
        actions.publish_minutes(obj, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Minutes published and sent to the members."))
    return redirect("meetings:meeting", pk=obj.pk)


@policies.authenticated
@require_GET
def meeting_pdf(request, pk):
    obj = communal.get_meeting(request.user, pk)
    if not obj.is_published or not obj.minutes_pdf:
        raise Http404
    response = HttpResponse(bytes(obj.minutes_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="muistio-{obj.starts_at:%Y-%m-%d}.pdf"'
    return response
