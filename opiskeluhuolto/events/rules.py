"""The rule that keeps an event inside its campaign (a theme week and its events).

An event of a campaign must not reach anyone outside the campaign's audience: the kinds
of people it reaches (students, guardians of minors, staff) are among those the
campaign reaches, and when the campaign is limited to some campuses, the event is
limited to some of those too (an event with no campus chosen is for every campus of the
institution, so it is wider than such a campaign). The institution is checked with the
event's other fields (`actions._validate`).
"""

from __future__ import annotations

from collections.abc import Iterable

from opiskeluhuolto.access import audiences


def reached(kind: str) -> frozenset[str]:
    """The kinds of people an audience reaches: "everyone" reaches students, guardians
    and staff (the audience rule's `KINDS`)."""
    return frozenset(role for role, kinds in audiences.KINDS.items() if kind in kinds)


def beyond_campaign(
    *,
    audience: str,
    campus_ids: Iterable[int],
    campaign_audience: str,
    campaign_campus_ids: Iterable[int],
) -> frozenset[str]:
    """Where an event reaches beyond its campaign: the names of the offending fields,
    "audience" and/or "campuses" (empty when the event stays inside)."""
    beyond = set()
    if not reached(audience) <= reached(campaign_audience):
        beyond.add("audience")
    limit = set(campaign_campus_ids)
    chosen = set(campus_ids)
    if limit and not (chosen and chosen <= limit):
        beyond.add("campuses")
    return frozenset(beyond)
