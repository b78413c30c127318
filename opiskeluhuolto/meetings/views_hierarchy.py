"""The group hierarchy on the group page, sending follow-ups down, and the member
providers of a regional cooperation group and its regional plan (issue 20)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import communal, policies
from opiskeluhuolto.organisation.models import Provider

from . import hierarchy
from .models import FollowUp, Group


def hierarchy_context(group: Group, follow_ups: list[FollowUp], *, can_manage: bool) -> dict:
    """Parent, the groups below; each open follow-up gets `sent_down_to`: where it was sent
    down and whether the group there has handled it."""
    sent = hierarchy.sent_down_state(follow_ups)
    for f in follow_ups:
        f.sent_down_to = sent.get(f.pk, [])  # type: ignore[attr-defined]  # for the template
    context: dict = {
        "parent": group.parent,
        "lower_groups": list(hierarchy.lower_groups(group).select_related("provider")),
        "can_send_down": can_manage,
    }
    if group.is_regional:
        context["member_providers"] = list(group.member_providers.order_by("name"))
        if can_manage:
            context["county_providers"] = list(
                Provider.objects.filter(wellbeing_county_id=group.county_id).order_by("name")
            )
    return context


def regional_plan_context(group, can) -> dict:
    """The regional group's plan (§13a) on its page, if this person may read it."""
    if not group.is_regional:
        return {}
    plan = group.regional_plans.select_related("group").first()
    return {
        "regional_plan": plan if plan is not None and can.view_plan(plan) else None,
        "can_plan": plan is None and can.manage_regional_plan(group),
    }


def _ids(values: list[str]) -> list[int] | None:
    if not all(v.isdigit() for v in values):
        return None
    return [int(v) for v in values]


@policies.authenticated
@require_POST
def follow_up_send_down(request, pk):
    fu = communal.get_follow_up(request.user, pk, need="send")
    ids = _ids(request.POST.getlist("groups"))
    if ids is None:
        return HttpResponseBadRequest(_("Choose the groups from the list."))
    targets = list(Group.objects.filter(pk__in=ids))
    try:
        hierarchy.send_down(fu, by=request.user, groups=targets)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The follow-up was sent to the agendas of the groups below."))
    return redirect("meetings:group", pk=fu.group_id)


@policies.authenticated
@require_POST
def member_providers(request, pk):
    group = communal.get_welfare_group(request.user, pk, need="manage")
    ids = _ids(request.POST.getlist("providers"))
    if ids is None or not group.is_regional:
        return HttpResponseBadRequest(_("Choose the providers from the list."))
    try:
        hierarchy.set_member_providers(
            group, list(Provider.objects.filter(pk__in=ids)), by=request.user
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Member providers saved."))
    return redirect("meetings:group", pk=group.pk)
