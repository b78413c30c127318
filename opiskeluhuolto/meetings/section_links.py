"""Links from the welfare plan's sections to what other apps keep (the plan never imports them).

The plan's statutory sections (§13) rely on procedures kept elsewhere: the protection
from violence, bullying and harassment, the crisis arrangements, the procedures for
substance use and absences. Instead of copying their text into the plan, an app
registers a linker here (from its AppConfig.ready); the plan's pages show each section's
links. A linker is `fn(institutions, public) -> {section key: [(title, url), ...]}`;
`public` asks only for what may be shown without signing in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

Linker = Callable[[list, bool], dict[str, list[tuple[str, str]]]]
LINKERS: dict[str, Linker] = {}

#: The regional plan (§13a) has no institutions: its linkers take the plan itself,
#: `fn(plan) -> {section key: [(title, url), ...]}`, shown as "see also" (e.g. the
#: comparison of the member providers' indicators under the assessed need).
PlanLinker = Callable[[object], dict[str, list[tuple[str, str]]]]
PLAN_LINKERS: dict[str, PlanLinker] = {}


def register(key: str, linker: Linker) -> None:
    LINKERS[key] = linker


def register_for_plan(key: str, linker: PlanLinker) -> None:
    PLAN_LINKERS[key] = linker


def links_for(institutions: Iterable, *, public: bool = False) -> dict[str, list]:
    institutions = list(institutions)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for linker in LINKERS.values():
        for key, links in linker(institutions, public).items():
            out[key].extend(links)
    return dict(out)


def attach(sections, institutions, *, public: bool = False, plan=None) -> list:
    """The sections, each with `.links` (the registered links for its key) and, given a
    plan, `.see_also` (the links of the plan linkers)."""
    links = links_for(institutions, public=public)
    see_also: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if plan is not None:
        for linker in PLAN_LINKERS.values():
            for key, found in linker(plan).items():
                see_also[key].extend(found)
    sections = list(sections)
    for s in sections:
        s.links = links.get(s.key, [])
        s.see_also = see_also.get(s.key, [])
    return sections
