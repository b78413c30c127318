"""The group hierarchy and the regional cooperation group (issue 20).

Groups know their parent (steering group → institution welfare group → campus groups,
seed 003). A follow-up agreed in a higher group's minutes can be sent down as an item to
the agendas of the groups below (the sender chooses which); it goes through the agenda
inbox (`inbox.propose`) and its state — open, or handled in the lower group's published
minutes — is visible above. A regional group (owned by the wellbeing county) sends its
follow-ups to the member providers' steering groups.

Rules are plain functions; each change is one transaction with its audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from opiskeluhuolto import audit
from opiskeluhuolto.organisation.models import Provider

from . import inbox
from .models import FollowUp, Group, Meeting, Proposal
from .models.audit import record

#: Kinds that may sit under another group, and the kinds that may be their parent.
PARENT_KINDS: dict[str, set[str]] = {
    Group.Kind.WELFARE: {Group.Kind.STEERING},
    Group.Kind.CAMPUS: {Group.Kind.WELFARE, Group.Kind.STEERING},
    Group.Kind.THEME: {Group.Kind.STEERING, Group.Kind.WELFARE, Group.Kind.CAMPUS},
}


def parent_problem(group: Group, parent: Group | None) -> str | None:
    """Why `parent` cannot be the parent of `group` (None when it can)."""
    if parent is None:
        return None
    if parent.provider_id != group.provider_id:
        return _("The parent group belongs to another provider.")
    if parent.kind not in PARENT_KINDS.get(group.kind, set()):
        return _("A group of this kind cannot be under a group of that kind.")
    node: Group | None = parent
    while node is not None:
        if node.pk == group.pk:
            return _("A group cannot be under itself or under a group below it.")
        node = node.parent
    return None


@transaction.atomic
def set_parent(group: Group, parent: Group | None, *, by) -> Group:
    problem = parent_problem(group, parent)
    if problem:
        raise ValidationError({"parent": problem})
    group.parent = parent
    group.save(update_fields=["parent"])
    record(by, "group.parent", group)
    return group


def lower_groups(group: Group) -> QuerySet[Group]:
    """The groups a follow-up of `group` can be sent down to: its children; for a regional
    group, the steering groups of its member providers."""
    q = Q(parent=group)
    if group.is_regional:
        q |= Q(kind=Group.Kind.STEERING, provider__in=group.member_providers.all())
    return Group.objects.filter(q).exclude(pk=group.pk).order_by("provider", "kind", "name")


@transaction.atomic
def send_down(follow_up: FollowUp, *, by, groups: list[Group]) -> list[Proposal]:
    """Put `follow_up` on the next agenda of each of `groups` (all below its group).
    Sending again to the same group changes nothing (the inbox key)."""
    if not groups:
        raise ValidationError({"groups": _("Choose at least one group below.")})
    allowed = set(lower_groups(follow_up.group).values_list("pk", flat=True))
    if any(g.pk not in allowed for g in groups):
        raise ValidationError({"groups": _("Items can be sent only to the groups below.")})
    detail = _("Sent by %(group)s, due %(due)s") % {
        "group": follow_up.group.name,
        "due": f"{follow_up.due_on:%-d.%-m.%Y}",
    }
    sent = []
    for target in groups:
        proposal = inbox.propose(
            target,
            follow_up.title,
            detail=detail,
            origin="follow_up",
            key=f"follow_up:{follow_up.pk}",
        )
        if proposal.follow_up_id != follow_up.pk:
            proposal.follow_up = follow_up
            proposal.save(update_fields=["follow_up"])
        record(by, "follow_up.send_down", proposal)
        sent.append(proposal)
    return sent


@dataclass(frozen=True)
class SentDown:
    group: Group
    handled_in: Meeting | None

    @property
    def is_open(self) -> bool:
        return self.handled_in is None


def sent_down_state(follow_ups) -> dict[int, list[SentDown]]:
    """Follow-up id → where it was sent and whether the lower group has handled it."""
    rows = Proposal.objects.filter(follow_up__in=list(follow_ups)).select_related(
        "group", "handled_in"
    )
    found: dict[int, list[SentDown]] = {}
    for p in rows.order_by("group__name"):
        found.setdefault(p.follow_up_id, []).append(SentDown(p.group, p.handled_in))  # type: ignore[arg-type]  # filtered on follow_up
    return found


# --- the regional cooperation group ------------------------------------------------------


def provider_problem(group: Group, provider: Provider) -> str | None:
    if not group.is_regional:
        return _("Only a regional cooperation group has member providers.")
    if provider.wellbeing_county_id != group.county_id:
        return _("%(provider)s is not in the wellbeing county of the group.") % {
            "provider": provider.name
        }
    return None


@transaction.atomic
def set_member_providers(group: Group, providers: list[Provider], *, by) -> None:
    """Which providers' people the regional group may have as members. The provider that
    keeps the group's record stays a member. Every change is audited (it decides who
    reads the minutes, decision 10)."""
    wanted = {p.pk: p for p in providers}
    wanted.setdefault(group.provider_id, group.provider)
    for provider in wanted.values():
        problem = provider_problem(group, provider)
        if problem:
            raise ValidationError({"providers": problem})
    current = set(group.member_providers.values_list("pk", flat=True))
    for pk in sorted(set(wanted) - current):
        group.member_providers.add(pk)
        audit.record(
            audit.Kind.WELFARE_GROUP_MEMBER_ADDED,
            group,
            by=by,
            provider_id=pk,
            after={"group": group.pk, "member_provider": pk},
        )
    for pk in sorted(current - set(wanted)):
        group.member_providers.remove(pk)
        audit.record(
            audit.Kind.WELFARE_GROUP_MEMBER_REMOVED,
            group,
            by=by,
            provider_id=pk,
            before={"group": group.pk, "member_provider": pk},
        )
    record(by, "group.member_providers", group)


def member_provider_problem(group: Group, user) -> str | None:
    """A person joins a regional group only through a member provider (or the county)."""
    if not group.is_regional:
        return None
    providers = set(group.member_providers.values_list("pk", flat=True))
    if user.role_assignments.filter(provider_id__in=providers).exists():
        return None
    return _("The person has no role at any member provider of the regional group.")
