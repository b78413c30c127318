"""Demo: incidents on the Sedu Seinäjoki campus and at Etu-Töölö, in every state.

Today's bullying report (new), one being handled, one waiting for its follow-up, one
whose follow-up date has passed (flagged overdue), a student's anonymous report, and
a history of closed ones over the last months so that the welfare group's summary has
cells both shown and suppressed. The students involved are the generated ones, never the
sign-in cast's own stories (Aino's case stays hers).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from opiskeluhuolto.organisation.demo.cast import DemoContext
from opiskeluhuolto.organisation.models import Student
from opiskeluhuolto.records.models import RetentionClass

from .. import actions, summary
from ..models import Incident, Step


def _at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _backdate(incident: Incident, days: int) -> None:
    """Move a report (and its routing dates) `days` back in time."""
    shift = timedelta(days=days)
    Incident.objects.filter(pk=incident.pk).update(
        created_at=incident.created_at - shift,
        occurred_at=incident.occurred_at - shift,
        due_on=incident.due_on - shift if incident.due_on else None,
    )
    incident.refresh_from_db()


def seed(ctx: DemoContext) -> None:
    u, today = ctx.users, ctx.today
    # The provider decides the period (LAW.md L-906-7, L-RET-1): 3 years from closing is
    # the demo's example, not a legal figure.
    for provider in ctx.providers.values():
        RetentionClass.objects.create(
            provider=provider,
            document_type=RetentionClass.DocumentType.INCIDENT,
            years=3,
            start_event=RetentionClass.StartEvent.RESOLVED,
        )
    sei = ctx.campuses["seinajoki"]
    cast_ids = [s.pk for s in ctx.students.values()]
    pool = list(Student.objects.filter(campus=sei).exclude(pk__in=cast_ids).order_by("pk")[:12])
    kuraattori, teacher = u["kuraattori"], u["opettaja"]

    def report(category, students, *, hour=10, days_ago=0, by=teacher, **kw):
        incident = actions.report(
            by=by,
            campus=sei,
            category=category,
            occurred_at=min(_at(today, hour), timezone.now() - timedelta(minutes=30)),
            students=students,
            **kw,
        )
        if days_ago:
            _backdate(incident, days_ago)
        return incident

    # New: reported this morning, nothing done yet.
    report(
        "bullying",
        pool[0:2],
        place="Ruokala",
        description="Kaksi opiskelijaa tönivät ja nimittelivät kolmatta ruokajonossa.",
        immediate_actions="Erotin osapuolet ja puhuin kiusatun kanssa hetken.",
        others="Ruokalan työntekijä näki tilanteen.",
        hour=8,
    )
    # Being handled: discussions held.
    handled = report(
        "harassment",
        pool[2:3],
        place="Autoalan työsali",
        description="Opiskelija kertoi saaneensa toistuvasti seksuaalissävytteisiä viestejä.",
        immediate_actions="Ohjasin kuraattorille.",
        days_ago=3,
    )
    actions.add_step(
        handled,
        by=kuraattori,
        kind=Step.Kind.DISCUSSION,
        note="Keskustelu opiskelijan kanssa; viestit tallennettu.",
        on=today - timedelta(days=2),
    )
    # Waiting for its follow-up.
    waiting = report(
        "violence",
        pool[3:5],
        place="Pysäköintialue",
        description="Tappelu välitunnilla, ei vammoja.",
        immediate_actions="Erotin osapuolet, ilmoitin koulutuspäällikölle.",
        days_ago=8,
    )
    for kind, note, ago in (
        (Step.Kind.DISCUSSION, "Keskustelut molempien kanssa erikseen.", 7),
        (Step.Kind.GUARDIAN, "Huoltajille soitettu.", 7),
        (Step.Kind.DECISION, "Sovittu sovittelukeskustelu; kirjallinen varoitus ei tarpeen.", 6),
    ):
        actions.add_step(waiting, by=kuraattori, kind=kind, note=note, on=today - timedelta(ago))
    actions.set_follow_up(waiting, on=today + timedelta(days=6))
    # Overdue: its follow-up date passed without a follow-up.
    overdue = report(
        "substance",
        pool[5:6],
        place="Kampuksen takapiha",
        description="Opiskelija vaikutti päihtyneeltä iltapäivän tunnilla.",
        immediate_actions="Saatoin terveydenhoitajalle.",
        days_ago=30,
    )
    actions.add_step(
        overdue,
        by=overdue.handler or kuraattori,
        kind=Step.Kind.DISCUSSION,
        note="Terveydenhoitajan arvio; ohjattu nuorten päihdepalveluihin.",
        on=today - timedelta(days=29),
    )
    Incident.objects.filter(pk=overdue.pk).update(
        status=Incident.Status.FOLLOW_UP, follow_up_on=today - timedelta(days=5)
    )
    # A student's anonymous report, asking to be contacted.
    actions.report_anonymously(
        campus=sei,
        category="bullying",
        occurred_at=timezone.now() - timedelta(days=1),
        place="Kampuksen Discord-kanava",
        description="Ryhmässä jaetaan pilkkaavia kuvia yhdestä opiskelijasta.",
        name="Ella",
        wants_contact=True,
        contact="Wilma-viesti",
    )
    # History: closed in time over the last months (the summary's counts and share).
    for n in range(14):
        category = "bullying" if n % 3 else "substance"
        involved = pool[6 + n % 6 : 7 + n % 6]
        done = report(category, involved, days_ago=20 + 9 * n, place="Kampus")
        on = timezone.localdate(done.created_at)
        for kind in (Step.Kind.DISCUSSION, Step.Kind.GUARDIAN, Step.Kind.FOLLOW_UP):
            Step.objects.create(incident=done, kind=kind, on=on, by=done.handler or kuraattori)
        closed_at = done.created_at + timedelta(days=10 if n != 4 else 25)
        Incident.objects.filter(pk=done.pk).update(
            status=Incident.Status.CLOSED, closed_at=closed_at
        )

    # Etu-Töölö: one being handled by the lukio's kuraattori.
    etu = ctx.campuses["etu"]
    lotta_pk = ctx.students["lotta"].pk
    etu_students = list(Student.objects.filter(campus=etu).exclude(pk=lotta_pk).order_by("pk")[:1])
    incident = actions.report(
        by=u["etu-rehtori"],
        campus=etu,
        category="bullying",
        occurred_at=timezone.now() - timedelta(days=2),
        place="Liikuntasalin pukuhuone",
        description="Opiskelijan vaatteet piilotettiin toistuvasti.",
        students=etu_students,
    )
    actions.add_step(
        incident,
        by=incident.handler or u["etu-kuraattori"],
        kind=Step.Kind.DISCUSSION,
        note="Keskustelu opiskelijan kanssa.",
    )

    # The standing topic: the summary waits on every welfare group's next agenda.
    summary.propose_summaries(today)
