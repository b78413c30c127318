"""Moving to the packed day rows keeps every stored mark and every weekly summary."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("imports", "0003_drop_mark_day_index")]
AFTER = [("imports", "0005_weekly_natural_key")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_marks_and_summaries_survive_the_move_to_day_rows():
    old = migrate(BEFORE)
    try:
        Provider = old.get_model("organisation", "Provider")
        Institution = old.get_model("organisation", "Institution")
        Student = old.get_model("organisation", "Student")
        MarkCode = old.get_model("imports", "MarkCode")
        Course = old.get_model("imports", "Course")
        Mark = old.get_model("imports", "AttendanceMark")
        Weekly = old.get_model("imports", "WeeklyAbsence")
        provider = Provider.objects.create(name="P")
        inst = Institution.objects.create(provider=provider, name="I", slug="i", level="lukio")
        aino = Student.objects.create(
            institution=inst, first_name="Aino", last_name="A", date_of_birth=date(2010, 1, 1)
        )
        x = MarkCode.objects.create(institution=inst, code="X", absence_class="unexplained")
        plus = MarkCode.objects.create(institution=inst, code="+", absence_class="present")
        ena = Course.objects.create(institution=inst, code="ENA01")
        monday = date(2026, 11, 16)
        Mark.objects.create(student=aino, day=monday, lesson=1, code=x, course=ena)
        Mark.objects.create(student=aino, day=monday, lesson=3, code=plus, course=None)
        Mark.objects.create(student=aino, day=date(2026, 11, 17), lesson=2, code=x, course=ena)
        Weekly.objects.create(
            student=aino, week=monday, institution=inst, lessons=3, unexplained=2, present=1
        )
        new = migrate(AFTER)
        Day = new.get_model("imports", "AttendanceDay")
        days = {d.day: d for d in Day.objects.filter(student_id=aino.pk)}
        assert set(days) == {monday, date(2026, 11, 17)}
        from opiskeluhuolto.imports.models import AttendanceDay

        unpacked = {
            day: AttendanceDay(codes=d.codes, courses=d.courses).lessons()
            for day, d in days.items()
        }
        assert unpacked == {
            monday: [(1, x.pk, ena.pk), (3, plus.pk, None)],
            date(2026, 11, 17): [(2, x.pk, ena.pk)],
        }
        week = new.get_model("imports", "WeeklyAbsence").objects.get(student_id=aino.pk)
        assert (week.week, week.lessons, week.unexplained, week.present) == (monday, 3, 2, 1)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
