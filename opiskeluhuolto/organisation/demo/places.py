"""The demo's providers, institutions, campuses and school calendars: Sedu-like (seed 003)
and Etu-Töölön lukio (seed 000), and the wellbeing counties they belong to."""

from __future__ import annotations

from datetime import date, timedelta

from ..models import CalendarPeriod, Campus, Institution, Provider, SchoolYear, WellbeingCounty
from .cast import DemoContext, school_year_start


def seed_calendar(inst: Institution, first_year: int, *, lukio: bool) -> None:
    """Two school years (last and current), with terms and the usual breaks."""
    for y in (first_year - 1, first_year):
        year = SchoolYear.objects.create(
            institution=inst,
            name=f"{y}–{y + 1}",
            starts_on=date(y, 8, 1),
            ends_on=date(y + 1, 7, 31),
        )
        autumn_start = date(y, 8, 11 if lukio else 10)
        periods = [
            (
                CalendarPeriod.Kind.TERM,
                "Syyslukukausi",
                autumn_start,
                date(y, 12, 21 if lukio else 19),
            ),
            (
                CalendarPeriod.Kind.TERM,
                "Kevätlukukausi",
                date(y + 1, 1, 7),
                date(y + 1, 6, 4 if lukio else 1),
            ),
        ]
        # Autumn break in ISO week 42, winter break week 8 (Helsinki) or 9 (Etelä-Pohjanmaa).
        wk42 = date.fromisocalendar(y, 42, 1)
        winter = date.fromisocalendar(y + 1, 8 if lukio else 9, 1)
        periods += [
            (CalendarPeriod.Kind.BREAK, "Syysloma", wk42, wk42 + timedelta(days=4)),
            (CalendarPeriod.Kind.BREAK, "Talviloma", winter, winter + timedelta(days=4)),
        ]
        if not lukio:
            # A staff training day in the autumn term.
            periods.append(
                (
                    CalendarPeriod.Kind.DAY_OFF,
                    "Henkilöstön koulutuspäivä",
                    date.fromisocalendar(y, 45, 5),
                    date.fromisocalendar(y, 45, 5),
                )
            )
        for kind, name, start, end in periods:
            CalendarPeriod.objects.create(
                school_year=year, kind=kind, name=name, starts_on=start, ends_on=end
            )


def seed_places(ctx: DemoContext) -> WellbeingCounty:
    """The two providers with their institutions, campuses and calendars (in `ctx`); the
    wellbeing county of Sedu (Etelä-Pohjanmaa), which the regional seeders continue."""
    ep = WellbeingCounty.objects.create(name="Etelä-Pohjanmaan hyvinvointialue")
    hki = WellbeingCounty.objects.create(name="Helsingin kaupunki (sosiaali- ja terveystoimi)")
    sedu = Provider.objects.create(
        name="Koulutuskeskus Sedu", business_id="0204819-8", wellbeing_county=ep
    )
    helsinki = Provider.objects.create(
        name="Helsingin kaupunki, kasvatuksen ja koulutuksen toimiala",
        business_id="0201256-6",
        wellbeing_county=hki,
    )
    ctx.providers.update(sedu=sedu, helsinki=helsinki)
    sedu_inst = Institution.objects.create(
        provider=sedu,
        name="Sedu",
        slug="sedu",
        level=Institution.Level.VOCATIONAL,
        municipality="Seinäjoki",
    )
    lukio = Institution.objects.create(
        provider=helsinki,
        name="Etu-Töölön lukio",
        slug="etu-toolon-lukio",
        level=Institution.Level.UPPER_SECONDARY,
        municipality="Helsinki",
    )
    ctx.institutions.update(sedu=sedu_inst, lukio=lukio)
    campus_names = [
        ("seinajoki", "Sedu Seinäjoki, Koulutie", "Koulutie 2, 60100 Seinäjoki"),
        ("tornava", "Sedu Seinäjoki, Törnäväntie", "Törnäväntie 24, 60200 Seinäjoki"),
        ("lapua", "Sedu Lapua", "Kiviristintie 1, 62100 Lapua"),
        ("ilmajoki", "Sedu Ilmajoki", "Ilmajoentie 525, 60800 Ilmajoki"),
        ("kurikka", "Sedu Kurikka", "Kurikantie 4, 61300 Kurikka"),
    ]
    for key, name, address in campus_names:
        ctx.campuses[key] = Campus.objects.create(institution=sedu_inst, name=name, address=address)
    ctx.campuses["etu"] = Campus.objects.create(
        institution=lukio, name="Etu-Töölön lukio", address="Cygnaeuksenkatu 2, 00100 Helsinki"
    )
    first_year = school_year_start(ctx.today)
    seed_calendar(sedu_inst, first_year, lukio=False)
    seed_calendar(lukio, first_year, lukio=True)
    return ep
