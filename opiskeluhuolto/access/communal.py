"""Access rules for Communal welfare (issue 5): groups, annual clocks, meetings, the welfare plan, goals.

`CommunalRules` is mixed into `Permissions`: its methods read the primitives there
(`self.grants`, `self.roles_at(...)`, `self.own_student`, `self.guarded_student_ids`,
`self.user`, `self.today`). Fetch-and-check helpers and list scopes for the
same objects live in this module too, and use the same methods.

Role AND relation: working in the unit (a staff role there), being a member of
the group, or being a student or guardian at the plan's institution. External
members (Role.EXTERNAL_MEMBER) see only the groups they belong to.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access import facts
from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES, Role, Student


class CommunalRules(RulePrimitives):
    # --- primitives of this domain -------------------------------------------------
    def _inside_grants(self, provider_id: int):
        """Staff grants in the provider, external members excluded (they need a membership)."""
        return [
            g
            for g in self.grants
            if g.provider_id == provider_id and g.role != Role.EXTERNAL_MEMBER
        ]

    def _works_in(self, provider_id: int, institution_id: int | None) -> bool:
        """A staff role in the unit: provider-wide, or at this institution (or any, for a provider unit)."""
        return any(
            g.institution_id is None or institution_id is None or g.institution_id == institution_id
            for g in self._inside_grants(provider_id)
        )

    def _leads(self, provider_id: int, institution_id: int | None) -> bool:
        """Provider admin, or a principal whose unit covers the given unit."""
        if self.is_provider_admin(provider_id):
            return True
        return any(
            g.role == Role.PRINCIPAL
            and (g.institution_id is None or g.institution_id == institution_id)
            for g in self._inside_grants(provider_id)
        )

    @facts.fact
    def group_roles(self) -> dict[int, str]:
        """Welfare-group id → this person's role in it."""
        if not self.is_authenticated:
            return {}
        from opiskeluhuolto.meetings.models import Membership

        rows = Membership.objects.filter(user=self.user).order_by().values_list("group_id", "role")
        return dict(rows)

    # --- annual clocks -----------------------------------------------------------
    def view_clock(self, clock) -> bool:
        if self.is_provider_admin(clock.provider_id):
            return True
        if self._works_in(clock.provider_id, clock.institution_id):
            return True
        group_ids = set(clock.root.groups.values_list("pk", flat=True))
        return bool(group_ids & set(self.group_roles))

    def manage_clock(self, clock) -> bool:
        return self._leads(clock.provider_id, clock.institution_id)

    def adapt_clock(self, clock, institution) -> bool:
        return clock.provider_id == institution.provider_id and self._leads(
            clock.provider_id, institution.pk
        )

    # --- groups and meetings ---------------------------------------------------------
    def _regional_provider_ids(self, group) -> set[int]:
        return set(group.member_providers.values_list("pk", flat=True))

    def view_welfare_group(self, group) -> bool:
        if group.pk in self.group_roles:
            return True
        if group.kind == "regional":
            # Its members (any member provider's people), and the member providers'
            # admins; no role at a provider gives it by place (issue 20).
            return bool(self.admin_provider_ids() & self._regional_provider_ids(group))
        if self.is_provider_admin(group.provider_id):
            return True
        for g in self._inside_grants(group.provider_id):
            if group.institution_id is None:
                if g.role == Role.PRINCIPAL and g.institution_id is None:
                    return True
            elif g.institution_id is None or g.institution_id == group.institution_id:
                return True
        return False

    def manage_welfare_group(self, group) -> bool:
        """Chair or secretary of the group, its named chair, or a lead of its unit."""
        if self.group_roles.get(group.pk) in ("chair", "secretary"):
            return True
        if group.chair_id and group.chair_id == getattr(self.user, "pk", None):
            return True
        if group.kind == "regional":
            return self.is_provider_admin(group.provider_id)
        return self._leads(group.provider_id, group.institution_id)

    def view_meeting(self, meeting) -> bool:
        return self.view_welfare_group(meeting.group)

    def write_minutes(self, meeting) -> bool:
        return not meeting.is_published and self.manage_welfare_group(meeting.group)

    def submit_highlight(self, student_body) -> bool:
        """Members of a student body (Fokus, a campus forum) send highlights to welfare groups."""
        return student_body.kind == "student_body" and (
            student_body.pk in self.group_roles or self.manage_welfare_group(student_body)
        )

    # --- the welfare plan -----------------------------------------------------------
    def _plan_institution_ids(self, plan) -> set[int]:
        return set(plan.institutions.values_list("pk", flat=True))

    # A regional plan (§13a, issue 20): the regional group's members read every version
    # and its chair and secretary edit the drafts; the people of its member providers
    # read the published plan. Nobody reads it by a role at the provider keeping its record.
    def _regional_plan_member(self, plan) -> bool:
        group = plan.group
        return group.pk in self.group_roles or (
            group.chair_id is not None and group.chair_id == getattr(self.user, "pk", None)
        )

    def _member_provider_person(self, group) -> bool:
        ids = self._regional_provider_ids(group)
        return any(g.provider_id in ids and g.role != Role.EXTERNAL_MEMBER for g in self.grants)

    def _has_published(self, plan) -> bool:
        return plan.versions.filter(status__in=("published", "superseded")).exists()

    def manage_regional_plan(self, group) -> bool:
        """The chair and the secretary of the regional group (its named chair too)."""
        if group.kind != "regional":
            return False
        if self.group_roles.get(group.pk) in ("chair", "secretary"):
            return True
        return group.chair_id is not None and group.chair_id == getattr(self.user, "pk", None)

    def view_plan(self, plan) -> bool:
        if plan.kind == "regional":
            if self._regional_plan_member(plan):
                return True
            return self._member_provider_person(plan.group) and self._has_published(plan)
        if self.is_provider_admin(plan.provider_id):
            return True
        ids = self._plan_institution_ids(plan)
        return any(
            g.institution_id is None or g.institution_id in ids
            for g in self._inside_grants(plan.provider_id)
        )

    def manage_plan(self, plan) -> bool:
        if plan.kind == "regional":
            return self.manage_regional_plan(plan.group)
        return any(self._leads(plan.provider_id, i) for i in self._plan_institution_ids(plan))

    def plan_participant(self, plan) -> str | None:
        """As whom this person takes part in drafting the plan (LAW.md L-13-1), or None."""
        if plan.kind == "regional":
            # The regional group prepares its plan (§14a): its members comment.
            if not self._regional_plan_member(plan):
                return None
            roles = {g.role for g in self.grants}
            return "welfare" if roles & WELFARE_PROFESSIONAL_ROLES else "staff"
        if self.view_plan(plan):
            roles = {g.role for g in self._inside_grants(plan.provider_id)}
            return "welfare" if roles & WELFARE_PROFESSIONAL_ROLES else "staff"
        ids = self._plan_institution_ids(plan)
        if self.own_student and self.own_student.institution_id in ids:
            return "students"
        guarded = Student.objects.filter(pk__in=self.guarded_student_ids, institution_id__in=ids)
        if guarded.exists():
            return "guardians"
        return None

    def comment_plan(self, version) -> bool:
        return version.status == "comments" and self.plan_participant(version.plan) is not None

    def view_plan_version(self, version) -> bool:
        plan = version.plan
        if plan.kind == "regional":
            if self._regional_plan_member(plan):
                return True
            return version.status in ("published", "superseded") and (
                self._member_provider_person(plan.group)
            )
        return self.view_plan(plan) or self.comment_plan(version)

    def announce_services(self, institution) -> bool:
        return self._leads(institution.provider_id, institution.pk)

    # --- goals and indicators --------------------------------------------------------
    def view_indicator(self, indicator) -> bool:
        return self.is_provider_admin(indicator.provider_id) or bool(
            self._inside_grants(indicator.provider_id)
        )

    def manage_indicators(self, provider_id: int) -> bool:
        return self.is_provider_admin(provider_id)


