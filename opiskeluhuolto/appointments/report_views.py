"""The deadline compliance report: chart, table and CSV (LAW.md L-15-4, L-25-1).

Aggregates only. Cells of fewer than five requests are hidden from viewers
who do not see the requests themselves (principals, provider admins).
"""

from __future__ import annotations

import base64
from datetime import date

from dateutil.relativedelta import relativedelta
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.accounts.reconfirm import second_factor_recently_confirmed
from opiskeluhuolto.lib import csvexport
from opiskeluhuolto.lib.replica import replica_reads
from opiskeluhuolto.organisation.models import Campus, Institution, Provider

from . import reports
from .forms import ReportForm
from .models import AppointmentRequest


def _scope(request):
    """The report's institutions, breakdown, period and whether small cells may show."""
    can = for_user(request.user)
    visible = [
        i for i in can.institutions_scope().select_related("provider") if can.view_compliance(i)
    ]
    if not visible:
        raise Http404
    form = ReportForm(request.GET or None)
    form.fields["institution"].queryset = Institution.objects.filter(pk__in=[i.pk for i in visible])
    data = (
        form.cleaned_data
        if form.is_valid()
        else {"institution": None, "months": 12, "by": "institution"}
    )
    chosen = [data["institution"]] if data.get("institution") else visible
    by = data.get("by") or "institution"
    if by == "provider" and not all(can.view_provider_compliance(i.provider_id) for i in chosen):
        by = "institution"
    individual = all(can.compliance_individual_access(i) for i in chosen)
    today = timezone.localdate()
    start = today.replace(day=1) - relativedelta(months=(data.get("months") or 12) - 1)
    return form, chosen, by, individual, start, today


def _labels(by: str, ids: set) -> dict:
    model = {
        "institution": Institution,
        "campus": Campus,
        "provider": Provider,
        "professional": User,
    }[by]
    objs = model.objects.filter(pk__in=[i for i in ids if i])  # type: ignore[attr-defined]  # each of the four models has the default manager
    names = {o.pk: (o.display_name if by == "professional" else o.name) for o in objs}
    names[None] = _("not set")
    return names


def _rows(chosen, by: str, individual: bool, start: date, today: date):
    qs = AppointmentRequest.objects.filter(
        institution__in=chosen, request_day__gte=start, request_day__lte=today
    )
    totals = reports.hide_small(reports.cells(qs, today=today), individual_access=individual)
    units = reports.hide_small(
        reports.cells(qs, today=today, unit=by), individual_access=individual
    )
    names = _labels(by, {r["unit_id"] for r in units})
    for r in units:
        r["unit"] = names.get(r["unit_id"], "–")
    return totals, units


def chart_svg(totals: list[dict]) -> str:
    """A Vega-Lite line chart of the share met, rendered to SVG on the server (no script)."""
    import altair as alt
    import vl_convert as vlc

    points = [
        {
            "month": r["month"].strftime("%Y-%m"),
            "share": round(100 * r["share_met"], 1),
            "kind": _("urgent") if r["urgent"] else _("normal"),
        }
        for r in totals
        if r["share_met"] is not None
    ]
    chart = (
        alt.Chart(
            alt.Data(values=points), title=_("Share of requests given a time by the deadline")
        )
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title=_("month of the request")),
            y=alt.Y("share:Q", title=_("met on time (%)"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("kind:N", title=_("urgency")),
        )
        .properties(width=520, height=240)
    )
    return vlc.vegalite_to_svg(chart.to_dict())


@replica_reads
@policies.staff
@require_GET
def report(request):
    form, chosen, by, individual, start, today = _scope(request)
    totals, units = _rows(chosen, by, individual, start, today)
    svg = chart_svg(totals) if any(r["share_met"] is not None for r in totals) else ""
    context = {
        "form": form,
        "totals": totals,
        "units": units,
        "by": by,
        "by_label": dict(form.fields["by"].choices)[by],
        "individual": individual,
        "small_cell": reports.SMALL_CELL,
        "chart": base64.b64encode(svg.encode()).decode() if svg else "",
        "query": request.GET.urlencode(),
    }
    return render(request, "appointments/report.html", context)


@replica_reads
@policies.staff
@require_GET
@second_factor_recently_confirmed
def report_csv(request):
    _form, chosen, by, individual, start, today = _scope(request)
    _totals, units = _rows(chosen, by, individual, start, today)
    hidden = f"<{reports.SMALL_CELL}"
    return csvexport.csv_response(
        "maaraaikojen-toteutuminen.csv",
        [
            _("unit"),
            _("month"),
            _("urgency"),
            _("requests"),
            _("met on time"),
            _("share met (%)"),
            _("median working days to the first offered time"),
        ],
        (
            [
                r["unit"],
                r["month"].strftime("%Y-%m"),
                _("urgent") if r["urgent"] else _("normal"),
                hidden if r["hidden"] else r["total"],
                hidden if r["hidden"] else r["met"],
                "" if r["share_met"] is None else f"{100 * r['share_met']:.1f}",
                "" if r["median_days"] is None else f"{r['median_days']:.1f}",
            ]
            for r in units
        ),
    )
