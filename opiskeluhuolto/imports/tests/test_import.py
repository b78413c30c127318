"""Imports end to end: all or nothing, idempotent, summaries refreshed, a killed run re-runs."""

from __future__ import annotations

from datetime import date

import pytest

from opiskeluhuolto.imports import actions, columns, store
from opiskeluhuolto.imports.models import (
    AttendanceDay,
    Course,
    ImportRun,
    MarkCode,
    StudyProgress,
    StudyRightEvent,
    WeeklyAbsence,
    count_marks,
)
from opiskeluhuolto.organisation.models import Guardianship, Student

from .conftest import marks
from .helpers import AINO, EERO, ONNI, ROSTER_HEADER

pytestmark = pytest.mark.django_db

GOOD = marks(
    f"{AINO};16.11.2026;1;KEM01;X",
    f"{AINO};16.11.2026;2;KEM01;X",
    f"{AINO};17.11.2026;1;ENA01;S",
    f"{ONNI};17.11.2026;1;;+",
    f"{ONNI};17.11.2026;2;;M",
)


def week(student) -> WeeklyAbsence:
    return WeeklyAbsence.objects.get(student=student, week=date(2026, 11, 16))


@pytest.fixture(params=["fast", "careful"])
def reader(request, monkeypatch):
    """Both readers (columns.read_fast and the careful row reader) give the same answer."""
    if request.param == "careful":
        monkeypatch.setattr(columns, "read_fast", lambda *a, **kw: None)
    return request.param


def test_marks_are_written_and_the_week_summarised(do_import, learners, reader):
    run = do_import(GOOD)
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert run.rows_read == 5 and run.rows_written == 5
    assert count_marks() == 5
    w = week(learners.aino)
    assert (w.lessons, w.unexplained, w.health, w.present) == (3, 2, 1, 0)
    # Monday and Tuesday marked; Aino was absent from every marked lesson on both.
    assert w.marked_days == 0b11 and w.absent_days == 0b11
    assert (w.institution_id, w.group_id) == (learners.lukio.pk, learners.group.pk)
    onni = week(learners.onni)
    assert (onni.present, onni.late, onni.absent_days) == (1, 1, 0)
    assert Course.objects.filter(code__in=["KEM01", "ENA01"]).count() == 2


@pytest.mark.parametrize(
    ("text", "line", "code"),
    [
        (GOOD.encode("utf-8") + "ÄÄ".encode("latin-1") + b";1\n", 7, "encoding"),
        (GOOD.replace(";", ","), 1, "delimiter"),
        (GOOD[:-12], 6, "truncated"),
        (GOOD + f"{AINO};18.11.2026;1;X\n", 7, "fields"),
        (GOOD + "1.2.246.562.24.55555555555;18.11.2026;1;ENA;X\n", 7, "unknown_student"),
        (GOOD + f"{AINO};30.2.2026;1;ENA;X\n", 7, "date"),
        (GOOD + f"{AINO};18.11.2026;1;ENA;ZZ\n", 7, "unknown_code"),
        (GOOD + f"{AINO};16.11.2026;1;KEM01;S\n", 7, "duplicate"),
    ],
    ids=[
        "encoding",
        "delimiter",
        "truncated",
        "columns",
        "unknown-student",
        "impossible-date",
        "unknown-code",
        "duplicate-lesson",
    ],
)
def test_every_error_kind_rejects_the_whole_file(do_import, text, line, code, reader):
    run = do_import(text)
    assert run.status == ImportRun.Status.FAILED
    assert (run.errors[0]["line"], run.errors[0]["code"]) == (line, code)
    assert count_marks() == 0
    assert WeeklyAbsence.objects.count() == 0


def test_the_same_file_twice_adds_nothing(do_import):
    first = do_import(GOOD)
    second = do_import(GOOD)
    assert first.status == ImportRun.Status.SUCCEEDED
    assert second.status == ImportRun.Status.DUPLICATE
    assert count_marks() == 5


