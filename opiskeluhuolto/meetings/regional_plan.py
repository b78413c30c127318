"""The wellbeing county's regional welfare plan (§13a, LAW.md §0.1), issue 20.

The same plan, versions, comments and publication as the provider's plan (`plans.py`):
a plan of kind "regional" owned by the county's regional cooperation group (§14a), with
the sections §13a requires. It is built on the member providers' plans and the
municipal wellbeing plans: each version lists them as references (a link, and the goals
the regional plan shares with them). Communal content only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Group, PlanReference, PlanSection, PlanVersion, WelfarePlan
from .models.audit import record
from .models.plans import REGIONAL_SECTIONS


@transaction.atomic
def create_regional_plan(
    group: Group, *, by, title: str, review_interval_months: int = 48
) -> WelfarePlan:
    """The regional plan of `group`, with its first draft and the sections of §13a."""
    if not group.is_regional:
        raise ValidationError(_("Only a regional cooperation group has a regional plan."))
    if WelfarePlan.objects.filter(group=group).exists():
        raise ValidationError(_("The group already has a regional plan."))
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Give the plan a title.")})
    plan = WelfarePlan.objects.create(
        kind=WelfarePlan.Kind.REGIONAL,
        group=group,
        provider_id=group.provider_id,
        title=title,
        review_interval_months=review_interval_months,
    )
    version = PlanVersion.objects.create(
        plan=plan, number=1, status=PlanVersion.Status.DRAFT, created_by=by
    )
    PlanSection.objects.bulk_create(
        PlanSection(version=version, key=key, title=str(label), order=n, is_statutory=True)
        for n, (key, label) in enumerate(REGIONAL_SECTIONS)
    )
    record(by, "plan.create", plan)
    return plan


def member_plans(plan: WelfarePlan):
    """The welfare plans of the member providers a regional plan can refer to."""
    if plan.group is None:
        return WelfarePlan.objects.none()
    return WelfarePlan.objects.filter(
        kind=WelfarePlan.Kind.INSTITUTION,
        provider__in=plan.group.member_providers.all(),
    ).select_related("provider")


def _editable(version: PlanVersion) -> PlanVersion:
    locked = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if not locked.is_editable:
        raise ValidationError(
            _("This version is approved and cannot be changed. Start a new draft to edit the plan.")
        )
    if not locked.plan.is_regional:
        raise ValidationError(_("Only a regional plan refers to other plans."))
    return locked


@transaction.atomic
def add_reference(
    version: PlanVersion,
    *,
    by,
    kind: str,
    plan: WelfarePlan | None = None,
    title: str = "",
    url: str = "",
    shared_goals: Sequence[str] = (),
) -> PlanReference:
    """Refer to a member provider's plan (`plan`) or to a municipal wellbeing plan (`title`
    and `url`), with the goals the regional plan shares with it."""
    version = _editable(version)
    goals = "\n".join(g.strip() for g in shared_goals if g.strip())
    if kind == PlanReference.Kind.PROVIDER_PLAN:
        if plan is None or not member_plans(version.plan).filter(pk=plan.pk).exists():
            raise ValidationError({"plan": _("Choose the plan of a member provider.")})
        if version.references.filter(plan=plan).exists():
            raise ValidationError({"plan": _("The plan already refers to that plan.")})
        title = f"{plan.provider.name}: {plan.title}"
        url = ""
    elif kind == PlanReference.Kind.MUNICIPAL:
        title = " ".join(title.split())
        if not title or not url:
            raise ValidationError(
                {"title": _("Give the title and the address of the municipal wellbeing plan.")}
            )
        plan = None
    else:
        raise ValidationError({"kind": _("Choose the kind of the reference.")})
    reference = PlanReference(
        version=version,
        kind=kind,
        plan=plan,
        title=title[:300],
        url=url,
        shared_goals=goals,
        order=version.references.count(),
    )
    reference.full_clean()
    reference.save()
    record(by, "plan.reference.add", reference)
    return reference


@transaction.atomic
def remove_reference(reference: PlanReference, *, by) -> None:
    _editable(reference.version)
    record(by, "plan.reference.remove", reference)
    reference.delete()


def reference_link(reference: PlanReference) -> str:
    """Where a reference points: a member provider's plan through its public page (the
    approved plan is public, L-13-3; nothing of the provider's own pages), a municipal plan
    through its address. Empty when the provider's plan has no published version."""
    if reference.kind == PlanReference.Kind.MUNICIPAL:
        return reference.url
    plan = reference.plan
    if plan is None or not plan.versions.filter(status=PlanVersion.Status.PUBLISHED).exists():
        return ""
    institution = plan.institutions.order_by("name").first()
    if institution is None:
        return ""
    return reverse("meetings:plan_public", args=[institution.pk])


@dataclass(frozen=True)
class SharedGoal:
    goal: str
    shared_with: list[str]


def shared_goals(references: Sequence[PlanReference]) -> list[SharedGoal]:
    """Each goal of the references once (compared without case and extra spaces), with the
    plans that share it, the goals shared by most plans first."""
    found: dict[str, SharedGoal] = {}
    for reference in references:
        for goal in reference.goals:
            key = " ".join(goal.casefold().split())
            entry = found.setdefault(key, SharedGoal(goal, []))
            if reference.title not in entry.shared_with:
                entry.shared_with.append(reference.title)
    return sorted(found.values(), key=lambda g: (-len(g.shared_with), g.goal.casefold()))
