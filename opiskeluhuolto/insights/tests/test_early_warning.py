"""Early warning with frozen time: each rule kind and step, no duplicate tasks, and guardian
notices for minors only (LAW.md L-ABS-1, L-ABS-2, L-ABS-3)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from opiskeluhuolto.imports.tests.helpers import import_text
from opiskeluhuolto.insights import actions
from opiskeluhuolto.insights.models import CareTask, GuardianNotice, TaskEvent, WarningStep
from opiskeluhuolto.organisation import actions as org_actions

from .conftest import AINO, EERO, ONNI, TODAY, weekdays

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-20 18:00 +02:00", tick=False):
        yield


def steps(student) -> list[tuple[str, int, str]]:
    return sorted(
        CareTask.objects.filter(student=student).values_list(
            "step__rule__kind", "step__threshold", "step__action"
        )
    )


def test_absence_hours_steps(learners, attend):
    # 5 days × 6 lessons of sickness = 30 hours: past Kemi's 25 h, not yet 50 h.
    attend(AINO, weekdays(date(2026, 9, 7), 5), "S")
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert ("absence_hours", 25, "contact_home") in steps(learners.aino)
    assert ("absence_hours", 50, "involve_kuraattori") not in steps(learners.aino)
    # Five more days: 60 hours, the second step opens its own task.
    attend(AINO, weekdays(date(2026, 9, 14), 5), "S")
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert ("absence_hours", 50, "involve_kuraattori") in steps(learners.aino)


def test_leave_and_late_do_not_count_as_absence_hours(learners, attend):
    attend(AINO, weekdays(date(2026, 9, 7), 5), "L")
    attend(ONNI, weekdays(date(2026, 9, 7), 5), "M")
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert CareTask.objects.filter(step__rule__kind="absence_hours").count() == 0


def test_unexplained_share_over_recent_weeks(learners, attend):
    recent = weekdays(date(2026, 11, 2), 10)
    attend(AINO, recent, "+", lessons=5)
    attend(ONNI, recent, "+", lessons=5)
    # Aino skips the 6th lesson every day: 10 of 60 lessons = 16 % ≥ 10 %.
    import_text(
        learners.lukio,
        "oppijanumero;pvm;tunti;kurssi;merkinta\n"
        + "".join(f"{AINO};{d.day}.{d.month}.{d.year};6;LI01;X\n" for d in recent),
        kind="attendance",
        today=TODAY,
        name="x.csv",
    )
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert ("unexplained_share", 10, "contact_home") in steps(learners.aino)
    assert steps(learners.onni) == []
    task = CareTask.objects.get(student=learners.aino, step__rule__kind="unexplained_share")
    assert task.value == 16
    assert task.assignee == learners.supervisor


def test_old_unexplained_absences_fall_out_of_the_window(learners, attend):
    attend(AINO, weekdays(date(2026, 9, 7), 2), "X", lessons=2)
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert ("unexplained_share", 10, "contact_home") not in steps(learners.aino)


def test_consecutive_absent_days(learners, attend):
    days = weekdays(date(2026, 11, 11), 6)  # Wed 11.11. – Wed 18.11., over a weekend
    attend(ONNI, days[:3], "S")  # three days only
    attend(ONNI, days[3:], "+")
    attend(AINO, days[:5], "S")
    attend(AINO, [days[5]], "+")
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert ("consecutive_days", 5, "contact_home") in steps(learners.aino)
    assert not any(k == "consecutive_days" for k, _t, _a in steps(learners.onni))


def test_progress_behind_plan_only_for_oppivelvolliset(learners):
    """LAW.md L-ABS-3: progress is followed for those under 18 (Aino 16, not adult Eero)."""
    text = "oppijanumero;pvm;suunniteltu;suoritettu\n"
    run = import_text(
        learners.lukio, text + f"{AINO};1.11.2026;60;30\n", kind="progress", today=TODAY
    )
    assert run.status == "succeeded"
    run = import_text(
        learners.amis, text + f"{EERO};1.11.2026;60;10\n", kind="progress", today=TODAY
    )
    assert run.status == "succeeded"
    actions.run_early_warning(learners.lukio, today=TODAY)
    actions.run_early_warning(learners.amis, today=TODAY)
    assert ("progress_behind", 25, "contact_home") in steps(learners.aino)
    assert steps(learners.eero) == []


def test_no_duplicate_tasks_for_the_same_step(learners, attend):
    attend(AINO, weekdays(date(2026, 9, 7), 5), "S")
    first, _ = actions.run_early_warning(learners.lukio, today=TODAY)
    again, _ = actions.run_early_warning(learners.lukio, today=TODAY)
    later, _ = actions.run_early_warning(learners.lukio, today=date(2026, 11, 27))
    assert first >= 1 and again == 0 and later == 0
    assert CareTask.objects.filter(student=learners.aino).count() == first
    assert TaskEvent.objects.filter(kind="opened").count() == first


def test_resigned_students_open_no_tasks(learners, attend):
    attend(AINO, weekdays(date(2026, 9, 7), 10), "S")
    learners.aino.status = "resigned"
    learners.aino.save(update_fields=["status"])
    assert actions.run_early_warning(learners.lukio, today=TODAY) == (0, 0)


def test_rules_are_configurable_per_institution(learners, attend):
    from opiskeluhuolto.insights.evaluate import install_default_rules

    rules = install_default_rules(learners.lukio)
    hours = next(r for r in rules if r.kind == "absence_hours")
    hours.steps.all().delete()
    WarningStep.objects.create(rule=hours, threshold=10, action="involve_kuraattori")
    attend(AINO, weekdays(date(2026, 9, 7), 2), "S")
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert ("absence_hours", 10, "involve_kuraattori") in steps(learners.aino)


def test_guardian_of_a_minor_is_told_of_unexplained_absences(
    learners, attend, mailoutbox, django_capture_on_commit_callbacks
):
    attend(AINO, weekdays(date(2026, 11, 16), 2), "X", lessons=2)
    with django_capture_on_commit_callbacks(execute=True):
        _tasks, notices = actions.run_early_warning(learners.lukio, today=TODAY)
    assert notices == 1
    assert [m.to for m in mailoutbox] == [[learners.guardian.email]]
    assert "Aino" in mailoutbox[0].subject
    assert "4" in mailoutbox[0].body
    assert GuardianNotice.objects.get().sent_at is not None
    # The nightly run again does not repeat the notice.
    with django_capture_on_commit_callbacks(execute=True):
        actions.run_early_warning(learners.lukio, today=TODAY)
    assert len(mailoutbox) == 1


def test_an_adult_students_guardian_is_never_told(
    learners, attend, mailoutbox, django_capture_on_commit_callbacks
):
    """LAW.md L-ABS-2: an adult student's absences are not reported to parents."""
    org_actions.link_guardian(learners.eero, learners.guardian)
    attend(EERO, weekdays(date(2026, 11, 16), 3), "X", institution=learners.amis)
    with django_capture_on_commit_callbacks(execute=True):
        _tasks, notices = actions.run_early_warning(learners.amis, today=TODAY)
    assert notices == 0
    assert mailoutbox == []
    assert not GuardianNotice.objects.exists()


def test_excused_absences_are_not_notified(learners, attend, mailoutbox):
    attend(AINO, weekdays(date(2026, 11, 16), 2), "S")
    actions.run_early_warning(learners.lukio, today=TODAY)
    assert mailoutbox == []


def test_command_runs_every_institution(learners, attend, capsys):
    attend(AINO, weekdays(date(2026, 9, 7), 5), "S")
    call_command("evaluate_early_warning", "--today", "2026-11-20")
    out = capsys.readouterr().out
    assert "etu-toolo:" in out and "amis:" in out
    assert CareTask.objects.filter(student=learners.aino).exists()
