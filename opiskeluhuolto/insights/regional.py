"""The comparison of the member providers' indicators for the regional welfare plan (§13a).

The regional plan is built on an assessment of the region's overall need (issue 20): each
member provider's goals and indicators (kept by `meetings`), compared side by side for
the latest year any of them has data. A provider's cell combines its institutions'
aggregates (an institution's own figure, or else its campuses'), weighted by respondents
when they are known; a cell of fewer than five respondents is hidden by the one small-cell
rule (`smallcells`). The region's figure is shown only when no cell of the row is hidden,
so that a hidden cell cannot be worked out from the total and the others.

Indicators are matched across providers by their code (the code of the import files).
Communal aggregates only: nothing here is about a student.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from opiskeluhuolto.meetings.models import DataPoint, Indicator, WelfarePlan

from . import smallcells


@dataclass
class Row:
    code: str
    name: str
    goal: str
    unit: str
    year: int
    cells: list[dict] = field(default_factory=list)
    region: float | None = None


def _combine(points: list[DataPoint]) -> tuple[float, int | None]:
    """(value, respondents) of several aggregates: weighted by respondents if all known."""
    known = [p.respondents for p in points if p.respondents is not None]
    total = sum(known)
    if len(known) == len(points) and total > 0:
        return sum(p.value * (p.respondents or 0) for p in points) / total, total
    return sum(p.value for p in points) / len(points), None


def _provider_cell(points: list[DataPoint]) -> tuple[float, int | None]:
    """An institution's own figure, or else its campuses' figures; then the institutions."""
    by_institution: dict[int, list[DataPoint]] = defaultdict(list)
    for p in points:
        by_institution[p.institution_id].append(p)
    chosen = []
    for rows in by_institution.values():
        own = [p for p in rows if p.campus_id is None]
        chosen.extend(own or rows)
    return _combine(chosen)


def comparison(plan: WelfarePlan) -> tuple[list, list[Row]]:
    """(member providers, rows): one row per indicator code any member provider follows."""
    if plan.group is None:
        return [], []
    providers = list(plan.group.member_providers.order_by("name"))
    indicators = list(
        Indicator.objects.filter(provider__in=providers).order_by("code", "provider__name")
    )
    by_code: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_code[indicator.code].append(indicator)
    points: dict[int, list[DataPoint]] = defaultdict(list)
    for p in DataPoint.objects.filter(indicator__in=indicators).only(
        "indicator_id", "institution_id", "campus_id", "year", "value", "respondents"
    ):
        points[p.indicator_id].append(p)
    rows = []
    for code, same in by_code.items():
        years = [p.year for i in same for p in points[i.pk]]
        if not years:
            continue
        year = max(years)
        first = same[0]
        row = Row(code=code, name=first.label, goal=first.goal, unit=first.unit_label, year=year)
        mine = {i.provider_id: i for i in same}
        raw: list[dict] = []
        for provider in providers:
            own = mine.get(provider.pk)
            found = [p for p in points[own.pk] if p.year == year] if own else []
            if own is None or not found:
                raw.append({"provider": provider, "value": None, "respondents": None})
                continue
            value, respondents = _provider_cell(found)
            raw.append(
                {
                    "provider": provider,
                    "value": round(value, 1),
                    "respondents": respondents,
                    "meets": own.meets(value),
                }
            )
        row.cells = smallcells.suppress(raw, count_key="respondents", value_keys=["value", "meets"])
        shown = [c for c in row.cells if c["value"] is not None]
        if shown and not any(c["hidden"] for c in row.cells):
            counts = [c["respondents"] for c in shown]
            total = sum(n or 0 for n in counts)
            if all(n is not None for n in counts) and total:
                row.region = round(sum(c["value"] * c["respondents"] for c in shown) / total, 1)
            else:
                row.region = round(sum(c["value"] for c in shown) / len(shown), 1)
        rows.append(row)
    return providers, rows
