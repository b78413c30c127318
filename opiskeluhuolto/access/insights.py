"""Access rules for Knowledge-based management (issue 6): imports, early warning, care-conversation tasks, dashboards.

`InsightRules` is mixed into `Permissions`: its methods read the primitives there
(`self.grants`, `self.roles_at(...)`, `self.own_student`, `self.guarded_student_ids`,
`self.user`, `self.today`). Fetch-and-check helpers and list scopes for the
same objects live in this module too, and use the same methods.

Who sees what (issue 6, PRODUCT.md §5):
- rehtori / principal: the aggregates of their units (an institution, or only
  their campus when the role is tied to one); small cells hidden.
- welfare professionals, study counsellors, special-needs teachers: the same aggregates.
- provider admin: the aggregates of every institution of the provider, and the imports.
- group supervisor: the individuals of their own group (its early-warning list and the
  care-conversation tasks), nothing of other groups.
Absence data is student administration, not the welfare register (LAW.md L-ABS-6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES, Role

if TYPE_CHECKING:
    from opiskeluhuolto.imports.models import ImportRun
    from opiskeluhuolto.insights.models import CareTask, CareTaskQuerySet
    from opiskeluhuolto.organisation.models import Institution, StudentGroup

#: Roles that read the absence dashboards (aggregates only) in their units.
AGGREGATE_ROLES = frozenset(
    {Role.PRINCIPAL, Role.STUDY_COUNSELLOR, Role.SPECIAL_NEEDS_TEACHER} | WELFARE_PROFESSIONAL_ROLES
)


@dataclass(frozen=True)
class DashboardScope:
    """The units whose aggregates a person may read: whole institutions and single campuses."""

    institution_ids: frozenset[int]
    campus_ids: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.institution_ids or self.campus_ids)

    def covers(self, institution_id: int, campus_id: int | None) -> bool:
        return institution_id in self.institution_ids or campus_id in self.campus_ids


class InsightRules(RulePrimitives):
    # --- dashboards -------------------------------------------------------
    def dashboard_scope(self) -> DashboardScope:
        from opiskeluhuolto.organisation.models import Institution

        institutions: set[int] = set()
        campuses: set[int] = set()
        admin_providers = self.admin_provider_ids()
        if admin_providers:
            institutions |= set(
                Institution.objects.filter(provider_id__in=admin_providers).values_list(
                    "pk", flat=True
                )
            )
        for g in self.grants:
            if g.role not in AGGREGATE_ROLES:
                continue
            if g.institution_id is None:
                institutions |= set(
                    Institution.objects.filter(provider_id=g.provider_id).values_list(
                        "pk", flat=True
                    )
                )
            elif g.campus_id is None:
                institutions.add(g.institution_id)
            else:
                campuses.add(g.campus_id)
        return DashboardScope(frozenset(institutions), frozenset(campuses))

    def view_dashboard(self) -> bool:
        return bool(self.grants) and (
            self.is_provider_admin() or any(g.role in AGGREGATE_ROLES for g in self.grants)
        )

    # --- individuals of a group -----------------------------------------------
    def view_group_absences(self, group: StudentGroup) -> bool:
        """Names and hours of single students: only the group's own supervisor."""
        return self.is_authenticated and group.supervisor_id == self.user.pk

    def supervised_group_ids(self) -> frozenset[int]:
        if not self.is_authenticated:
            return frozenset()
        return frozenset(self.user.supervised_groups.values_list("pk", flat=True))

    # --- care-conversation tasks ---------------------------------------------
    def view_care_task(self, task: CareTask) -> bool:
        if not self.is_authenticated:
            return False
        if task.assignee_id == self.user.pk:
            return True
        group = task.student.group
        return bool(group and group.supervisor_id == self.user.pk)

    def act_on_care_task(self, task: CareTask) -> bool:
        return self.view_care_task(task)

    # --- imports -----------------------------------------------------------
    def manage_imports(self, institution: Institution) -> bool:
        return self.is_provider_admin(institution.provider_id)


def care_tasks_visible_to(user) -> CareTaskQuerySet:
    """The tasks `view_care_task` allows, as a queryset (the consistency test checks both)."""
    from opiskeluhuolto.insights.models import CareTask

    from .permissions import for_user

    can = for_user(user)
    if not can.is_authenticated:
        return CareTask.objects.none()
    return CareTask.objects.filter(Q(assignee=user) | Q(student__group__supervisor=user))


def get_dashboard_scope(user) -> DashboardScope:
    """What the user's dashboards cover, or Http404 without dashboard rights: the one check
    behind the dashboard pages and the dashboard API."""
    from .permissions import for_user

    can = for_user(user)
    if not can.view_dashboard():
        raise Http404
    return can.dashboard_scope()


def get_care_task(user, pk, *, need: str = "view") -> CareTask:
    """The task, or Http404 for missing and forbidden alike."""
    from opiskeluhuolto.insights.models import CareTask

    from .permissions import for_user

    try:
        task = CareTask.objects.select_related(
            "student", "student__group", "student__institution", "step", "step__rule"
        ).get(pk=pk)
    except (CareTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    can = for_user(user)
    check = {"view": can.view_care_task, "act": can.act_on_care_task}[need]
    if not check(task):
        raise Http404
    return task


def get_absence_group(user, pk) -> StudentGroup:
    """A group whose individual absences the user may see (its supervisor), else Http404."""
    from opiskeluhuolto.organisation.models import StudentGroup

    from .permissions import for_user

    try:
        group = StudentGroup.objects.select_related("institution", "campus").get(pk=pk)
    except (StudentGroup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not for_user(user).view_group_absences(group):
        raise Http404
    return group


def import_runs_visible_to(user) -> QuerySet[ImportRun]:
    from opiskeluhuolto.imports.models import ImportRun

    from .permissions import for_user

    return ImportRun.objects.for_providers(for_user(user).admin_provider_ids())


def import_institutions(user) -> QuerySet[Institution]:
    from opiskeluhuolto.organisation.models import Institution

    from .permissions import for_user

    return Institution.objects.filter(provider_id__in=for_user(user).admin_provider_ids())


def get_import_run(user, pk) -> ImportRun:
    from opiskeluhuolto.imports.models import ImportRun

    try:
        run = ImportRun.objects.select_related("institution").get(pk=pk)
    except (ImportRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    from .permissions import for_user

    if not for_user(user).manage_imports(run.institution):
        raise Http404
    return run
