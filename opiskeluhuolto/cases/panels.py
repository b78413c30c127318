"""Home panels and navigation for individual welfare and the register (UX.md)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.front.registry import home_panel, nav_item

from .models import Referral
from .status import with_deadlines


def _my_cases(request, can) -> dict:
    cases = (
        access.member_cases(request.user)
        .open()
        .select_related("student")
        .order_by("next_follow_up_on", "pk")[:10]
    )
    referrals = access.referrals_visible_to(request.user).filter(status=Referral.Status.OPEN)
    if not can.is_welfare_professional:
        referrals = referrals.none()
    return {
        "cases": cases,
        "referrals": with_deadlines(
            referrals.exclude(referred_by=request.user)
            .select_related("student", "institution")
            .order_by("received_on")[:10],
            can.today,
        ),
        "today": can.today,
    }


def _my_matters(request, can) -> dict:
    visible = access.cases_visible_to(request.user).select_related("student")
    return {"cases": visible.order_by("-opened_on", "-pk")[:10], "is_student": can.is_student}


def _register(request, can) -> dict:
    return {}


home_panel(
    "cases_mine",
    "cases/panels/my_cases.html",
    lambda can: can.is_welfare_professional or bool(can.member_case_ids),
    _my_cases,
    order=15,
)
home_panel(
    "cases_refer",
    "cases/panels/refer.html",
    # An external group member has no student directory to refer from (L-16-1).
    lambda can: can.is_school_staff,
    order=35,
)
home_panel(
    "cases_my_matters",
    "cases/panels/my_matters.html",
    # A guardian reads each child's matters in the guardian's home (front: "Ainon asiat").
    lambda can: can.is_student,
    _my_matters,
    order=25,
)
home_panel(
    "records_register",
    "cases/panels/register.html",
    lambda can: can.is_register_admin(),
    _register,
    order=32,
)

nav_item(
    _("Welfare matters"),
    "cases:index",
    lambda can: can.is_staff_member or can.is_student or can.is_guardian,
    order=20,
)
nav_item(
    _("Who has read my data"),
    "records:my_log",
    lambda can: can.is_student or can.is_guardian,
    order=25,
)
nav_item(_("Access log"), "records:access_log", lambda can: can.is_register_admin(), order=90)
nav_item(_("Access review"), "records:access_review", lambda can: can.is_provider_admin(), order=91)