def test_an_overlapping_file_adds_only_new_marks_and_applies_corrections(
    do_import, learners, reader
):
    do_import(GOOD)
    # The guardian explained Monday's lessons; Wednesday is new.
    later = marks(
        f"{AINO};16.11.2026;1;KEM01;S",
        f"{AINO};16.11.2026;2;KEM01;S",
        f"{AINO};17.11.2026;1;ENA01;S",
        f"{AINO};18.11.2026;1;ENA01;+",
    )
    run = do_import(later)
    assert run.status == ImportRun.Status.SUCCEEDED
    assert count_marks() == 6
    w = week(learners.aino)
    assert (w.unexplained, w.health, w.present, w.lessons) == (0, 3, 1, 4)
    assert w.absent_days == 0b011


def test_a_failure_while_writing_leaves_nothing_and_the_run_can_be_repeated(
    do_import, learners, monkeypatch
):
    """A killed import: the transaction rolls back, and running the file again works."""
    from django.db import OperationalError

    def die(*args):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(store, "write_weeks", die)
    run = do_import(GOOD)
    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0]["code"] == "internal"
    assert count_marks() == 0
    monkeypatch.undo()
    again = do_import(GOOD)
    assert again.status == ImportRun.Status.SUCCEEDED
    assert count_marks() == 5


def test_a_run_left_running_by_a_dead_process_is_reported_interrupted(learners, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    path = tmp_path / "x.csv"
    path.write_text(GOOD)
    run = actions.create_run(learners.lukio, kind="attendance", path=path, file_name="x.csv")
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now() - timedelta(hours=3)
    )
    assert actions.mark_stale_runs() == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.errors[0]["code"] == "interrupted"


def test_students_of_another_institution_are_unknown(do_import, learners):
    run = do_import(marks(f"{EERO};16.11.2026;1;ENA;X"))  # Eero studies at the amis
    assert run.errors[0]["code"] == "unknown_student"


def test_roster_creates_students_groups_interruptions_and_guardians(do_import, learners):
    text = ROSTER_HEADER + (
        "1.2.246.562.24.30000000001;Uusi;Ulla;3.4.2010;25B;Etu-Töölö;läsnä;;;aiti@example.fi\n"
        "1.2.246.562.24.30000000002;Kesken;Kalle;3.4.2009;25B;Etu-Töölö;keskeytetty;"
        "1.10.2026;31.12.2026;\n"
        f"{AINO};Opiskelija;Aino;{learners.aino.date_of_birth:%d.%m.%Y};24A;Etu-Töölö;eronnut;"
        "15.11.2026;;\n"
    )
    run = do_import(text, kind="roster")
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    ulla = Student.objects.get(oppijanumero="1.2.246.562.24.30000000001")
    assert ulla.group.name == "25B" and ulla.campus == learners.lukio_campus
    assert Guardianship.objects.filter(student=ulla, guardian__email="aiti@example.fi").exists()
    learners.aino.refresh_from_db()
    assert learners.aino.status == Student.Status.RESIGNED
    kinds = set(StudyRightEvent.objects.values_list("kind", flat=True))
    assert kinds == {"interrupted", "resigned"}
    # The same roster again adds nothing.
    assert do_import(text, kind="roster").status == ImportRun.Status.DUPLICATE


def test_roster_removes_the_guardians_a_row_no_longer_lists(do_import, learners):
    """A change of custody ends the former guardian's link (and with it any access to the
    minor's welfare data); a row with no guardians leaves the links alone. Audited."""
    from opiskeluhuolto import audit
    from opiskeluhuolto.audit.models import AuditEvent

    opp = "1.2.246.562.24.30000000001"
    row = "1.2.246.562.24.30000000001;Uusi;Ulla;3.4.2010;25B;Etu-Töölö;läsnä;;;{}\n"
    assert do_import(ROSTER_HEADER + row.format("aiti@example.fi,isa@example.fi"), kind="roster")
    ulla = Student.objects.get(oppijanumero=opp)

    def guardians():
        return set(ulla.guardianships.values_list("guardian__email", flat=True))

    assert guardians() == {"aiti@example.fi", "isa@example.fi"}
    run = do_import(ROSTER_HEADER + row.format("aiti@example.fi"), kind="roster", name="2.csv")
    assert run.status == ImportRun.Status.SUCCEEDED, run.errors
    assert guardians() == {"aiti@example.fi"}
    removed = AuditEvent.objects.get(kind=audit.Kind.GUARDIANSHIP_REMOVED)
    assert removed.student_id_ref == ulla.pk and removed.source == audit.Source.IMPORT
    assert removed.before["student"] == ulla.pk and removed.after is None
    # An export without guardians says nothing about custody.
    do_import(ROSTER_HEADER + row.format(""), kind="roster", name="3.csv")
    assert guardians() == {"aiti@example.fi"}


