"""The regional plan's assessed need links to the comparison of the member providers'
indicators (through the plan's seam, `meetings.section_links`; meetings never imports
insights)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from opiskeluhuolto.meetings import section_links


def plan_links(plan) -> dict[str, list[tuple[str, str]]]:
    if not getattr(plan, "is_regional", False):
        return {}
    url = reverse("insights:regional_comparison", args=[plan.pk])
    return {"need": [(_("The member providers' indicators compared"), url)]}


def register() -> None:
    section_links.register_for_plan("insights", plan_links)
