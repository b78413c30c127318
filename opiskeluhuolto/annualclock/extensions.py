"""Sections other apps add to the annual clock's pages (the clock never imports them).

An app that has something to say about a clock or one of its items (which planned drills
were held, which procedures are due for review this school year) registers a section here
from its AppConfig.ready, like `front.registry`'s home panels: a template and a function
that returns its context. The clock's views render every registered section in order; a
section whose context is empty is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable[..., dict]
    order: int = 100


ITEM_SECTIONS: dict[str, Section] = {}
CLOCK_SECTIONS: dict[str, Section] = {}


def item_section(key: str, template: str, context: Callable[[Any, Any], dict], order=100):
    """`context(request, item)`: shown on the page of one clock item."""
    ITEM_SECTIONS[key] = Section(key, template, context, order)


def clock_section(
    key: str, template: str, context: Callable[[Any, Any, list, date, date], dict], order=100
):
    """`context(request, clock, dated, year_start, year_end)`: shown on the clock's page;
    `dated` are the clock's items of the school year (`layers.Dated`)."""
    CLOCK_SECTIONS[key] = Section(key, template, context, order)


def _render(registry: dict[str, Section], *args) -> list[tuple[Section, dict]]:
    out = []
    for section in sorted(registry.values(), key=lambda s: s.order):
        ctx = section.context(*args)
        if ctx:
            out.append((section, ctx))
    return out


def for_item(request, item) -> list[tuple[Section, dict]]:
    return _render(ITEM_SECTIONS, request, item)


def for_clock(request, clock, dated, year_start, year_end) -> list[tuple[Section, dict]]:
    return _render(CLOCK_SECTIONS, request, clock, dated, year_start, year_end)