def test_roster_finds_a_guardian_whatever_the_case_of_her_address(do_import, learners):
    """The file's addresses are lower-cased; an account's may not be. The guardian is
    found, not created again, and her link is kept."""
    from opiskeluhuolto.accounts.models import User

    opp = "1.2.246.562.24.30000000001"
    row = f"{opp};Uusi;Ulla;3.4.2010;25B;Etu-Töölö;läsnä;;;Aiti@Example.fi\n"
    mother = User.objects.create(username="aiti", email="Aiti@Example.fi")
    assert do_import(ROSTER_HEADER + row, kind="roster").status == ImportRun.Status.SUCCEEDED
    ulla = Student.objects.get(oppijanumero=opp)
    assert list(ulla.guardianships.values_list("guardian", flat=True)) == [mother.pk]
    again = row.replace("Aiti@Example.fi", "aiti@example.fi")
    assert do_import(ROSTER_HEADER + again, kind="roster", name="2.csv").status == "succeeded"
    assert list(ulla.guardianships.values_list("guardian", flat=True)) == [mother.pk]
    assert User.objects.filter(email__iexact="aiti@example.fi").count() == 1


def test_roster_errors_reject_everything(do_import):
    text = ROSTER_HEADER + (
        "1.2.246.562.24.30000000001;Uusi;Ulla;3.4.2010;25B;Etu-Töölö;läsnä;;;\n"
        "1.2.246.562.24.30000000002;Uusi;Ulla;31.4.2010;25B;Etu-Töölö;läsnä;;;\n"
    )
    run = do_import(text, kind="roster")
    assert (run.errors[0]["line"], run.errors[0]["code"]) == (3, "date")
    assert not Student.objects.filter(oppijanumero="1.2.246.562.24.30000000001").exists()


def test_progress_import(do_import, learners):
    text = "oppijanumero;pvm;suunniteltu;suoritettu\n" + f"{AINO};1.11.2026;60;30\n"
    run = do_import(text, kind="progress")
    assert run.status == ImportRun.Status.SUCCEEDED
    p = StudyProgress.objects.get(student=learners.aino)
    assert (p.credits_planned, p.credits_done) == (60, 30)
    bad = do_import(
        "oppijanumero;pvm;suunniteltu;suoritettu\n" + f"{AINO};1.11.2026;sixty;30\n",
        kind="progress",
        name="bad.csv",
    )
    assert bad.errors[0]["code"] == "number"


def test_command_imports_with_a_progress_bar(learners, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "wilma.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_attendance", str(path), "--institution", "etu-toolo", "--progress")
    captured = capsys.readouterr()
    assert "100%" in captured.err
    assert "Imported 5 rows" in captured.out
    assert count_marks() == 5


def test_command_reports_errors_and_fails(learners, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.csv"
    path.write_text(GOOD + f"{AINO};30.2.2026;1;ENA;X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_attendance", str(path), "--institution", "etu-toolo")
    assert count_marks() == 0


def test_default_mark_codes_are_installed_once(learners):
    actions.ensure_mark_codes(learners.lukio)
    actions.ensure_mark_codes(learners.lukio)
    assert learners.lukio.mark_codes.count() == 9


def test_a_lesson_twice_in_a_later_overlapping_file_is_refused(do_import, learners):
    """The upsert path (marks already exist) refuses duplicates like the first load does."""
    do_import(GOOD)
    run = do_import(
        marks(
            f"{AINO};16.11.2026;1;KEM01;S",
            f"{AINO};18.11.2026;1;ENA01;+",
            f"{AINO};18.11.2026;1;ENA01;X",
        )
    )
    assert run.status == ImportRun.Status.FAILED
    assert (run.errors[0]["line"], run.errors[0]["code"], run.errors[0]["other"]) == (
        4,
        "duplicate",
        3,
    )
    monday = AttendanceDay.objects.get(student=learners.aino, day=date(2026, 11, 16))
    assert MarkCode.objects.get(pk=monday.lessons()[0][1]).code == "X"
