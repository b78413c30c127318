"""Dashboard charts: Vega-Lite specs built with Altair, each with its data table.

One spec serves the screen (vega-embed, static/js/insights.js) and print
(SVG through vl-convert for the PDF and the download). Hidden small cells are
left out of the chart and shown as "fewer than 5" in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from opiskeluhuolto.access.insights import DashboardScope

from . import queries

WIDTH = 560


@dataclass
class Chart:
    key: str
    title: str
    spec: dict | None
    columns: list[tuple[str, str]]  # (row key, heading)
    rows: list[dict]
    note: str = ""
    screen_rows: int | None = None  # rows in the page's table; CSV and PDF list all
    empty: str = ""  # what to say when there is nothing to chart

    def __post_init__(self) -> None:
        # Vega writes its own English descriptions ("Y-axis titled … for a linear scale")
        # into the SVG; the page and the downloaded SVG describe the chart in the reader's
        # language instead (the title here, the figures in the table).
        # `aria: false` drops the descriptions; the marks' own `aria: false` takes them
        # out of the accessibility tree too (otherwise each keeps a role without a name,
        # which axe rightly refuses). The page's wrapper is role="img" with the title.
        if self.spec is not None:
            config = self.spec.setdefault("config", {})
            config["aria"] = False
            config.setdefault("mark", {})["aria"] = False
            self.spec["description"] = self.title

    def table(self) -> list[list]:
        small = _("fewer than 5")
        out = []
        for r in self.rows:
            cells = []
            for key, _heading in self.columns:
                value = r.get(key)
                if r.get("hidden") and value is None and key not in ("month", "unit", "kind"):
                    value = small
                elif isinstance(value, date):
                    value = date_format(value, "F Y")
                cells.append("" if value is None else value)
            out.append(cells)
        return out

    @property
    def screen_table(self) -> list[list]:
        table = self.table()
        return table if self.screen_rows is None else table[: self.screen_rows]

    @property
    def truncated(self) -> bool:
        return self.screen_rows is not None and len(self.rows) > self.screen_rows

    @property
    def headings(self) -> list[str]:
        return [h for _k, h in self.columns]


def _month_label(d: date) -> str:
    return d.strftime("%Y-%m")


def _line(values: list[dict], x: str, y: str, color: str, titles: tuple[str, str, str]) -> dict:
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:O", title=titles[0]),
            y=alt.Y(f"{y}:Q", title=titles[1]),
            color=alt.Color(f"{color}:N", title=titles[2]),
            tooltip=[f"{x}:O", f"{color}:N", f"{y}:Q"],
        )
        .properties(width=WIDTH, height=260)
    )
    return chart.to_dict(validate=False)


def _bar(values: list[dict], x: str, y: str, titles: tuple[str, str], color: str = "") -> dict:
    enc = {
        "x": alt.X(f"{x}:Q", title=titles[1]),
        "y": alt.Y(f"{y}:N", title=titles[0], sort="-x"),
        "tooltip": [f"{y}:N", f"{x}:Q"],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title="")
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(**enc)
        .properties(width=WIDTH, height=max(80, 22 * len({v[y] for v in values})))
    )
    return chart.to_dict(validate=False)


def trend_chart(
    scope: DashboardScope, start: date, end: date, inst: int | None, version: str
) -> Chart:
    rows = queries.trend_by_campus(scope, start, end, inst, version=version)
    values = [
        {"month": _month_label(r["month"]), "unit": r["unit"], "pct": r["absent_pct"]}
        for r in rows
        if not r["hidden"]
    ]
    spec = (
        _line(values, "month", "pct", "unit", (_("Month"), _("Absent, % of lessons"), _("Campus")))
        if values
        else None
    )
    return Chart(
        "trend",
        _("Absences by month and campus"),
        spec,
        [
            ("month", _("Month")),
            ("unit", _("Campus")),
            ("students", _("Students")),
            ("absent_pct", _("Absent, % of lessons")),
            ("unexplained_pct", _("Unexplained, % of lessons")),
        ],
        rows,
    )


def group_chart(
    scope: DashboardScope, start: date, end: date, inst: int | None, version: str
) -> Chart:
    rows = queries.by_group(scope, start, end, inst, version=version)
    values = [{"unit": r["unit"], "pct": r["absent_pct"]} for r in rows if not r["hidden"]][:20]
    spec = _bar(values, "pct", "unit", (_("Group"), _("Absent, % of lessons"))) if values else None
    return Chart(
        "groups",
        _("Absences by group"),
        spec,
        [
            ("unit", _("Group")),
            ("students", _("Students")),
            ("absent_pct", _("Absent, % of lessons")),
            ("unexplained_pct", _("Unexplained, % of lessons")),
        ],
        rows,
        note=_(
            "The chart shows the 20 groups and the table the 50 groups with the most "
            "absences; the CSV lists all."
        ),
        screen_rows=50,
    )


def warning_chart(
    scope: DashboardScope, start: date, end: date, inst: int | None, version: str
) -> Chart:
    from .models import WarningStep

    actions = dict(WarningStep.Action.choices)
    rows = queries.warning_steps(scope, start, end, inst, version=version)
    for r in rows:
        r["step"] = f"{r['rule']} ≥ {r['threshold']}"
        r["action_label"] = str(actions.get(r["action"], r["action"]))
    values = [{"step": r["step"], "n": r["students"]} for r in rows if not r["hidden"]]
    spec = _bar(values, "n", "step", (_("Step"), _("Students"))) if values else None
    return Chart(
        "warnings",
        _("Early-warning steps reached"),
        spec,
        [
            ("step", _("Step")),
            ("action_label", _("Required action")),
            ("students", _("Students")),
            ("resolved", _("Conversations held")),
        ],
        rows,
    )


def interruption_chart(
    scope: DashboardScope, start: date, end: date, inst: int | None, version: str
) -> Chart:
    from opiskeluhuolto.imports.models import StudyRightEvent

    kinds = dict(StudyRightEvent.Kind.choices)
    rows = queries.interruptions(scope, start, end, inst, version=version)
    for r in rows:
        r["kind_label"] = str(kinds.get(r["kind"], r["kind"]))
    values = [
        {"month": _month_label(r["month"]), "kind": r["kind_label"], "n": r["students"]}
        for r in rows
        if not r["hidden"]
    ]
    spec = None
    if values:
        spec = (
            alt.Chart(alt.Data(values=values))
            .mark_bar()
            .encode(
                x=alt.X("month:O", title=_("Month")),
                y=alt.Y("n:Q", title=_("Students")),
                color=alt.Color("kind:N", title=""),
                tooltip=["month:O", "kind:N", "n:Q"],
            )
            .properties(width=WIDTH, height=220)
            .to_dict(validate=False)
        )
    return Chart(
        "interruptions",
        _("Interruptions and resignations"),
        spec,
        [("month", _("Month")), ("kind_label", _("Study right")), ("students", _("Students"))],
        rows,
        empty=_("No interruptions or resignations in this period (from the roster imports)."),
    )


def compliance_chart(
    scope: DashboardScope, start: date, end: date, inst: int | None, version: str
) -> Chart:
    rows = queries.compliance(scope, start, end, inst, version=version)
    for r in rows:
        r["kind_label"] = _("urgent") if r["urgent"] else _("normal")
    values = [
        {"month": _month_label(r["month"]), "kind": r["kind_label"], "pct": r["share_pct"]}
        for r in rows
        if not r["hidden"] and r["share_pct"] is not None
    ]
    spec = (
        _line(values, "month", "pct", "kind", (_("Month"), _("Deadline met, %"), _("Request")))
        if values
        else None
    )
    return Chart(
        "compliance",
        _("Appointment deadlines met"),
        spec,
        [
            ("month", _("Month")),
            ("kind_label", _("Request")),
            ("total", _("Requests")),
            ("met", _("Deadline met")),
            ("share_pct", _("Deadline met, %")),
            ("median_working_days_to_first_offer", _("Median working days to first offer")),
        ],
        rows,
        note=_("Requests are counted per institution."),
        empty=_("No appointment requests in this period."),
    )


BUILDERS = {
    "trend": trend_chart,
    "groups": group_chart,
    "warnings": warning_chart,
    "interruptions": interruption_chart,
    "compliance": compliance_chart,
}


def build(key: str, scope: DashboardScope, start: date, end: date, inst: int | None) -> Chart:
    return BUILDERS[key](scope, start, end, inst, queries.data_version())


def build_all(
    scope: DashboardScope, start: date, end: date, inst: int | None, version: str | None = None
) -> list[Chart]:
    """Every chart, cached per scope, period, language and data version (specs are costly)."""
    version = version if version is not None else queries.data_version()
    key = queries.cache_key(f"charts:{get_language()}", scope, start, end, inst, version)
    built = cache.get(key)
    if built is None:
        built = [b(scope, start, end, inst, version) for b in BUILDERS.values()]
        cache.set(key, built, queries.CACHE_SECONDS)
    return built


def panels_html(
    scope: DashboardScope, start: date, end: date, inst: int | None, version: str, query: str
) -> str:
    """The dashboard's chart panels as HTML, cached like the charts they show.

    Rendering hundreds of table cells through the template engine costs more than
    everything else on the page; the result depends only on the charts (the same key
    inputs), the language and the page's query string, which carries the filter into
    the download links. Nothing in it is personal or per request (no CSRF token, no
    nonce: the specs are JSON data blocks, not scripts)."""
    key = queries.cache_key(f"panels:{get_language()}", scope, start, end, inst, version, query)
    html = cache.get(key)
    if html is None:
        context = {"charts": build_all(scope, start, end, inst, version), "query": query}
        html = render_to_string("insights/_panels.html", context)
        cache.set(key, html, queries.CACHE_SECONDS)
    return html


def empty_spec() -> dict:
    """A chart that says there is nothing to show (the SVG download of an empty period)."""
    return (
        alt.Chart(alt.Data(values=[{"text": _("No data for this period.")}]))
        .mark_text(size=14)
        .encode(text="text:N")
        .properties(width=WIDTH, height=60)
        .to_dict(validate=False)
    )


def to_svg(spec: dict) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(spec)
