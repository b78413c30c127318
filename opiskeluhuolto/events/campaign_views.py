"""Pages of campaigns: a theme week of several events (create, view with its events)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opiskeluhuolto.access import communication, for_user, policies

from . import actions
from .forms import CampaignForm
from .models import Campaign, Registration
from .views import _language, _provider_id


@policies.staff
@require_http_methods(["GET", "POST"])
def new(request):
    provider_id = _provider_id(request)
    form = CampaignForm(request.POST or None, provider_id=provider_id)
    if request.method == "POST" and form.is_valid():
        campaign = form.save(commit=False)
        campaign.provider_id = provider_id
        try:
            if not for_user(request.user).manage_campaign(campaign):
                raise ValidationError(
                    {"organiser": _("You do not organise campaigns for this unit.")}
                )
            actions.save_campaign(campaign, by=request.user, campuses=form.cleaned_data["campuses"])
        except ValidationError as e:
            for field, errors in e.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("events:campaign", campaign.pk)
    return render(request, "events/campaign_form.html", {"form": form})


@policies.authenticated
@require_GET
def campaign(request, pk):
    obj: Campaign = communication.get_campaign(request.user, pk)
    lang = _language()
    events = list(
        communication.events_visible_to(request.user).filter(campaign=obj).order_by("starts_at")
    )
    mine = dict(
        Registration.objects.filter(
            user=request.user, event__in=[e.pk for e in events]
        ).values_list("event_id", "status")
    )
    for e in events:
        e.title = e.title_in(lang)
        e.my_status = mine.get(e.pk)
    return render(
        request,
        "events/campaign.html",
        {
            "campaign": obj,
            "name": obj.name_in(lang),
            "description": obj.description_in(lang),
            "campuses": list(obj.campuses.order_by("name")),
            "events": events,
            "manage": for_user(request.user).manage_campaign(obj),
        },
    )
