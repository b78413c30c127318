"""Pages of announcements: my inbox and what I write, the editor, preview and send, reading."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from opiskeluhuolto.access import communication, for_user, policies
from opiskeluhuolto.organisation.models import Institution

from . import actions, audience, sending
from .forms import AnnouncementForm, SendForm
from .models import Announcement, Delivery


def _language() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in ("fi", "sv", "en") else "fi"


@policies.authenticated
@require_GET
def index(request):
    can = for_user(request.user)
    received = (
        Delivery.objects.filter(user=request.user, announcement__status__in=["sending", "sent"])
        .select_related("announcement")
        .order_by("-announcement__sent_at")[:100]
    )
    written = (
        communication.announcements_managed_by(request.user).order_by("-created_at")[:100]
        if can.write_announcements() or can.organiser_group_ids()
        else []
    )
    return render(
        request,
        "announcements/index.html",
        {
            "received": received,
            "written": written,
            "can_write": can.write_announcements(),
            "language": _language(),
        },
    )


def _provider_id(request) -> int:
    can = for_user(request.user)
    ids = sorted(g.provider_id for g in can.grants if g.role in communication.WRITER_ROLES)
    if not ids:
        from django.http import Http404

        raise Http404
    return ids[0]


def _save(request, form, instance: Announcement):
    if request.method == "POST" and form.is_valid():
        a = form.save(commit=False)
        try:
            actions.save_draft(a, by=request.user, campuses=form.cleaned_data["campuses"])
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, errors in e.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, e)
        else:
            if not communication.get_announcement(request.user, a.pk, need="manage"):
                raise AssertionError  # pragma: no cover  (get_announcement raises)
            messages.success(request, _("Draft saved."))
            return redirect("announcements:send", a.pk)
    return None


@policies.staff
@require_http_methods(["GET", "POST"])
def new(request):
    provider_id = _provider_id(request)
    instance = Announcement(provider_id=provider_id)
    form = AnnouncementForm(
        request.POST or None, instance=instance, provider_id=provider_id, user=request.user
    )
    done = _save(request, form, instance)
    return done or render(request, "announcements/form.html", {"form": form})


@policies.authenticated
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    a = communication.get_announcement(request.user, pk, need="manage")
    form = AnnouncementForm(
        request.POST or None, instance=a, provider_id=a.provider_id, user=request.user
    )
    done = _save(request, form, a)
    return done or render(request, "announcements/form.html", {"form": form, "announcement": a})


@policies.authenticated
@require_http_methods(["GET", "POST"])
def send(request, pk):
    """The preview in every language, the personal-data check, and sending or scheduling."""
    a = communication.get_announcement(request.user, pk, need="manage")
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.schedule(
                a,
                by=request.user,
                send_at=form.cleaned_data["send_at"],
                confirmed=form.cleaned_data["confirmed"],
                defer=True,
            )
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                for field, errors in e.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, e)
        else:
            messages.success(request, _("The announcement is on its way."))
            return redirect("announcements:send", a.pk)
    count = audience.recipients(a, timezone.localdate()).count()
    stats = {
        s: a.deliveries.filter(email_status=s).count()
        for s in ("pending", "sent", "failed", "bounced", "none")
    }
    problems = (
        a.deliveries.filter(email_status__in=["failed", "bounced"])
        .select_related("user")
        .order_by("email_status", "pk")[:50]
    )
    return render(
        request,
        "announcements/send.html",
        {
            "announcement": a,
            "form": form,
            "previews": actions.previews(a),
            "warnings": actions.personal_data_warnings(a),
            "audience": audience.describe(a),
            "count": count,
            "stats": stats,
            "problems": problems,
            "read": a.deliveries.filter(read_at__isnull=False).count(),
        },
    )


@policies.authenticated
@require_GET
def read(request, pk):
    a = communication.get_announcement(request.user, pk)
    delivery = Delivery.objects.filter(announcement=a, user=request.user).first()
    if delivery is not None:
        actions.mark_read(delivery)
    lang = delivery.language if delivery and request.GET.get("lang") is None else _language()
    return render(
        request,
        "announcements/read.html",
        {"announcement": a, "title": a.title_in(lang), "body": a.body_in(lang)},
    )


@policies.public("the unsubscribe link of a newsletter works from the e-mail, without signing in")
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    found = sending.read_unsubscribe_token(token)
    if found is None:
        return render(request, "announcements/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        actions.unsubscribe(*found)
        done = True
    return render(request, "announcements/unsubscribe.html", {"done": done})


def public_archive(institution) -> list[Announcement]:
    """Public announcements of the institution, and the provider's that name no institution."""
    from django.db.models import Q

    return list(
        Announcement.objects.filter(
            Q(institution=institution)
            | Q(institution__isnull=True, provider_id=institution.provider_id),
            is_public=True,
            status__in=["sending", "sent"],
        ).order_by("-sent_at")[:50]
    )


@policies.public("the public announcements of an institution are its public welfare page's archive")
@require_GET
def archive(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    return render(
        request,
        "announcements/archive.html",
        {"institution": institution, "items": public_archive(institution), "language": _language()},
    )


@policies.authenticated
@require_GET
def audience_archive(request):
    """The sent announcements and newsletters I may read, grouped by their audience."""
    lang = _language()
    groups: dict[str, list] = {}
    for a in communication.announcements_archived_for(request.user):
        a.title = a.title_in(lang)
        groups.setdefault(audience.describe(a), []).append(a)
    return render(
        request,
        "announcements/audience_archive.html",
        {"groups": sorted(groups.items())},
    )
