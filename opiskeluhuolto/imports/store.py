"""The SQL that writes attendance marks and refreshes the weekly summaries.

Both databases run the same statements; only loading the staging table
differs: PostgreSQL streams the validated spool file with `COPY` (psycopg 3
`cursor.copy`), SQLite inserts it in batches. Callers hold one transaction
around everything here, so a failure or a killed process leaves nothing.
"""

# ruff: noqa: S608  (table names are module constants and numbers are int(); no user input)

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.db import connection

STAGING = "tmp_oh_marks"
AFFECTED = "tmp_oh_affected"
COURSES = "tmp_oh_courses"
CLASSES = ("present", "health", "leave", "excused", "unexplained", "late", "school_activity")
ABSENT = ("health", "leave", "excused", "unexplained")


def _pg() -> bool:
    return connection.vendor == "postgresql"


def create_staging() -> None:
    temp = "TEMP TABLE" + (" IF NOT EXISTS" if not _pg() else "")
    on_commit = " ON COMMIT DROP" if _pg() else ""
    with connection.cursor() as c:
        # Left over from an earlier import in the same (test) transaction.
        for t in (STAGING, AFFECTED, COURSES):
            c.execute(f"DROP TABLE IF EXISTS {'pg_temp' if _pg() else 'temp'}.{t}")
        c.execute(
            f"CREATE {temp} {STAGING} (line bigint, student_id bigint, day date, "
            f"lesson smallint, course_idx integer, code_id smallint){on_commit}"
        )
        c.execute(
            f"CREATE {temp} {AFFECTED} (student_id bigint, week_start date, week_end date)"
            f"{on_commit}"
        )
        c.execute(f"CREATE {temp} {COURSES} (idx integer, course_id integer){on_commit}")


def drop_staging() -> None:
    if not _pg():
        with connection.cursor() as c:
            for t in (STAGING, AFFECTED, COURSES):
                c.execute(f"DROP TABLE IF EXISTS temp.{t}")


def load_spool(path: Path) -> None:
    """Load the tab-separated spool (line, student, day, lesson, course index, code)."""
    with connection.cursor() as c:
        if _pg():
            raw = c.cursor if hasattr(c, "cursor") else c
            with (
                open(path, "rb") as f,
                raw.copy(
                    f"COPY {STAGING} (line, student_id, day, lesson, course_idx, code_id) "
                    "FROM STDIN"
                ) as copy,
            ):
                while block := f.read(1 << 20):
                    copy.write(block)
            return
        sql = f"INSERT INTO {STAGING} VALUES (?, ?, ?, ?, ?, ?)"
        batch: list[tuple] = []
        with open(path, encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                batch.append((p[0], p[1], p[2], p[3], None if p[4] == r"\N" else p[4], p[5]))
                if len(batch) >= 20000:
                    c.executemany(sql, batch)
                    batch.clear()
        if batch:
            c.executemany(sql, batch)


def load_rows(table: str, columns: str, rows: Iterable[tuple]) -> None:
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as c:
        if _pg():
            raw = c.cursor if hasattr(c, "cursor") else c
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns.split(",")))
            c.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def duplicates(limit: int = 200) -> list[tuple[int, int]]:
    """(later line, earlier line) for lessons the file marks twice."""
    with connection.cursor() as c:
        c.execute(
            f"SELECT MAX(line), MIN(line) FROM {STAGING} GROUP BY student_id, day, lesson "
            f"HAVING COUNT(*) > 1 ORDER BY MIN(line) LIMIT {int(limit)}"
        )
        return [(int(a), int(b)) for a, b in c.fetchall()]


def upsert_marks() -> int:
    """Insert new marks, change the code of marks the file corrects, leave equal marks alone."""
    distinct = "IS DISTINCT FROM" if _pg() else "IS NOT"
    sql = (
        "INSERT INTO imports_attendancemark (student_id, day, lesson, course_id, code_id) "
        f"SELECT s.student_id, s.day, s.lesson, cm.course_id, s.code_id FROM {STAGING} s "
        f"LEFT JOIN {COURSES} cm ON cm.idx = s.course_idx WHERE true "
        "ON CONFLICT (student_id, day, lesson) DO UPDATE SET "
        "code_id = excluded.code_id, course_id = excluded.course_id "
        "WHERE imports_attendancemark.code_id <> excluded.code_id "
        f"OR imports_attendancemark.course_id {distinct} excluded.course_id"
    )
    with connection.cursor() as c:
        c.execute(sql)
        return max(c.rowcount, 0)


def insert_marks() -> int:
    """Plain insert of the staged marks (PostgreSQL, when none of them can exist yet)."""
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO imports_attendancemark (student_id, day, lesson, course_id, code_id) "
            f"SELECT s.student_id, s.day, s.lesson, cm.course_id, s.code_id FROM {STAGING} s "
            f"LEFT JOIN {COURSES} cm ON cm.idx = s.course_idx"
        )
        return max(c.rowcount, 0)


