"""Navigation items and home-page panels, registered by each app.

An app adds what its users can do to the shell without editing the shell:
call `nav_item(...)` and `home_panel(...)` from its AppConfig.ready (or a
module imported there). Predicates receive the user's `access` Permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from opiskeluhuolto.access.permissions import Permissions

Predicate = Callable[[Permissions], bool]


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translation
    url_name: str
    visible: Predicate
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    visible: Predicate
    context: Callable[[Any, Permissions], dict] = field(default=lambda request, can: {})
    order: int = 100


@dataclass(frozen=True)
class PublicSection:
    """A section of an institution's public welfare page (no sign-in)."""

    key: str
    template: str
    context: Callable[[Any, Any], dict]  # (request, institution) -> context
    order: int = 100


NAV: dict[str, NavItem] = {}
PANELS: dict[str, HomePanel] = {}
PUBLIC_SECTIONS: dict[str, PublicSection] = {}


def nav_item(label, url_name: str, visible: Predicate, order: int = 100) -> None:
    NAV[url_name] = NavItem(label, url_name, visible, order)


def home_panel(key: str, template: str, visible: Predicate, context=None, order: int = 100) -> None:
    PANELS[key] = HomePanel(key, template, visible, context or (lambda request, can: {}), order)


def nav_for(can: Permissions) -> list[NavItem]:
    return sorted((i for i in NAV.values() if i.visible(can)), key=lambda i: i.order)


def navigation_html(request, can: Permissions) -> SafeString:
    """The navigation bar of `base.html` for this person on this page.

    Every page shows it, and it depends only on which links the person may follow, the
    page if it is in the bar, the language and where the site's URLs are: so it is
    rendered once for each such combination and kept for the life of the process (there
    are few: the languages × the sets of links the roles give × the links in the set),
    instead of reversing and translating every link on every request.
    """
    names = tuple(item.url_name for item in nav_for(can))
    if not names:
        return SafeString("")
    match = request.resolver_match
    current = match.view_name if match and match.view_name in names else None
    # While developing, template edits show at once (the template loader reloads them).
    render = _navigation_html.__wrapped__ if settings.DEBUG else _navigation_html
    return render(
        names,
        current,
        get_language(),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


@lru_cache(maxsize=1024)
def _navigation_html(
    names: tuple[str, ...], current: str | None, language: str, urlconf: str, prefix: str
) -> SafeString:
    # `language`, `urlconf` and `prefix` are what the rendering below reads implicitly.
    links = [(NAV[name].label, reverse(name, urlconf=urlconf), name == current) for name in names]
    return render_to_string("base.html#navigation", {"nav_links": links})


def panels_for(request, can: Permissions) -> list[tuple[HomePanel, dict]]:
    visible = sorted((p for p in PANELS.values() if p.visible(can)), key=lambda p: p.order)
    return [(p, p.context(request, can)) for p in visible]


def public_section(key: str, template: str, context=None, order: int = 100) -> None:
    PUBLIC_SECTIONS[key] = PublicSection(
        key, template, context or (lambda request, inst: {}), order
    )


def public_sections_for(request, institution) -> list[tuple[PublicSection, dict]]:
    ordered = sorted(PUBLIC_SECTIONS.values(), key=lambda s: s.order)
    return [(s, s.context(request, institution)) for s in ordered]
