"""Home panels (UX.md): the principal's welfare group meeting and plan status; members' groups."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.front.registry import home_panel, nav_item, public_section
from opiskeluhuolto.organisation.models import Role


def _next_meeting_context(request, can):
    from opiskeluhuolto.access import communal

    from .models import AgendaItem, Group, Meeting

    groups = communal.welfare_groups_visible_to(request.user)
    mine = [gid for gid in can.group_roles]
    # The principal's own welfare group first: one they belong to, else their unit's.
    meetings = (
        Meeting.objects.filter(
            group__in=groups,
            group__kind__in=[Group.Kind.WELFARE, Group.Kind.CAMPUS, Group.Kind.STEERING],
        )
        .upcoming(can.today)
        .select_related("group")
        .prefetch_related(Prefetch("items", queryset=AgendaItem.objects.order_by("order")))
    )
    meeting = next((m for m in meetings[:20] if m.group_id in mine), None) or meetings.first()
    return {"meeting": meeting, "plans": _plan_rows(request, can)}


def _plan_rows(request, can):
    from opiskeluhuolto.access import communal

    rows = []
    for plan in communal.plans_visible_to(request.user).prefetch_related("versions")[:5]:
        versions = list(plan.versions.all())
        published = next((v for v in versions if v.status == "published"), None)
        draft = next((v for v in versions if v.is_editable), None)
        if draft is not None and plan.is_regional and not can.view_plan_version(draft):
            draft = None  # a regional plan's draft is its group's (member providers: published)
        rows.append((plan, published, draft, plan.review_due(can.today)))
    return rows


def _my_groups_context(request, can):
    from .models import Group, Meeting

    groups = Group.objects.filter(pk__in=list(can.group_roles)).select_related(
        "campus", "institution"
    )
    nxt = {}
    for m in Meeting.objects.filter(group__in=groups).upcoming(can.today):
        nxt.setdefault(m.group_id, m)
    return {"rows": [(g, can.group_roles[g.pk], nxt.get(g.pk)) for g in groups]}


def _public_plan(request, institution):
    from .plans import published_version

    return {"institution": institution, "version": published_version(institution)}


home_panel(
    "welfare_group_meeting",
    "meetings/panels/next_meeting.html",
    lambda can: can.has_role(Role.PRINCIPAL, Role.PROVIDER_ADMIN),
    _next_meeting_context,
    order=15,
)
home_panel(
    "my_welfare_groups",
    "meetings/panels/my_groups.html",
    lambda can: bool(can.group_roles),
    _my_groups_context,
    order=35,
)
nav_item(
    _("Welfare groups"),
    "meetings:groups",
    lambda can: can.is_staff_member or bool(can.group_roles),
    order=55,
)
public_section("welfare_plan", "meetings/_public_plan.html", _public_plan, order=50)
