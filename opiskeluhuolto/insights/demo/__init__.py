"""Demo data: a school year of attendance so far, imported through the real import path,
then the early-warning rules evaluated, so that dashboards and the demo group supervisor's
care-conversation tasks have something true to show.

Most students are absent little and a tail a lot (imports/generator.py). A few
students of the demo supervisor's group are made to reach the steps. With a very
large `--students` the demo gives marks to the first `MAX_STUDENTS_WITH_MARKS`
students only, to keep seeding quick; `generate_attendance_csv` makes the
full-scale year for benchmarks.
"""

from __future__ import annotations

import random
import tempfile
from datetime import timedelta
from pathlib import Path

from opiskeluhuolto.imports import actions as import_actions
from opiskeluhuolto.imports.generator import course_for, school_days, student_marks
from opiskeluhuolto.imports.models import ImportRun, StudyProgress, StudyRightEvent
from opiskeluhuolto.insights.actions import run_early_warning
from opiskeluhuolto.organisation.models import Student

MAX_STUDENTS_WITH_MARKS = 3000


def _worried(rng: random.Random, days, code: str, share: float):
    """Marks of a student with many absences of one kind."""
    for day in days:
        n = 6 - (1 if day.weekday() == 4 else 0)
        whole_day = rng.random() < share
        for lesson in range(1, n + 1):
            absent = whole_day or rng.random() < share / 3
            yield day, lesson, code if absent else "+"


def seed(ctx) -> None:
    rng = random.Random(ctx.rng.random())
    today = ctx.today
    start = (
        today.replace(month=8, day=10)
        if today.month >= 8
        else today.replace(year=today.year - 1, month=8, day=10)
    )
    days = school_days(start, today - timedelta(days=1))
    demo_group = ctx.students["aino"].group_id
    for inst in ctx.institutions.values():
        students = list(
            Student.objects.filter(institution=inst, oppijanumero__isnull=False)
            .order_by("pk")
            .values_list("pk", "oppijanumero", "group_id", "date_of_birth")[
                :MAX_STUDENTS_WITH_MARKS
            ]
        )
        worried_left = 4
        lines = ["oppijanumero;pvm;tunti;kurssi;merkinta\n"]
        for pk, opp, group_id, _born in students:
            if pk == ctx.students["aino"].pk:
                marks = _worried(rng, days[-25:], "X", 0.12)
                marks = list(student_marks(rng, days[:-25])) + list(marks)
            elif group_id == demo_group and worried_left:
                worried_left -= 1
                code = ("S", "X", "S", "H")[worried_left]
                marks = _worried(rng, days, code, 0.09 + 0.03 * worried_left)
            else:
                marks = student_marks(rng, days)
            lines.extend(
                f"{opp};{d.day}.{d.month}.{d.year};{lesson};{course_for(d, lesson)};{code}\n"
                for d, lesson, code in marks
            )
        path = Path(tempfile.mkdtemp()) / f"demo-{inst.slug}.csv"
        path.write_text("".join(lines), encoding="utf-8")
        run = import_actions.create_run(
            inst, kind=ImportRun.Kind.ATTENDANCE, path=path, file_name=f"wilma-{inst.slug}.csv"
        )
        run = import_actions.run_import(run, today=today)
        if run.status != ImportRun.Status.SUCCEEDED:
            raise RuntimeError(f"demo attendance import failed: {run.errors[:3]}")
        path.unlink(missing_ok=True)
        _study_rights(rng, inst, students, days, ctx)
        _progress(rng, students, today)
        run_early_warning(inst, today=today)


def _study_rights(rng: random.Random, inst, students, days, ctx) -> None:
    """About 3 % interrupted or resigned, spread over the year; never the named students."""
    named = {s.pk for s in ctx.students.values()}
    events, changed = [], {}
    for pk, _opp, _group, _born in students:
        if pk in named or rng.random() > 0.03:
            continue
        kind = rng.choice(
            [StudyRightEvent.Kind.INTERRUPTED, StudyRightEvent.Kind.RESIGNED, "interrupted"]
        )
        day = rng.choice(days)
        events.append(StudyRightEvent(student_id=pk, institution=inst, kind=kind, starts_on=day))
        changed[pk] = kind
    StudyRightEvent.objects.bulk_create(events)
    for kind in set(changed.values()):
        Student.objects.filter(pk__in=[p for p, k in changed.items() if k == kind]).update(
            status=kind
        )
    campus_of = dict(Student.objects.filter(pk__in=changed).values_list("pk", "campus_id"))
    for e in events:
        e.campus_id = campus_of.get(e.student_id)
    StudyRightEvent.objects.bulk_update(events, ["campus"])


def _progress(rng: random.Random, students, today) -> None:
    """Credits against the personal plan at the end of last month; a few fall behind."""
    as_of = today.replace(day=1) - timedelta(days=1)
    rows = []
    for pk, _opp, _group, _born in students:
        planned = rng.randint(25, 45)
        behind = rng.random() < 0.08
        done = int(planned * (rng.uniform(0.3, 0.7) if behind else rng.uniform(0.9, 1.15)))
        rows.append(
            StudyProgress(student_id=pk, as_of=as_of, credits_planned=planned, credits_done=done)
        )
    StudyProgress.objects.bulk_create(rows, batch_size=5000)
