"""Goals and indicators: data points entered or imported as aggregates, the trend chart.

CSV import is all or nothing: every line is checked first, and the errors come
back with their line numbers; only a clean file is written. Small cells (fewer
than 5 respondents) are stored but never shown (PRODUCT.md §5).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider

from .models import DataPoint, Indicator
from .models.audit import record

CSV_COLUMNS = ["indicator", "institution", "campus", "year", "value", "respondents"]


@transaction.atomic
def set_data_point(
    indicator: Indicator,
    *,
    by,
    institution: Institution,
    campus: Campus | None,
    year: int,
    value: float,
    respondents: int | None,
) -> DataPoint:
    if institution.provider_id != indicator.provider_id:
        raise ValidationError({"institution": _("The institution belongs to another provider.")})
    if campus and campus.institution_id != institution.pk:
        raise ValidationError({"campus": _("The campus belongs to another institution.")})
    point, _created = DataPoint.objects.update_or_create(
        indicator=indicator,
        institution=institution,
        campus=campus,
        year=year,
        defaults={"value": value, "respondents": respondents},
    )
    record(by, "indicator.data", point)
    return point


@transaction.atomic
def create_indicator(provider: Provider, *, by, **fields) -> Indicator:
    if Indicator.objects.filter(provider=provider, code=fields.get("code")).exists():
        raise ValidationError({"code": _("An indicator with this code already exists.")})
    indicator = Indicator(provider=provider, **fields)
    indicator.full_clean(validate_constraints=False)
    indicator.save()
    record(by, "indicator.create", indicator)
    return indicator


@dataclass
class ImportResult:
    written: int
    errors: list[tuple[int, str]]


def _parse_number(text: str, *, integer: bool = False):
    text = text.strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    return int(text) if integer else float(text)


def import_csv(provider: Provider, data: bytes | str, *, by) -> ImportResult:
    """Columns: indicator;institution;campus;year;value;respondents (`;` or `,` separated).

    `indicator` is the indicator's code, `institution` the institution's address
    name (slug), `campus` a campus name or empty, `respondents` may be empty.
    """
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        return ImportResult(0, [(1, _("Missing columns: %(cols)s") % {"cols": ", ".join(missing)})])
    reader.fieldnames = header
    indicators = {i.code: i for i in Indicator.objects.filter(provider=provider)}
    institutions = {i.slug: i for i in Institution.objects.filter(provider=provider)}
    campuses = {
        (c.institution_id, c.name.casefold()): c
        for c in Campus.objects.filter(institution__provider=provider)
    }
    rows, errors, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        indicator = indicators.get(row["indicator"])
        inst = institutions.get(row["institution"])
        if indicator is None:
            errors.append((line, _("Unknown indicator “%(code)s”.") % {"code": row["indicator"]}))
            continue
        if inst is None:
            errors.append(
                (line, _("Unknown institution “%(slug)s”.") % {"slug": row["institution"]})
            )
            continue
        campus = None
        if row["campus"]:
            campus = campuses.get((inst.pk, row["campus"].casefold()))
            if campus is None:
                errors.append((line, _("Unknown campus “%(name)s”.") % {"name": row["campus"]}))
                continue
        try:
            year = _parse_number(row["year"], integer=True)
            value = _parse_number(row["value"])
            respondents = (
                _parse_number(row["respondents"], integer=True) if row["respondents"] else None
            )
        except ValueError:
            errors.append((line, _("Year, value and respondents must be numbers.")))
            continue
        if not 1990 <= year <= 2100:
            errors.append((line, _("The year %(year)s is not plausible.") % {"year": year}))
            continue
        if respondents is not None and respondents < 0:
            errors.append((line, _("The number of respondents cannot be negative.")))
            continue
        key = (indicator.pk, inst.pk, getattr(campus, "pk", None), year)
        if key in seen:
            errors.append((line, _("The same indicator, unit and year appear twice.")))
            continue
        seen.add(key)
        rows.append((indicator, inst, campus, year, value, respondents))
    if errors:
        return ImportResult(0, errors)
    if not rows:
        return ImportResult(0, [(2, _("The file has no data rows."))])
    with transaction.atomic():
        for indicator, inst, campus, year, value, respondents in rows:
            set_data_point(
                indicator,
                by=by,
                institution=inst,
                campus=campus,
                year=year,
                value=value,
                respondents=respondents,
            )
    return ImportResult(len(rows), [])


# --- the trend chart (server-side SVG; the table beside it is the text alternative) ---

W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 320, 56, 170, 20, 40


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    points: list[tuple[float, float, int, float]]  # (x, y, year, value)
    path: str
    label_y: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    series: list[Series]
    target_y: float | None
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, float]]
    left: int
    bottom: float
    right: float
    top: int

    @property
    def tick_label_x(self) -> int:
        return self.left - 6

    @property
    def year_label_y(self) -> float:
        return self.bottom + 20

    @property
    def side_label_x(self) -> float:
        return self.right + 6


def chart(indicator: Indicator, points: list[DataPoint]) -> Chart | None:
    """Lines per unit over the years against the target; small cells are left out."""
    shown = [p for p in points if not p.is_small_cell]
    if not shown:
        return None
    years = sorted({p.year for p in shown})
    values = [p.value for p in shown]
    if indicator.target is not None:
        values.append(indicator.target)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.1 or 1.0
    lo, hi = (max(lo - pad, 0) if lo >= 0 else lo - pad), hi + pad
    x0, x1, y0, y1 = LEFT, W - RIGHT, H - BOTTOM, TOP

    def x(year: int) -> float:
        if len(years) == 1:
            return float(x0)
        return round(x0 + (year - years[0]) / (years[-1] - years[0]) * (x1 - x0), 1)

    def y(value: float) -> float:
        return round(y0 - (value - lo) / (hi - lo) * (y0 - y1), 1)

    by_unit: dict[str, list[DataPoint]] = {}
    for p in sorted(shown, key=lambda p: p.year):
        by_unit.setdefault(p.unit_name, []).append(p)
    series = []
    used: list[float] = []
    for n, (name, pts) in enumerate(sorted(by_unit.items())):
        coords = [(x(p.year), y(p.value), p.year, p.value) for p in pts]
        path = " ".join(
            f"{'M' if i == 0 else 'L'} {cx} {cy}" for i, (cx, cy, _yr, _v) in enumerate(coords)
        )
        # Labels at the right end, nudged apart so that they do not overlap.
        label = coords[-1][1] + 4
        while any(abs(label - u) < 13 for u in used):
            label += 13
        used.append(label)
        series.append(Series(name, f"chart-series-{n % 6}", coords, path, round(label, 1)))
    steps = 4
    y_ticks = [
        (y(lo + (hi - lo) * i / steps), round(lo + (hi - lo) * i / steps, 1))
        for i in range(steps + 1)
    ]
    return Chart(
        W,
        H,
        series,
        None if indicator.target is None else y(indicator.target),
        [(x(yr), yr) for yr in years],
        y_ticks,
        x0,
        y0,
        x1,
        y1,
    )
