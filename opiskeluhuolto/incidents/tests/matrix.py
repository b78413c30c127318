"""Incidents in the permission matrix: Teemu reports that Aino was bullied on her campus."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from opiskeluhuolto.access.matrix import Row


def setup(cast) -> None:
    from opiskeluhuolto.incidents import actions

    cast.incident = actions.report(
        by=cast.teacher,
        campus=cast.lukio_campus,
        category="bullying",
        occurred_at=timezone.now() - timedelta(hours=2),
        students=[cast.aino],
    )


SCHOOL_STAFF = {
    "*": 200,
    "anonymous": 302,
    "external": 404,
    "student": 404,
    "adult": 404,
    "guardian": 404,
}
API_SCHOOL_STAFF_POST = {
    "*": 422,
    "anonymous": 401,
    "external": 404,
    "student": 404,
    "adult": 404,
    "guardian": 404,
}

ROWS = [
    Row("incidents:index", SCHOOL_STAFF),
    Row("incidents:report", SCHOOL_STAFF),
    Row(
        "incidents:detail",
        {"*": 404, "anonymous": 302, "rehtori": 200, "kuraattori": 200},
        kwargs=lambda c: {"pk": c.incident.pk},
    ),
    Row(
        "incidents:refer",
        {"*": 404, "anonymous": 302, "rehtori": 200, "kuraattori": 200},
        kwargs=lambda c: {"pk": c.incident.pk},
        data=lambda c: {"student": c.aino.pk},
    ),
    Row(
        "api:incidents-report",
        {**API_SCHOOL_STAFF_POST, "*": 400},  # the matrix posts a form body: not JSON
        method="post",
    ),
    Row("api:incidents-anonymous", {"*": 400}, method="post"),
    Row("incidents:anonymous", {"*": 200}, kwargs=lambda c: {"slug": c.lukio.slug}),
    Row("api:incidents-summary", API_SCHOOL_STAFF_POST),
]
