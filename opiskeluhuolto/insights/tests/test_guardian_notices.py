"""Guardian notices after an import: who is told (minors' guardians only, each notice once)
and how the work grows with the roster (linearly: a constant number of queries, and the
Python work per student constant, measured by counting executed lines, not by timing).
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from itertools import count

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opiskeluhuolto.imports.models import WeeklyAbsence
from opiskeluhuolto.insights import actions, rules
from opiskeluhuolto.insights.models import GuardianNotice
from opiskeluhuolto.organisation.models import Guardianship, Student

from .conftest import TODAY

pytestmark = pytest.mark.django_db

THIS_WEEK = TODAY - timedelta(days=TODAY.weekday())
LAST_WEEK = THIS_WEEK - timedelta(weeks=1)
_serial = count(1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-20 18:00 +02:00", tick=False):
        yield


def born(years: int, days: int = 30) -> date:
    """A birthday `years` years and `days` days before TODAY (days=0: the birthday is today)."""
    return TODAY.replace(year=TODAY.year - years) - timedelta(days=days)


def roster(
    institution,
    n: int,
    *,
    guardians: int = 2,
    weeks=(LAST_WEEK, THIS_WEEK),
    hours: int = 3,
    date_of_birth: date | None = None,
    status: str = Student.Status.ACTIVE,
) -> list[Student]:
    """n students of one institution, each with `guardians` guardians of their own and
    `hours` unexplained lessons in each of `weeks`; written in bulk."""
    user = get_user_model()
    first = next(_serial)
    for _ in range(n - 1):
        next(_serial)
    students = Student.objects.bulk_create(
        Student(
            institution=institution,
            first_name=f"S{first + i}",
            last_name="Roster",
            date_of_birth=date_of_birth or born(15),
            status=status,
        )
        for i in range(n)
    )
    people = user.objects.bulk_create(
        user(username=f"g{first + i}-{k}", email=f"g{first + i}-{k}@test.invalid")
        for i in range(n)
        for k in range(guardians)
    )
    Guardianship.objects.bulk_create(
        Guardianship(student=s, guardian=people[i * guardians + k])
        for i, s in enumerate(students)
        for k in range(guardians)
    )
    WeeklyAbsence.objects.bulk_create(
        WeeklyAbsence(student=s, week=w, institution=institution, lessons=hours, unexplained=hours)
        for s in students
        for w in weeks
    )
    return students


def notices() -> list[tuple[int, int, date]]:
    return list(GuardianNotice.objects.values_list("student_id", "guardian_id", "week"))


def links_of(students, weeks) -> set[tuple[int, int, date]]:
    return {
        (sid, gid, w)
        for sid, gid in Guardianship.objects.filter(student__in=students).values_list(
            "student_id", "guardian_id"
        )
        for w in weeks
    }


# Who is told ---------------------------------------------------------------------------


def test_only_guardians_of_minors_with_unexplained_absences_are_due(learners):
    minors = roster(learners.lukio, 3)
    roster(learners.lukio, 2, date_of_birth=born(20))
    roster(learners.lukio, 1, date_of_birth=born(18, days=0))  # 18 today: an adult
    almost = roster(learners.lukio, 1, date_of_birth=born(18, days=-1))  # 18 tomorrow
    roster(learners.lukio, 2, hours=0)
    roster(learners.lukio, 2, status=Student.Status.RESIGNED)
    roster(learners.lukio, 2, weeks=[THIS_WEEK - timedelta(weeks=2)])  # outside the window
    roster(learners.amis, 2)  # another institution's students

    made = actions.notify_guardians(learners.lukio, today=TODAY)

    expected = links_of(minors + almost, (LAST_WEEK, THIS_WEEK))
    assert sorted(notices()) == sorted(expected)
    assert made == len(expected) == 16


def test_a_notice_is_made_once_per_guardian_student_and_week(learners):
    """Two guardians of one child, one guardian of two children, two weeks, two runs."""
    sisters = roster(learners.lukio, 2, guardians=1)
    shared = Guardianship.objects.filter(student=sisters[0]).get().guardian
    Guardianship.objects.filter(student=sisters[1]).update(guardian=shared)
    Guardianship.objects.create(student=sisters[1], guardian=learners.guardian)

    first = actions.notify_guardians(learners.lukio, today=TODAY)
    second = actions.notify_guardians(learners.lukio, today=TODAY)

    made = notices()
    assert len(made) == len(set(made)) == 6
    assert set(made) == links_of(sisters, (LAST_WEEK, THIS_WEEK))
    assert first == second == 6  # the second run makes none, only re-offers the unsent
    assert GuardianNotice.objects.filter(student=sisters[1], guardian=shared).count() == 2


def test_notices_carry_the_weeks_unexplained_hours(learners):
    (s,) = roster(learners.lukio, 1, guardians=1, weeks=[THIS_WEEK], hours=5)
    actions.notify_guardians(learners.lukio, today=TODAY)
    assert list(GuardianNotice.objects.values_list("student", "week", "hours")) == [
        (s.pk, THIS_WEEK, 5)
    ]


def test_nothing_due_makes_nothing(learners):
    roster(learners.lukio, 3, date_of_birth=born(19))
    assert actions.notify_guardians(learners.lukio, today=TODAY) == 0
    assert notices() == []


# How it grows ---------------------------------------------------------------------------


def run_counted(institution) -> tuple[int, int, int]:
    """Notify once; return (queries, executed lines of actions.py, rule evaluations)."""
    target = actions.__file__
    lines = 0
    evaluations = 0
    rule = rules.notify_guardian

    def counted_rule(*args):
        nonlocal evaluations
        evaluations += 1
        return rule(*args)

    def tracer(frame, event, arg):
        if frame.f_code.co_filename != target:
            return None

        def local(frame, event, arg):
            nonlocal lines
            if event == "line":
                lines += 1
            return local

        return local(frame, event, arg)

    previous = sys.gettrace()
    rules.notify_guardian = counted_rule
    try:
        with CaptureQueriesContext(connection) as ctx:
            sys.settrace(tracer)
            try:
                actions.notify_guardians(institution, today=TODAY)
            finally:
                sys.settrace(previous)
    finally:
        rules.notify_guardian = rule
    return len(ctx.captured_queries), lines, evaluations


def test_work_grows_linearly_with_the_students(learners):
    """10, 20 and 40 students due, two guardians each, two weeks: the queries stay the
    same, the rule is evaluated at most once per guardian link and week, and the executed Python
    lines grow by the same amount for each added student (a students × students pairing
    would make the second step twice the first and more)."""
    sizes = (10, 20, 40)
    queries, lines = [], []
    total = 0
    for n in sizes:
        GuardianNotice.objects.all().delete()
        roster(learners.lukio, n - total)
        total = n
        q, executed, evaluations = run_counted(learners.lukio)
        assert 0 < evaluations <= n * 2 * 2  # at most once per link and week
        assert GuardianNotice.objects.count() == n * 2 * 2
        queries.append(q)
        lines.append(executed)
    assert queries[0] == queries[1] == queries[2]
    per_student_small = (lines[1] - lines[0]) / (sizes[1] - sizes[0])
    per_student_large = (lines[2] - lines[1]) / (sizes[2] - sizes[1])
    assert per_student_small > 0
    assert per_student_large <= per_student_small * 1.05, lines
    assert lines[2] < 200 * sizes[2], lines


def test_pairs_are_read_in_one_query_of_one_row_per_link_and_week(learners):
    students = roster(learners.lukio, 7, guardians=3)
    roster(learners.lukio, 4, guardians=0)
    rows = list(actions.guardian_pairs(learners.lukio, today=TODAY))
    assert len(rows) == len(links_of(students, (LAST_WEEK, THIS_WEEK))) == 7 * 3 * 2
    assert len(set(rows)) == len(rows)
    with CaptureQueriesContext(connection) as ctx:
        list(actions.guardian_pairs(learners.lukio, today=TODAY).iterator(chunk_size=5))
    assert len(ctx.captured_queries) == 1
