"""A procedure's settings page (the procedure it adapts, audience, followers, must-know roles, the responsible
person, follow-up and reminder days), for whoever manages the procedure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opiskeluhuolto.access import policies
from opiskeluhuolto.access.roles import SCHOOL_STAFF_ROLES
from opiskeluhuolto.lib.forms import apply_errors
from opiskeluhuolto.organisation.models import Role

from . import configuring
from .forms import SettingsForm
from .views_versions import _managed_procedure


@policies.school_staff
def procedure_settings(request, pk: int):
    procedure = _managed_procedure(request.user, pk)
    groups = configuring.follower_groups(procedure)
    people = configuring.responsible_candidates(procedure)
    adaptable = {p.pk: p for p in configuring.adaptable_procedures(procedure, request.user)}
    current = procedure.adapts
    if current is not None and configuring.adapt_error(procedure, current) is None:
        # Kept as a choice even if this person cannot read it (its title shows on the
        # procedure's page anyway): saving the other settings never drops it silently.
        adaptable.setdefault(current.pk, current)
    form = SettingsForm(
        request.POST or None,
        adaptable=[(p.pk, f"{p.title} ({p.unit})") for p in adaptable.values()],
        groups=[(g.pk, str(g)) for g in groups],
        roles=[(r.value, r.label) for r in Role if r in SCHOOL_STAFF_ROLES],
        people=[(u.pk, u.display_name) for u in people],
        initial={
            "adapts": procedure.adapts_id,
            "audience": procedure.audience,
            "followers": list(procedure.followers.values_list("pk", flat=True)),
            "must_know_roles": procedure.must_know_roles,
            "responsible": procedure.responsible_id,
            "follow_up_days": procedure.follow_up_days,
            "review_remind_days": procedure.review_remind_days,
            "lock": procedure.settings_lock,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            configuring.change_settings(
                procedure,
                by=request.user,
                lock=data["lock"],
                adapts=adaptable.get(data["adapts"]) if data["adapts"] is not None else None,
                audience=data["audience"],
                followers=list(groups.filter(pk__in=data["followers"])),
                must_know_roles=data["must_know_roles"],
                responsible=people.filter(pk=data["responsible"]).first()
                if data["responsible"] is not None
                else None,
                follow_up_days=data["follow_up_days"],
                review_remind_days=data["review_remind_days"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("procedures:detail", pk=procedure.pk)
    return render(request, "procedures/settings_form.html", {"procedure": procedure, "form": form})