def marks_exist(student_ids: list[int], first: date, last: date) -> bool:
    """Whether any of these students has a mark between the two days (PostgreSQL)."""
    with connection.cursor() as c:
        c.execute(
            "SELECT EXISTS (SELECT 1 FROM imports_attendancemark "
            "WHERE student_id = ANY(%s) AND day BETWEEN %s AND %s)",
            [student_ids, first, last],
        )
        return bool(c.fetchone()[0])


def lock_institution(institution_id: int) -> None:
    """Imports of one institution write one at a time (released at commit or rollback)."""
    with connection.cursor() as c:
        c.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x0A77, institution_id])


def _weekday(column: str) -> str:
    if _pg():
        return f"(CAST(EXTRACT(ISODOW FROM {column}) AS integer) - 1)"
    return f"((CAST(strftime('%w', {column}) AS integer) + 6) % 7)"


#: From this many (student, week) pairs on, the summaries are recomputed in one pass over
#: the marks of the affected students and dates instead of one index probe per pair.
BULK_REFRESH_FROM = 20000


def _monday(column: str) -> str:
    if _pg():
        return f"({column} - (CAST(EXTRACT(ISODOW FROM {column}) AS integer) - 1))"
    return (
        f"date({column}, '-' || ((CAST(strftime('%w', {column}) AS integer) + 6) % 7) || ' days')"
    )


def refresh_weeks(pairs: int = 0) -> int:
    """Recompute `WeeklyAbsence` for every (student, week) in the affected table."""
    sums = ", ".join(
        f"SUM(CASE WHEN c.absence_class = '{k}' THEN 1 ELSE 0 END) AS \"{k}\"" for k in CLASSES
    )
    absent = " + ".join(f'd."{k}"' for k in ABSENT)
    wd = _weekday("d.day")
    cols = ", ".join(f'"{k}"' for k in CLASSES)
    outer = ", ".join(f'SUM(d."{k}")' for k in CLASSES)
    if pairs >= BULK_REFRESH_FROM:
        days = (
            f"SELECT m.student_id, {_monday('m.day')} AS week_start, m.day, COUNT(*) AS lessons, "
            f"{sums} FROM imports_attendancemark m JOIN imports_markcode c ON c.id = m.code_id "
            f"WHERE m.student_id IN (SELECT student_id FROM {AFFECTED}) "
            f"AND m.day >= (SELECT MIN(week_start) FROM {AFFECTED}) "
            f"AND m.day <= (SELECT MAX(week_end) FROM {AFFECTED}) "
            "GROUP BY m.student_id, m.day"
        )
        join = f"JOIN {AFFECTED} a ON a.student_id = d.student_id AND a.week_start = d.week_start "
    else:
        days = (
            "SELECT m.student_id, a.week_start, m.day, COUNT(*) AS lessons, "
            f"{sums} FROM {AFFECTED} a JOIN imports_attendancemark m "
            "ON m.student_id = a.student_id AND m.day >= a.week_start AND m.day <= a.week_end "
            "JOIN imports_markcode c ON c.id = m.code_id "
            "GROUP BY m.student_id, a.week_start, m.day"
        )
        join = ""
    with connection.cursor() as c:
        c.execute(
            "DELETE FROM imports_weeklyabsence WHERE EXISTS (SELECT 1 FROM "
            f"{AFFECTED} a WHERE a.student_id = imports_weeklyabsence.student_id "
            "AND a.week_start = imports_weeklyabsence.week)"
        )
        c.execute(
            "INSERT INTO imports_weeklyabsence (student_id, week, institution_id, campus_id, "
            f"group_id, lessons, {cols}, marked_days, absent_days) "
            "SELECT d.student_id, d.week_start, s.institution_id, s.campus_id, s.group_id, "
            f"SUM(d.lessons), {outer}, SUM(1 << {wd}), "
            f"SUM(CASE WHEN {absent} = d.lessons THEN (1 << {wd}) ELSE 0 END) "
            f"FROM ({days}) d {join}"
            "JOIN organisation_student s ON s.id = d.student_id "
            "GROUP BY d.student_id, d.week_start, s.institution_id, s.campus_id, s.group_id"
        )
        return max(c.rowcount, 0)


def analyze() -> None:
    """Fresh statistics after a bulk load, so the planner uses the indexes (PostgreSQL)."""
    if _pg():
        with connection.cursor() as c:
            c.execute(f"ANALYZE {STAGING}")


def analyze_affected() -> None:
    if _pg():
        with connection.cursor() as c:
            c.execute(f"ANALYZE {AFFECTED}")
