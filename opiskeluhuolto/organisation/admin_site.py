"""What a provider admin may change in the Django admin: the "Provider admins" group.

Assigning the provider-admin role grants it (`actions.assign_role`); which rows of those
models the admin sees is decided in `access.admin_scoping`.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

ADMIN_GROUP = "Provider admins"
# app label → models the provider admin may change (all others of the label: view only).
CHANGEABLE = {
    "accounts": {"user"},
    "organisation": {
        "wellbeingcounty",
        "provider",
        "institution",
        "campus",
        "schoolyear",
        "calendarperiod",
        "studentgroup",
        "student",
        "guardianship",
        "roleassignment",
    },
    "imports": {"markcode"},
    "insights": {"warningrule", "warningstep"},
    "records": set(),  # retention classes apply to the whole installation: operators only
}


def admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=ADMIN_GROUP)
    perms = Permission.objects.filter(content_type__app_label__in=CHANGEABLE).select_related(
        "content_type"
    )
    allowed = [
        p
        for p in perms
        if p.codename.startswith("view_")
        or p.content_type.model in CHANGEABLE[p.content_type.app_label]
    ]
    group.permissions.set(allowed)
    return group


def grant_admin_site(user) -> None:
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(admin_group())
