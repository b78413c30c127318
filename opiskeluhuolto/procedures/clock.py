"""What procedures add to the annual clock and to the welfare plan (through their seams).

- A drill item of the clock shows the drill records that fulfilled it, and the clock's
  page lists its drill items of the school year as held (with the date) or not yet.
- The clock's page lists the procedures whose review date falls in its school year.
- The welfare plan's statutory sections link to the procedures they rely on
  (`Procedure.plan_section_keys`) instead of copying their text.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from opiskeluhuolto.access import for_user

from .models import Procedure, SafetyRecord


def _item_ids(item) -> set[int]:
    """The item and the item it adapts: a record fulfils either."""
    return {item.pk} | ({item.adapts_id} if item.adapts_id else set())


def item_drills(request, item) -> dict:
    if item.type != "drill":
        return {}
    ids = _item_ids(item) | set(item.adaptations.values_list("pk", flat=True))
    records = (
        for_user(request.user)
        .safety_records_scope()
        .filter(clock_item_id__in=ids)
        .select_related("campus")
        .order_by("-held_on")
    )
    return {"records": list(records), "drill": True}


def _procedures_of_clock(clock):
    rows = Procedure.objects.filter(provider_id=clock.provider_id)
    if clock.institution_id is not None:
        rows = rows.filter(Q(institution__isnull=True) | Q(institution_id=clock.institution_id))
    if clock.campus_id is not None:
        rows = rows.filter(Q(campus__isnull=True) | Q(campus_id=clock.campus_id))
    return rows


def clock_year(request, clock, dated, year_start, year_end) -> dict:
    can = for_user(request.user)
    drills = [d for d in dated if d.item.type == "drill"]
    held: dict[int, list[SafetyRecord]] = {}
    if drills:
        ids = set().union(*(_item_ids(d.item) for d in drills))
        records = can.safety_records_scope().filter(
            clock_item_id__in=ids, held_on__gte=year_start, held_on__lte=year_end
        )
        for r in records.select_related("campus").order_by("held_on"):
            held.setdefault(r.clock_item_id, []).append(r)
    drill_rows = [(d, [r for i in _item_ids(d.item) for r in held.get(i, [])]) for d in drills]
    visible = can.procedures_scope().values_list("pk", flat=True)
    reviews = []
    for p in _procedures_of_clock(clock).filter(pk__in=visible).order_by("title"):
        current = p.current()
        if current is not None and year_start <= current.review_on <= year_end:
            reviews.append((p, current))
    reviews.sort(key=lambda pv: pv[1].review_on)
    if not drill_rows and not reviews:
        return {}
    return {"drills": drill_rows, "reviews": reviews}


def plan_links(institutions: list, public: bool) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    seen: set[int] = set()
    for institution in institutions:
        rows = Procedure.objects.filter(provider_id=institution.provider_id).filter(
            Q(institution__isnull=True) | Q(institution_id=institution.pk)
        )
        for p in rows.order_by("kind", "title"):
            if p.pk in seen or not p.plan_section_keys or p.current() is None:
                continue
            if public and "public" not in p.audience:
                continue
            seen.add(p.pk)
            if public:
                url = (
                    reverse("appointments:public_page", kwargs={"slug": institution.slug})
                    + f"#procedure-{p.pk}"
                )
            else:
                url = reverse("procedures:detail", kwargs={"pk": p.pk})
            for key in p.plan_section_keys:
                out.setdefault(key, []).append((p.title, url))
    return out
