"""Demo: the procedures of Sedu and Etu-Töölö, and held drills with corrective actions.

Sedu's bullying procedure has two versions: the second was published last week, so the
campus welfare groups have "review the updated procedure" on their next agenda and the
teachers are asked to confirm reading it (opettaja has not yet). The Seinäjoki campus's
safety plan is due for review within the month (the annual clock and the reminder show
it). A lockdown drill held on the Seinäjoki campus fulfilled the clock's drill item and
left one corrective action open past its due date.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.demo.cast import DemoContext
from opiskeluhuolto.organisation.models import Role

from .. import actions, safety
from ..models import Procedure, ProcedureVersion, SafetyRecord
from . import content

STAFF_MUST_KNOW = [Role.TEACHER, Role.GROUP_SUPERVISOR, Role.SPECIAL_NEEDS_TEACHER]
PLAN_SECTIONS = {
    "bullying": ["protection"],
    "crisis": ["communal"],
    "substance": ["communal"],
    "absences": ["communal"],
    "safety": ["protection"],
}
AUDIENCE = {
    "bullying": ["staff", "students", "guardians", "public"],
    "crisis": ["staff", "students", "guardians"],
    "substance": ["staff", "students", "guardians"],
    "absences": ["staff", "students", "guardians", "public"],
    "safety": ["staff"],
}


def _publish(version: ProcedureVersion, by, days_ago: int) -> None:
    """`by` approves and publishes: another member of the owner group than the author."""
    actions.approve(version, by=by)
    actions.publish(version, by=by)
    at = timezone.now() - timedelta(days=days_ago)
    ProcedureVersion.objects.filter(pk=version.pk).update(
        approved_at=at, published_at=at, created_at=at - timedelta(days=3)
    )


def _procedure(ctx, text: dict, *, by, approver, review_in: int, days_ago: int = 200, **fields):
    kind = text["kind"]
    procedure = Procedure.objects.create(
        kind=kind,
        title=text["title"],
        audience=AUDIENCE[kind],
        must_know_roles=STAFF_MUST_KNOW,
        plan_section_keys=PLAN_SECTIONS[kind],
        **fields,
    )
    version = actions.add_version(
        procedure,
        steps=text["steps"],
        summary=text["summary"],
        review_on=ctx.today + timedelta(days=review_in),
        translations={"sv": text["sv"]},
        by=by,
    )
    _publish(version, approver, days_ago)
    return procedure


def seed(ctx: DemoContext) -> None:
    u = ctx.users
    sedu_p, helsinki = ctx.providers["sedu"], ctx.providers["helsinki"]
    sedu, lukio = ctx.institutions["sedu"], ctx.institutions["lukio"]
    sei, etu_campus = ctx.campuses["seinajoki"], ctx.campuses["etu"]
    sedu_group = Group.objects.get(name="Sedun opiskeluhuoltoryhmä")
    campus_groups = list(
        Group.objects.filter(provider=sedu_p, kind=Group.Kind.CAMPUS).order_by("pk")
    )
    safety_group = Group.objects.get(name="Turvallisuusryhmä, Sedu Seinäjoki")
    etu_group = Group.objects.get(name="Etu-Töölön lukion opiskeluhuoltoryhmä")

    # --- Sedu: institution-wide procedures, followed by every campus welfare group ------
    sedu_fields: dict[str, Any] = dict(provider=sedu_p, institution=sedu, owner_group=sedu_group)
    bullying = _procedure(
        ctx,
        content.BULLYING,
        by=u["psykologi"],
        approver=u["rehtori"],
        review_in=300,
        days_ago=400,
        responsible=u["kuraattori"],
        follow_up_days=14,
        **sedu_fields,
    )
    crisis = _procedure(
        ctx, content.CRISIS, by=u["psykologi"], approver=u["rehtori"], review_in=200, **sedu_fields
    )
    _procedure(
        ctx,
        content.SUBSTANCE,
        by=u["psykologi"],
        approver=u["rehtori"],
        review_in=250,
        responsible=u["terveydenhoitaja"],
        follow_up_days=21,
        **sedu_fields,
    )
    _procedure(
        ctx,
        content.ABSENCES,
        by=u["psykologi"],
        approver=u["rehtori"],
        review_in=150,
        **sedu_fields,
    )
    for procedure in Procedure.objects.filter(provider=sedu_p):
        procedure.followers.set(campus_groups)
    # The bullying procedure was updated last week: the campus groups review it, and the
    # teachers confirm reading it (ryhmanohjaaja already has; opettaja has not).
    steps = content.BULLYING["steps"][:5] + [
        content.step(
            "Seuraa tilannetta: seurantakeskustelu kahden viikon kuluessa ja uudelleen "
            "kuukauden kuluttua; kirjaa seuranta ja sulje tilanne vasta sen jälkeen.",
            "kuraattori",
        )
    ]
    v2 = actions.add_version(
        bullying,
        steps=steps,
        summary=content.BULLYING["summary"],
        change_note="Seurantakeskustelu myös kuukauden kuluttua; ilmoitus järjestelmään.",
        review_on=ctx.today + timedelta(days=365),
        translations={"sv": content.BULLYING["sv"]},
        by=u["kuraattori"],
    )
    _publish(v2, u["psykologi"], days_ago=6)
    v2.refresh_from_db()
    actions.confirm_read(v2, by=u["ryhmanohjaaja"])

    # --- Sedu Seinäjoki: the campus's safety and crisis plan (adapts the crisis plan) ----
    _procedure(
        ctx,
        content.campus_safety(sei.name),
        by=u["rehtori"],
        approver=u["opettaja"],  # a member of the campus's safety group
        review_in=20,  # due soon: the owner is reminded and the clock shows it
        provider=sedu_p,
        institution=sedu,
        campus=sei,
        adapts=crisis,
        owner_group=safety_group,
        responsible=u["rehtori"],
    )

    # --- Etu-Töölö (seed 000): the lukio's own procedures --------------------------------
    etu_fields: dict[str, Any] = dict(provider=helsinki, institution=lukio, owner_group=etu_group)
    etu_by = u["etu-rehtori"]
    etu_fields["approver"] = u["etu-kuraattori"]  # the group's secretary approves
    _procedure(
        ctx,
        content.BULLYING,
        by=etu_by,
        review_in=330,
        responsible=u["etu-kuraattori"],
        **etu_fields,
    )
    etu_crisis = _procedure(ctx, content.CRISIS, by=etu_by, review_in=240, **etu_fields)
    _procedure(
        ctx,
        content.SUBSTANCE,
        by=etu_by,
        review_in=270,
        responsible=u["etu-kuraattori"],
        **etu_fields,
    )
    _procedure(ctx, content.ABSENCES, by=etu_by, review_in=180, **etu_fields)
    _procedure(
        ctx,
        content.campus_safety(etu_campus.name),
        by=etu_by,
        approver=u["etu-kuraattori"],
        review_in=120,
        provider=helsinki,
        institution=lukio,
        campus=etu_campus,
        adapts=etu_crisis,
        owner_group=etu_group,
    )

    _drills(ctx)


def _drills(ctx: DemoContext) -> None:
    u = ctx.users
    sei = ctx.campuses["seinajoki"]
    sedu_drills = ClockItem.objects.filter(
        clock__provider=ctx.providers["sedu"], type=ClockItem.Type.DRILL
    ).order_by("pk")
    # The welfare clock's drill items of seed 003: the lockdown drill (planned for
    # January–March, held early this year) and the safety walk with new students.
    sedu_item = sedu_drills.filter(title__icontains="suojautumisharjoitus").first()
    walk_item = sedu_drills.filter(title__startswith="Turvallisuusasiat").first()
    held = ctx.today - timedelta(days=40)
    safety.record_safety(
        campus=sei,
        kind=SafetyRecord.Kind.LOCKDOWN,
        held_on=held,
        by=u["rehtori"],
        duration_minutes=25,
        groups="Kaikki kampuksella olleet ryhmät (noin 600 opiskelijaa ja 60 henkilöstöä)",
        findings=(
            "Kuulutus ei kuulunut liikuntasaliin eikä B-siiven työsaleihin. Kahden luokan "
            "ovia ei saanut lukittua sisältäpäin. Muutoin suojautuminen sujui kolmessa "
            "minuutissa."
        ),
        clock_item=sedu_item,
        actions=[
            {
                "description": "Kaiuttimet liikuntasaliin ja B-siiven työsaleihin",
                "owner": u["rehtori"],
                "due_on": held + timedelta(days=30),
            },
            {
                "description": "Sisältä lukittavat painikkeet luokkiin B112 ja B114",
                "owner": u["rehtori"],
                "due_on": held + timedelta(days=14),
            },
            {
                "description": "Opettajille ohje: mistä kuulutus kuuluu ja tekstiviestihälytys",
                "owner": u["opettaja"],
                "due_on": held + timedelta(days=60),
            },
        ],
    )
    record = SafetyRecord.objects.get(campus=sei, held_on=held)
    done = record.actions.get(description__startswith="Sisältä lukittavat")
    safety.mark_done(
        done, by=u["rehtori"], on=held + timedelta(days=12), notes="Kiinteistöhuolto asensi."
    )
    safety.record_safety(
        campus=sei,
        kind=SafetyRecord.Kind.SAFETY_WALK,
        held_on=ctx.today - timedelta(days=90),
        by=u["opettaja"],
        duration_minutes=45,
        groups="Uudet opiskelijat 25A ja 25B",
        findings="Poistumisreittikyltti puuttui C-portaasta.",
        clock_item=walk_item,
        actions=[
            {
                "description": "Poistumisreittikyltti C-portaaseen",
                "owner": u["rehtori"],
                "due_on": ctx.today - timedelta(days=70),
            }
        ],
    )
    walk = SafetyRecord.objects.get(campus=sei, kind=SafetyRecord.Kind.SAFETY_WALK)
    safety.mark_done(walk.actions.get(), by=u["rehtori"], on=ctx.today - timedelta(days=75))
    etu_item = ClockItem.objects.filter(
        clock__provider=ctx.providers["helsinki"], type=ClockItem.Type.DRILL
    ).first()
    safety.record_safety(
        campus=ctx.campuses["etu"],
        kind=SafetyRecord.Kind.EVACUATION,
        held_on=ctx.today - timedelta(days=60),
        by=ctx.users["etu-rehtori"],
        duration_minutes=15,
        groups="Koko lukio",
        findings="Poistuminen kesti 6 minuuttia; kokoontumispaikalla nimenhuuto sujui.",
        clock_item=etu_item,
    )
