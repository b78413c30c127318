"""The communal calendar of students and guardians: the list, the circle, the subscription."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import communication, for_user, policies
from opiskeluhuolto.announcements.actions import reader_languages
from opiskeluhuolto.annualclock import layers, wheel
from opiskeluhuolto.annualclock.models import ClockItem

from . import community_calendar as calendar
from . import ical
from .models import CalendarFeed


def _language() -> str:
    lang = (get_language() or "fi")[:2]
    return lang if lang in ("fi", "sv", "en") else "fi"


def _year_start(request) -> date:
    start, _end = layers.school_year_bounds(timezone.localdate())
    try:
        year = int(request.GET.get("year", start.year))
    except ValueError:
        year = start.year
    return date(min(max(year, 2000), 2100), 8, 1)


def _member(request):
    """Only students and guardians of minors have a communal calendar (staff: the clock)."""
    can = for_user(request.user)
    if not can.see_community_calendar():
        raise Http404
    return can


@policies.authenticated
@require_GET
def index(request):
    can = _member(request)
    year_start = _year_start(request)
    year_end = date(year_start.year + 1, 7, 31)
    rows = calendar.entries(request.user, year_start, year_end, _language())
    today = timezone.localdate()
    drawn = wheel.build(
        year_start, [(i, r.type, r.start, r.end) for i, r in enumerate(rows)], today
    )
    units = sorted({str(s.student.campus or s.student.institution) for s in can.calendar_scopes()})
    context = {
        "rows": rows,
        "months": calendar.months(rows, year_start),
        "wheel": drawn,
        "marks": [(m, rows[m.key]) for m in drawn.marks],
        "year_start": year_start,
        "year_end": year_end,
        "units": units,
        "types": [(t, label) for t, label in ClockItem.Type.choices if t in {r.type for r in rows}],
        "coming": [r for r in rows if r.end >= today][:5],
    }
    return render(request, "events/calendar.html", context)


@policies.authenticated
@require_http_methods(["GET", "POST"])
def feeds(request):
    _member(request)
    if request.method == "POST":
        CalendarFeed.objects.create(user=request.user)
        messages.success(request, _("A new private calendar address was made."))
        return redirect("events:calendar_feeds")
    rows = [
        (f, request.build_absolute_uri(reverse("events:calendar_feed", args=[f.token])))
        for f in CalendarFeed.objects.filter(user=request.user)
    ]
    return render(request, "events/calendar_feeds.html", {"feeds": rows})


@policies.authenticated
@require_POST
def feed_revoke(request, pk):
    feed = communication.get_calendar_feed(request.user, pk)
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    messages.success(request, _("The calendar address no longer works."))
    return redirect("events:calendar_feeds")


@policies.public(
    "calendar programs cannot sign in; the secret, revocable token is the key",
    confidential=True,
)
@require_GET
def feed(request, token):
    row = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if row is None or row.revoked_at or not for_user(row.user).see_community_calendar():
        raise Http404
    today = timezone.localdate()
    language = reader_languages([row.user_id]).get(row.user_id) or "fi"
    rows = calendar.entries(
        row.user, today - timedelta(days=366), today + timedelta(days=2 * 366), language[:2]
    )
    body = ical.build(_("Communal calendar"), rows, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