# --- fetch-and-check helpers: the object, or Http404 for missing and forbidden alike ---


def _get(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _check(allowed: bool, obj):
    if not allowed:
        raise Http404
    return obj


def get_clock(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.annualclock.models import Clock

    clock = _get(Clock.objects.select_related("parent", "institution", "campus"), pk)
    can = for_user(user)
    return _check({"view": can.view_clock, "manage": can.manage_clock}[need](clock), clock)


def get_clock_item(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.annualclock.models import ClockItem

    item = _get(ClockItem.objects.select_related("clock", "clock__parent", "owner_group"), pk)
    can = for_user(user)
    return _check({"view": can.view_clock, "manage": can.manage_clock}[need](item.clock), item)


def get_feed_token(user, pk):
    """Only the person's own feed addresses."""
    from opiskeluhuolto.annualclock.models import FeedToken

    return _get(FeedToken.objects.filter(user_id=getattr(user, "pk", None)), pk)


def get_welfare_group(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import Group

    group = _get(Group.objects.select_related("provider", "institution", "campus", "chair"), pk)
    can = for_user(user)
    allowed = {
        "view": can.view_welfare_group,
        "manage": can.manage_welfare_group,
        "highlight": can.submit_highlight,
        "regional_plan": can.manage_regional_plan,
    }[need](group)
    return _check(allowed, group)


def get_membership(user, pk):
    """A membership of a welfare group, for those who manage that group."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import Membership

    member = _get(Membership.objects.select_related("group", "user"), pk)
    return _check(for_user(user).manage_welfare_group(member.group), member)


def get_meeting(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import Meeting

    meeting = _get(Meeting.objects.select_related("group", "group__institution"), pk)
    can = for_user(user)
    allowed = {
        "view": can.view_meeting,
        "minutes": can.write_minutes,
        "manage": lambda m: can.manage_welfare_group(m.group),
    }[need](meeting)
    return _check(allowed, meeting)


def get_agenda_item(user, pk, *, need: str = "minutes"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import AgendaItem

    item = _get(AgendaItem.objects.select_related("meeting", "meeting__group"), pk)
    can = for_user(user)
    allowed = {"view": can.view_meeting, "minutes": can.write_minutes}[need](item.meeting)
    return _check(allowed, item)


def get_follow_up(user, pk, *, need: str = "done"):
    """Marking done: its owner or the group's managers; sending it down to the groups
    below: the group's managers only."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import FollowUp

    fu = _get(FollowUp.objects.select_related("group"), pk)
    can = for_user(user)
    if need == "send":
        return _check(can.manage_welfare_group(fu.group), fu)
    mine = fu.owner_id is not None and fu.owner_id == getattr(user, "pk", None)
    return _check(mine or can.manage_welfare_group(fu.group), fu)


def get_standing_item(user, pk):
    """Raising an “as needed” item: any member or viewer of the group."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import StandingItem

    item = _get(StandingItem.objects.select_related("group"), pk)
    return _check(for_user(user).view_welfare_group(item.group), item)


def get_plan(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import WelfarePlan

    plan = _get(WelfarePlan.objects.select_related("provider", "group"), pk)
    can = for_user(user)
    return _check({"view": can.view_plan, "manage": can.manage_plan}[need](plan), plan)


def get_plan_version(user, pk, *, need: str = "view"):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import PlanVersion

    version = _get(PlanVersion.objects.select_related("plan", "plan__provider", "plan__group"), pk)
    can = for_user(user)
    allowed = {
        "view": can.view_plan_version,
        "comment": can.comment_plan,
        "manage": lambda v: can.manage_plan(v.plan),
    }[need](version)
    return _check(allowed, version)


def get_plan_section(user, pk):
    """A section to edit: only the plan's managers."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import PlanSection

    section = _get(
        PlanSection.objects.select_related("version", "version__plan", "version__plan__group"), pk
    )
    return _check(for_user(user).manage_plan(section.version.plan), section)


def get_plan_reference(user, pk):
    """A reference of a regional plan's version to remove: only the plan's managers."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import PlanReference

    reference = _get(
        PlanReference.objects.select_related("version", "version__plan", "version__plan__group"),
        pk,
    )
    return _check(for_user(user).manage_plan(reference.version.plan), reference)


def get_institution_to_announce(user, pk):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.organisation.models import Institution

    institution = _get(Institution.objects.select_related("provider"), pk)
    return _check(for_user(user).announce_services(institution), institution)


def get_indicator(user, pk):
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import Indicator

    indicator = _get(Indicator.objects.all(), pk)
    return _check(for_user(user).view_indicator(indicator), indicator)


# --- list scopes, kept in step with the predicates above by a consistency test ---


def clocks_visible_to(user) -> QuerySet:
    """Root clocks (adaptations are reached through their root)."""
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.annualclock.models import Clock

    can = for_user(user)
    if not can.is_authenticated:
        return Clock.objects.none()
    q = Q(provider_id__in=can.admin_provider_ids()) | Q(groups__in=list(can.group_roles))
    for g in can.grants:
        if g.role == Role.EXTERNAL_MEMBER:
            continue
        if g.institution_id is None:
            q |= Q(provider_id=g.provider_id)
        else:
            q |= Q(provider_id=g.provider_id, institution__isnull=True) | Q(
                institution_id=g.institution_id
            )
    return Clock.objects.roots().filter(q).distinct()


def welfare_groups_visible_to(user) -> QuerySet:
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import Group

    can = for_user(user)
    if not can.is_authenticated:
        return Group.objects.none()
    admin_ids = can.admin_provider_ids()
    q = Q(provider_id__in=admin_ids)
    for g in can.grants:
        if g.role == Role.EXTERNAL_MEMBER:
            continue
        if g.institution_id is None:
            q |= Q(provider_id=g.provider_id, institution__isnull=False)
            if g.role == Role.PRINCIPAL:
                q |= Q(provider_id=g.provider_id, institution__isnull=True)
        else:
            q |= Q(institution_id=g.institution_id)
    # A regional group: its members and the member providers' admins, never by place.
    q = (q & ~Q(kind="regional")) | Q(kind="regional", member_providers__in=admin_ids)
    q |= Q(pk__in=list(can.group_roles))
    return Group.objects.filter(q).distinct()


def plans_visible_to(user) -> QuerySet:
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import WelfarePlan

    can = for_user(user)
    if not can.is_authenticated:
        return WelfarePlan.objects.none()
    q = Q(provider_id__in=can.admin_provider_ids())
    for g in can.grants:
        if g.role == Role.EXTERNAL_MEMBER:
            continue
        if g.institution_id is None:
            q |= Q(provider_id=g.provider_id)
        else:
            q |= Q(provider_id=g.provider_id, institutions=g.institution_id)
    # A regional plan: the regional group's members; the member providers' people once a
    # version is published. Never by a role at the provider keeping its record.
    member_of = [g.provider_id for g in can.grants if g.role != Role.EXTERNAL_MEMBER]
    q = (
        (q & ~Q(kind="regional"))
        | Q(kind="regional", group__in=list(can.group_roles))
        | Q(kind="regional", group__chair_id=can.user.pk)
        | Q(
            kind="regional",
            group__member_providers__in=member_of,
            versions__status__in=("published", "superseded"),
        )
    )
    return WelfarePlan.objects.filter(q).distinct()


def indicators_visible_to(user) -> QuerySet:
    from opiskeluhuolto.access.permissions import for_user
    from opiskeluhuolto.meetings.models import Indicator

    can = for_user(user)
    ids = {g.provider_id for g in can.grants if g.role != Role.EXTERNAL_MEMBER}
    return Indicator.objects.filter(provider_id__in=ids | set(can.admin_provider_ids()))
