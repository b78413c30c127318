"""Views of the annual clock: the circle, the month list, items, and the private iCalendar feed."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import communal, for_user, policies
from opiskeluhuolto.organisation.models import Campus, Institution

from . import actions, extensions, ical, layers, recurrence, wheel
from .forms import ClockForm, ClockItemForm
from .models import Clock, ClockItem, FeedToken


def _year_start(request) -> date:
    """The school year shown: ?year=2026 means 1.8.2026–31.7.2027 (no personal data)."""
    start, _end = layers.school_year_bounds(timezone.localdate())
    try:
        year = int(request.GET.get("year", start.year))
    except ValueError:
        year = start.year
    return date(min(max(year, 2000), 2100), 8, 1)


def clock_year(clock: Clock, year_start: date) -> list[layers.Dated]:
    unit = layers.Unit.of(clock)
    items = layers.effective_items(clock, unit)
    year_end = date(year_start.year + 1, 7, 31)
    return layers.dated_items(items, year_start, year_end, layers.terms_for(unit))


def _months(dated: list[layers.Dated], year_start: date) -> list[tuple[str, date, list]]:
    months = []
    first = year_start
    for _i in range(12):
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        inside = [d for d in dated if d.start < nxt and d.end >= first]
        months.append((recurrence.month_name(first.month), first, inside))
        first = nxt
    return months


@policies.staff
@require_GET
def clocks(request):
    rows = communal.clocks_visible_to(request.user).select_related(
        "provider", "institution", "campus"
    )
    rows = rows.prefetch_related("adaptations__institution", "adaptations__campus")
    can_create = for_user(request.user).is_provider_admin()
    return render(request, "annualclock/clocks.html", {"clocks": rows, "can_create": can_create})


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def clock_new(request):
    """A new clock of the provider (or of one institution); units adapt it afterwards."""
    from opiskeluhuolto.organisation.models import Provider

    provider = Provider.objects.filter(pk__in=for_user(request.user).admin_provider_ids()).first()
    form = ClockForm(request.POST or None, provider_id=provider.pk)
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.create_clock(by=request.user, provider=provider, **form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Annual clock created. Add its items next."))
            return redirect("annualclock:clock", pk=made.pk)
    return render(request, "annualclock/clock_form.html", {"form": form})


@policies.authenticated
@require_GET
def clock(request, pk):
    obj = communal.get_clock(request.user, pk)
    year_start = _year_start(request)
    dated = clock_year(obj, year_start)
    today = timezone.localdate()
    occurrences = [(i, d.item.type, d.start, d.end) for i, d in enumerate(dated)]
    drawn = wheel.build(year_start, occurrences, today)
    context = {
        "clock": obj,
        "wheel": drawn,
        "marks": [(m, dated[m.key]) for m in drawn.marks],
        "dated": dated,
        "year_start": year_start,
        "year_end": date(year_start.year + 1, 7, 31),
        "can_manage": for_user(request.user).manage_clock(obj),
        "types": ClockItem.Type.choices,
        "sections": extensions.for_clock(
            request, obj, dated, year_start, date(year_start.year + 1, 7, 31)
        ),
    }
    return render(request, "annualclock/clock.html", context)


@policies.authenticated
@require_GET
def months(request, pk):
    obj = communal.get_clock(request.user, pk)
    year_start = _year_start(request)
    context = {
        "clock": obj,
        "months": _months(clock_year(obj, year_start), year_start),
        "year_start": year_start,
        "year_end": date(year_start.year + 1, 7, 31),
    }
    return render(request, "annualclock/months.html", context)


@policies.authenticated
@require_GET
def item(request, pk):
    obj = communal.get_clock_item(request.user, pk)
    today = timezone.localdate()
    unit = layers.Unit.of(obj.clock)
    upcoming = recurrence.occurrences(
        obj.rule, today, today + timedelta(days=3 * 366), terms=layers.terms_for(unit)
    )
    can = for_user(request.user)
    context = {
        "item": obj,
        "upcoming": upcoming[:4],
        "can_manage": can.manage_clock(obj.clock),
        "can_adapt": bool(_adapt_units(request.user, obj.clock)),
        "adaptations": obj.adaptations.select_related(
            "clock", "clock__institution", "clock__campus"
        ),
        "sections": extensions.for_item(request, obj),
    }
    return render(request, "annualclock/item.html", context)


def _save_item(request, form, save, redirect_to):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.action_fields())
        except ValidationError as e:
            if hasattr(e, "error_dict"):
                _field_errors(form, e)
            else:
                form.add_error(None, e)
        else:
            messages.success(request, _("Annual clock item saved."))
            return redirect(redirect_to(saved))
    return None


def _field_errors(form, error: ValidationError) -> None:
    for field, errors in error.error_dict.items():
        target = "date" if field in ("day", "month") else field
        form.add_error(target if target in form.fields else None, errors)


@policies.staff
@require_http_methods(["GET", "POST"])
def item_add(request, pk):
    obj = communal.get_clock(request.user, pk, need="manage")
    form = ClockItemForm(request.POST or None, provider_id=obj.provider_id)
    done = _save_item(
        request,
        form,
        lambda f: actions.add_item(obj, by=request.user, **f),
        lambda saved: reverse("annualclock:item", args=[saved.pk]),
    )
    return done or render(request, "annualclock/item_form.html", {"clock": obj, "form": form})


@policies.staff
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    obj = communal.get_clock_item(request.user, pk, need="manage")
    form = ClockItemForm(request.POST or None, instance=obj, provider_id=obj.clock.provider_id)
    done = _save_item(
        request,
        form,
        lambda f: actions.update_item(obj, by=request.user, **f),
        lambda saved: reverse("annualclock:item", args=[saved.pk]),
    )
    context = {"clock": obj.clock, "form": form, "item": obj}
    return done or render(request, "annualclock/item_form.html", context)


def _adapt_units(user, clock: Clock) -> list[tuple[str, str, Institution, Campus | None]]:
    """(value, label, institution, campus) of the units this person may adapt the clock for."""
    can = for_user(user)
    root = clock.root
    units: list[tuple[str, str, Institution, Campus | None]] = []
    for inst in Institution.objects.filter(provider_id=root.provider_id).prefetch_related(
        "campuses"
    ):
        if root.institution_id and root.institution_id != inst.pk:
            continue
        if not can.adapt_clock(root, inst):
            continue
        units.append((f"i{inst.pk}", inst.name, inst, None))
        units += [(f"c{c.pk}", f"{inst.name}: {c.name}", inst, c) for c in inst.campuses.all()]
    return units


@policies.staff
@require_http_methods(["GET", "POST"])
def item_adapt(request, pk):
    """Adapt an inherited item for one unit; the original stays for everyone else."""
    obj = communal.get_clock_item(request.user, pk)
    units = _adapt_units(request.user, obj.clock)
    if not units:
        raise Http404
    form = ClockItemForm(
        request.POST or None, instance=ClockItem(**_copy(obj)), provider_id=obj.clock.provider_id
    )
    chosen = request.POST.get("unit", units[0][0])
    unit = next((u for u in units if u[0] == chosen), None)
    if request.method == "POST" and unit is None:
        form.add_error(None, _("Choose the unit."))
    elif unit:
        hide = request.POST.get("is_hidden") == "on"
        done = _save_item(
            request,
            form,
            lambda f: actions.adapt_item(
                obj, by=request.user, institution=unit[2], campus=unit[3], is_hidden=hide, **f
            ),
            lambda saved: reverse("annualclock:clock", args=[saved.clock_id]),
        )
        if done:
            return done
    context = {"item": obj, "form": form, "units": units, "chosen": chosen}
    return render(request, "annualclock/item_adapt.html", context)


def _copy(item: ClockItem) -> dict:
    return {f: getattr(item, f) for f in actions.ITEM_FIELDS} | {"clock": item.clock}


@policies.authenticated
@require_http_methods(["GET", "POST"])
def feeds(request, pk):
    obj = communal.get_clock(request.user, pk)
    if request.method == "POST":
        actions.create_feed(request.user, obj)
        messages.success(request, _("A new private calendar address was made."))
        return redirect("annualclock:feeds", pk=obj.pk)
    tokens = FeedToken.objects.filter(user=request.user, clock=obj)
    urls = [
        (t, request.build_absolute_uri(reverse("annualclock:feed", args=[t.token]))) for t in tokens
    ]
    return render(request, "annualclock/feeds.html", {"clock": obj, "tokens": urls})


@policies.authenticated
@require_POST
def feed_revoke(request, pk):
    token = communal.get_feed_token(request.user, pk)
    actions.revoke_feed(token, by=request.user)
    messages.success(request, _("The calendar address no longer works."))
    return redirect("annualclock:feeds", pk=token.clock_id)


@policies.public("calendar programs cannot sign in; the secret, revocable token is the key")
@require_GET
def feed(request, token):
    row = FeedToken.objects.select_related("clock", "user").filter(token=token).first()
    if row is None or row.revoked_at or not for_user(row.user).view_clock(row.clock):
        raise Http404
    today = timezone.localdate()
    unit = layers.Unit.of(row.clock)
    dated = layers.dated_items(
        layers.effective_items(row.clock, unit),
        today - timedelta(days=366),
        today + timedelta(days=2 * 366),
        layers.terms_for(unit),
    )
    body = ical.build(row.clock, dated, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
