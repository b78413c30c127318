"""Geometry of the circular annual clock (UX.md): pure, no ORM, no clock.

Twelve month sectors start from August at the top and run clockwise; each item
type has its own track, and each occurrence is an arc (or a dot for a single
day) placed by date; today is a hand from the centre. The template draws the
SVG from these numbers, with CSS classes for colours (no inline styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

SIZE = 640
CENTRE = SIZE / 2
OUTER = 300.0
MONTH_RING = 250.0  # month labels sit between this and OUTER
INNER = 70.0
TYPES = ("survey", "event", "meeting_topic", "communication", "drill", "report")
#: Colours as SVG presentation attributes, so that the picture is right wherever it is
#: embedded (a home panel, a PDF) without the page's stylesheet. Contrast ≥ 3:1 on white.
COLOURS = {
    "survey": "#0062b9",
    "event": "#00856f",
    "meeting_topic": "#7a3ea8",
    "communication": "#c25400",
    "drill": "#b01038",
    "report": "#5c5c00",
}
SECTOR_FILLS = ("#e3e9f6", "#f4f6fb")
TRACK_GAP = 26.0
LANES = 3
LANE_GAP = 8.0


def track_radius(type_: str) -> float:
    index = TYPES.index(type_) if type_ in TYPES else len(TYPES) - 1
    return MONTH_RING - 18 - index * TRACK_GAP


@dataclass(frozen=True)
class Sector:
    month: int
    first: date
    path: str
    label_x: float
    label_y: float
    even: bool

    @property
    def fill(self) -> str:
        return SECTOR_FILLS[0] if self.even else SECTOR_FILLS[1]


@dataclass(frozen=True)
class Mark:
    key: object  # whatever the caller uses to find the item (e.g. its id)
    type: str
    path: str  # an arc, or "" for a dot
    x: float
    y: float
    start: date
    end: date

    @property
    def colour(self) -> str:
        return COLOURS.get(self.type, COLOURS["report"])


@dataclass(frozen=True)
class Wheel:
    size: float
    centre: float
    outer: float
    inner: float
    sectors: list[Sector]
    marks: list[Mark]
    hand: tuple[float, float] | None
    tracks: list[tuple[str, float, str]]

    @property
    def title_y(self) -> float:
        return self.centre - 6

    @property
    def year_y(self) -> float:
        return self.centre + 20


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def angle(day: date, year_start: date, year_days: int) -> float:
    """Degrees clockwise from the top for the start of `day`."""
    return (day - year_start).days / year_days * 360.0


def point(deg: float, radius: float) -> tuple[float, float]:
    rad = math.radians(deg)
    return CENTRE + radius * math.sin(rad), CENTRE - radius * math.cos(rad)


def arc(a0: float, a1: float, radius: float) -> str:
    x0, y0 = point(a0, radius)
    x1, y1 = point(a1, radius)
    large = 1 if (a1 - a0) > 180 else 0
    return (
        f"M {_fmt(x0)} {_fmt(y0)} A {_fmt(radius)} {_fmt(radius)} 0 {large} 1 {_fmt(x1)} {_fmt(y1)}"
    )


def wedge(a0: float, a1: float, r0: float, r1: float) -> str:
    ox0, oy0 = point(a0, r1)
    ox1, oy1 = point(a1, r1)
    ix1, iy1 = point(a1, r0)
    ix0, iy0 = point(a0, r0)
    large = 1 if (a1 - a0) > 180 else 0
    return (
        f"M {_fmt(ox0)} {_fmt(oy0)} A {_fmt(r1)} {_fmt(r1)} 0 {large} 1 {_fmt(ox1)} {_fmt(oy1)} "
        f"L {_fmt(ix1)} {_fmt(iy1)} A {_fmt(r0)} {_fmt(r0)} 0 {large} 0 {_fmt(ix0)} {_fmt(iy0)} Z"
    )


def build(
    year_start: date,
    occurrences: list[tuple[object, str, date, date]],
    today: date | None = None,
) -> Wheel:
    """`occurrences`: (key, type, start, end) with inclusive dates; clipped to the school year."""
    year_end = date(year_start.year + 1, year_start.month, year_start.day) - timedelta(days=1)
    year_days = (year_end - year_start).days + 1
    sectors = []
    month_start = year_start
    for i in range(12):
        nxt = date(month_start.year + (month_start.month // 12), month_start.month % 12 + 1, 1)
        a0, a1 = angle(month_start, year_start, year_days), angle(nxt, year_start, year_days)
        lx, ly = point((a0 + a1) / 2, (MONTH_RING + OUTER) / 2)
        sectors.append(
            Sector(
                month_start.month,
                month_start,
                wedge(a0, a1, INNER, OUTER),
                round(lx, 1),
                round(ly, 1),
                i % 2 == 0,
            )
        )
        month_start = nxt
    marks = []
    lanes: dict[str, list[date]] = {}  # per type: the last end day drawn on each lane
    clipped = sorted(
        (
            (key, type_, max(start, year_start), min(end, year_end))
            for key, type_, start, end in occurrences
        ),
        key=lambda o: (o[2], o[3]),
    )
    for key, type_, s, e in clipped:
        if s > e:
            continue
        # Overlapping items of one type go on parallel lanes of its track, not on top of each other.
        ends = lanes.setdefault(type_, [])
        lane = next((i for i, last in enumerate(ends) if last < s), len(ends))
        if lane == len(ends):
            ends.append(e)
        else:
            ends[lane] = e
        r = track_radius(type_) - (lane % LANES) * LANE_GAP
        a0 = angle(s, year_start, year_days)
        a1 = angle(e + timedelta(days=1), year_start, year_days)
        x, y = point(a0 + min(a1 - a0, 3.0) / 2, r)
        # A day or two is a dot; longer ranges are arcs along the track.
        path = arc(a0 + 0.6, a1 - 0.6, r) if (a1 - a0) > 3.0 else ""
        marks.append(Mark(key, type_, path, round(x, 1), round(y, 1), s, e))
    hand = None
    if today and year_start <= today <= year_end:
        hx, hy = point(angle(today, year_start, year_days) + 360 / year_days / 2, MONTH_RING - 2)
        hand = (round(hx, 1), round(hy, 1))
    tracks = [(t, round(track_radius(t), 1), COLOURS[t]) for t in TYPES]
    return Wheel(SIZE, CENTRE, OUTER, INNER, sectors, marks, hand, tracks)
