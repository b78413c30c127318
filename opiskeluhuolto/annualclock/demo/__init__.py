"""Demo clocks: both real Sedu clocks of seed 003 (from data/sedu-vuosikellot.yaml, carried
faithfully), a campus adaptation that shows layering, and a small Etu-Töölö clock.

The groups do not exist yet when this runs (annualclock seeds before meetings);
meetings/demo.py links the clocks to the groups that follow them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from opiskeluhuolto.organisation.demo.cast import DemoContext, school_year_start

from .. import actions
from ..models import Clock, ClockItem

DATA = Path(__file__).resolve().parents[1] / "data" / "sedu-vuosikellot.yaml"
WELFARE_CLOCK, HOME_SCHOOL_CLOCK = 0, 1


@lru_cache(maxsize=1)
def sedu_clocks() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def item_fields(raw: dict, *, fallback_anchor: int) -> dict:
    """Map one transcribed item to ClockItem fields, keeping every explicit timing as it is."""
    fields: dict = {
        "title": raw["title"],
        "type": raw["type"],
        "placement_inferred": raw.get("placement") == "inferred",
        "results_due": raw.get("results", ""),
        "note": raw.get("note", ""),
    }
    if "date" in raw:
        day, month = (int(p) for p in raw["date"].strip(".").split("."))
        fields.update(kind="date", day=day, month=month)
    elif "iso_weeks" in raw:
        first, last = raw["iso_weeks"]
        fields.update(kind="weeks", first_week=first, last_week=last)
    else:
        months = raw["months"]
        fields.update(kind="months", first_month=months[0], last_month=months[-1])
    if raw.get("every_years"):
        fields["every_years"] = raw["every_years"]
        if raw.get("anchor_year"):
            fields["anchor_year"] = raw["anchor_year"]
        else:
            # The seed says "every second year" without saying which: assume this school year.
            fields["anchor_year"] = fallback_anchor
            fields["note"] = (fields["note"] + "; " if fields["note"] else "") + (
                f"vuorovuosi oletettu: {fallback_anchor}"
            )
    return fields


def seed(ctx: DemoContext) -> None:
    admin = ctx.users["admin"]
    sedu, helsinki = ctx.providers["sedu"], ctx.providers["helsinki"]
    data = sedu_clocks()
    anchor = school_year_start(ctx.today)
    clocks = []
    for spec, kind in zip(data["clocks"], ("welfare", "home_school"), strict=True):
        clock = actions.create_clock(by=admin, provider=sedu, name=spec["name"], kind=kind)
        ClockItem.objects.bulk_create(
            ClockItem(clock=clock, **item_fields(raw, fallback_anchor=anchor))
            for raw in spec["items"]
        )
        clocks.append(clock)
    for item in ClockItem.objects.filter(clock__in=clocks):
        item.full_clean()  # every transcribed timing is a valid rule

    # Layering (seed 004: a common clock each campus adapts). Lapua holds its home
    # evenings in September only and adds its own item; Seinäjoki adds a safety walk.
    sedu_inst = ctx.institutions["sedu"]
    welfare = clocks[WELFARE_CLOCK]
    evenings = welfare.items.get(title="Kotiväenillat")
    actions.adapt_item(
        evenings,
        by=admin,
        institution=sedu_inst,
        campus=ctx.campuses["lapua"],
        first_month=9,
        last_month=9,
        note="Lapualla kotiväenilta pidetään syyskuussa.",
    )
    lapua = Clock.objects.get(parent=welfare, campus=ctx.campuses["lapua"])
    actions.add_item(
        lapua,
        by=admin,
        title="Lapuan kampuksen hyvinvointipäivä",
        type="event",
        kind="weeks",
        first_week=37,
        last_week=37,
        audience="opiskelijat ja henkilöstö",
    )
    seinajoki = actions.adaptation_for(
        welfare, by=admin, institution=sedu_inst, campus=ctx.campuses["seinajoki"]
    )
    actions.add_item(
        seinajoki,
        by=admin,
        title="Kampuksen turvallisuuskävely uusien opiskelijoiden kanssa",
        type="drill",
        kind="weeks",
        first_week=35,
        last_week=36,
        audience="uudet opiskelijat",
    )

    # Etu-Töölö (seed 000): services announced each school year; the plan once per council term.
    etu = actions.create_clock(
        by=ctx.users["etu-admin"],
        provider=helsinki,
        institution=ctx.institutions["lukio"],
        name="Etu-Töölön lukion opiskeluhuollon vuosikello",
        kind="welfare",
    )
    for fields in (
        dict(
            title="Opiskeluhuollon palveluista tiedottaminen",
            type="communication",
            kind="months",
            first_month=8,
            last_month=8,
        ),
        dict(
            title="Ryhmäytyminen ja tutorointi",
            type="event",
            kind="months",
            first_month=8,
            last_month=9,
        ),
        dict(
            title="Kouluterveyskysely",
            type="survey",
            kind="months",
            first_month=3,
            last_month=4,
            every_years=2,
            anchor_year=2025,
            results_due="syksyllä",
        ),
        dict(
            title="Kiusaamisen ehkäisyn teemaviikko",
            type="event",
            kind="weeks",
            first_week=46,
            last_week=46,
        ),
        dict(title="Poistumisharjoitus", type="drill", kind="date", day=12, month=9),
        dict(
            title="Opiskeluhuoltosuunnitelman toteutumisen arviointi",
            type="report",
            kind="months",
            first_month=5,
            last_month=5,
        ),
        dict(
            title="Abiturienttien jaksamisen tuki", type="meeting_topic", kind="term", term="spring"
        ),
    ):
        actions.add_item(etu, by=ctx.users["etu-admin"], **fields)
