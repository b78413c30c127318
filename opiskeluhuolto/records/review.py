"""The provider admin's periodic access review (LAW.md L-906-4): who can read which open
cases of the provider, and why.

Two grounds give staff access to a case: a current expert-group membership (on a
consent naming the person, while they hold a role at the institution), and register
administration (the register responsible person, or the role the provider named). The
student and the guardian of a minor see their own matters; they are not staff access and
are not listed. Students' names are not shown: the review is about the staff's rights.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Q

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.cases.models import Case, ExpertGroupMembership
from opiskeluhuolto.organisation.models import Provider, Role, RoleAssignment

PER_PAGE = 100


@dataclass(frozen=True)
class RegisterAdmin:
    provider: Provider
    person: User
    ground: str  # "responsible" or the role's label


def register_admins(provider_ids, today: date) -> list[RegisterAdmin]:
    """Who administers each provider's register today (they may open every case of it)."""
    labels = dict(Role.choices)
    result = []
    for p in Provider.objects.filter(pk__in=provider_ids).select_related("register_responsible"):
        if p.register_responsible:
            result.append(RegisterAdmin(p, p.register_responsible, "responsible"))
        if p.register_admin_role:
            holders = (
                RoleAssignment.objects.filter(
                    provider=p, institution__isnull=True, role=p.register_admin_role
                )
                .valid_on(today)
                .select_related("user")
                .order_by("user__last_name", "user__first_name")
            )
            for a in holders:
                result.append(RegisterAdmin(p, a.user, str(labels[p.register_admin_role])))
    return result


def memberships_page(provider_ids, today: date, page_number) -> Page:
    """The open memberships of the providers' open cases, by person, a page at a time. Each
    row says whether it gives access today (`has_access`: False when the person's role
    at the institution has ended) and the person's current roles there (`roles`)."""
    rows = (
        ExpertGroupMembership.objects.open_on(today)
        .filter(case__status=Case.Status.OPEN, case__institution__provider_id__in=provider_ids)
        .select_related("user", "case__institution", "consent")
        .order_by("user__last_name", "user__first_name", "case_id", "pk")
    )
    page = Paginator(rows, PER_PAGE).get_page(page_number)
    members = list(page.object_list)
    with_access = set(
        ExpertGroupMembership.objects.filter(pk__in=[m.pk for m in members])
        .active_on(today)
        .values_list("pk", flat=True)
    )
    assignments = RoleAssignment.objects.filter(
        user_id__in={m.user_id for m in members}, provider_id__in=provider_ids
    ).valid_on(today)
    labels = dict(Role.choices)
    roles: dict[tuple[int, int | None], list[str]] = {}
    for a in assignments:
        roles.setdefault((a.user_id, a.institution_id), []).append(str(labels[a.role]))
    for m in members:
        m.has_access = m.pk in with_access
        m.roles = sorted(
            set(
                roles.get((m.user_id, m.case.institution_id), []) + roles.get((m.user_id, None), [])
            )
        )
    page.object_list = members
    return page


def ended_roles_with_open_memberships(provider_ids, today: date) -> int:
    """How many open memberships of open cases no longer give access (role ended)."""
    rows = ExpertGroupMembership.objects.filter(
        Q(case__status=Case.Status.OPEN), Q(case__institution__provider_id__in=provider_ids)
    )
    return rows.without_role_on(today).count()
