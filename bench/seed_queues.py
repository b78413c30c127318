"""Each welfare worker of the page benchmark serves a campus of their own (issue 21, 3).

    BENCH_DATABASE=oh_pages_bench .venv/bin/python bench/seed_queues.py

`seed_pages.py` runs this as its last step; run alone, it brings a database seeded before
(all 50 `bench_kuraattori_N` posted to one campus of 100,000 students, so all 50 saw, and
logged, the same work list) to the same state. Idempotent: a second run changes nothing.

Why: the issue asks for 50 users "each reading their own objects". With one campus every
welfare worker's work list showed the same 50 requests and 30 bookings, and each request
logged reads of the same 80 students; the access log is chained per student
(`records/chain.py`), so the 50 workers queued on the same 80 chain locks, a wait a real
provider (one kuraattori for some 2,000 students of a campus) does not have. Here:

- 50 campuses of the demo institution (`Bench kampus N`); `bench_kuraattori_N`'s
  social worker role is posted to campus N (the campus rule of `access`, `Grant.reaches`:
  they handle that campus's students only);
- the benchmark's 100,000 students spread over them: those with a case on the campus of
  the worker responsible for it (`seed_pages.py` gives worker N the cases N×100 … N×100+99
  at scale 1), the rest in turn, 2,000 a campus;
- each worker's coming bookings two a day (9.00 and 10.00 UTC) instead of one, so the work
  list's two weeks hold a full first page of their own (30 of `BOOKINGS_PER_PAGE`), and
  each booking with a student of the worker's campus (their case students, in turn);
- `OWN_REQUESTS` open requests of the social worker's service for each worker's campus
  (made as staff record them, `actions.create_request`, over the past 10 days; every 4th
  with a topic, every 7th urgent), so the first page of requests (50) is full.

What each worker's work list shows is then as before in size (50 requests + 30 bookings
= 80 rows read and logged), but about their own students.
"""

from __future__ import annotations

import argparse
import time

from common import setup

STAFF = 50
#: Open requests of each worker's campus: more than a page (50) of the work list.
OWN_REQUESTS = 60
#: Each worker's bookings a day from today on (the work list shows 15 days).
BOOKINGS_A_DAY = 2
CAMPUS = "Bench kampus {}"


def bench_staff() -> list[int]:
    """The ids of `bench_kuraattori_1` … `_50`, in that order."""
    from opiskeluhuolto.accounts.models import User

    ids = dict(
        User.objects.filter(username__startswith="bench_kuraattori_").values_list("username", "pk")
    )
    return [ids[f"bench_kuraattori_{i}"] for i in range(1, STAFF + 1)]


def own_queues(step) -> None:
    """Campuses, postings, students, bookings and requests as the module says."""
    from django.db import connection, transaction

    from opiskeluhuolto.cases.models import ExpertGroupMembership
    from opiskeluhuolto.organisation.models import Campus, Institution, Role, RoleAssignment

    inst = Institution.objects.get(slug="sedu")
    staff = bench_staff()
    with transaction.atomic(), connection.cursor() as c:
        campuses = [
            Campus.objects.get_or_create(institution=inst, name=CAMPUS.format(i + 1))[0].pk
            for i in range(STAFF)
        ]
        for user, campus in zip(staff, campuses, strict=True):
            RoleAssignment.objects.filter(user_id=user, role=Role.SOCIAL_WORKER).update(
                institution=inst, campus_id=campus
            )
        step(f"{STAFF} campuses, each worker posted to their own")
        # The case students: the campus of the case's first (responsible) bench member.
        first_member = dict(
            ExpertGroupMembership.objects.filter(user_id__in=staff, is_responsible=True)
            .order_by("case__student_id", "pk")
            .values_list("case__student_id", "user_id")
        )
        campus_of = dict(zip(staff, campuses, strict=True))
        c.execute(
            "UPDATE organisation_student s SET campus_id = x.campus FROM "
            "unnest(%s::int[], %s::int[]) AS x(id, campus) WHERE s.id = x.id "
            "AND s.campus_id IS DISTINCT FROM x.campus",
            [list(first_member), [campus_of[u] for u in first_member.values()]],
        )
        # The others in turn, by their order among the benchmark's students.
        c.execute(
            "UPDATE organisation_student s SET campus_id = x.campus FROM (SELECT id, "
            "(%(campuses)s::int[])[1 + (row_number() OVER (ORDER BY id) - 1) %% "
            "cardinality(%(campuses)s::int[])] campus FROM organisation_student "
            "WHERE first_name = 'Bench' AND NOT (id = ANY(%(cased)s))) x "
            "WHERE s.id = x.id AND s.campus_id IS DISTINCT FROM x.campus",
            {"campuses": campuses, "cased": list(first_member)},
        )
        step("the benchmark's students on the workers' campuses")
        # The coming bookings two a day, by their order (moved far off first: the
        # professional's bookings must not overlap, `appointments_booking_no_overlap`).
        coming = (
            "SELECT id, row_number() OVER (PARTITION BY professional_id ORDER BY starts_at, id) - 1 r"
            " FROM appointments_booking WHERE professional_id = ANY(%(staff)s) AND status = 'active'"
            " AND starts_at >= date_trunc('day', now())"
        )
        slot = (
            "date_trunc('day', now()) + (x.r / %(a_day)s) * interval '1 day' "
            "+ (x.r %% %(a_day)s) * interval '1 hour' + interval '100 years'"
        )
        c.execute(
            f"UPDATE appointments_booking b SET starts_at = {slot} + interval '9 hours', "  # noqa: S608 -- our text
            f"ends_at = {slot} + interval '9 hours 45 minutes' FROM ({coming}) x WHERE b.id = x.id",
            {"staff": staff, "a_day": BOOKINGS_A_DAY},
        )
        c.execute(
            "UPDATE appointments_booking SET starts_at = starts_at - interval '100 years', "
            "ends_at = ends_at - interval '100 years' WHERE professional_id = ANY(%s) "
            "AND starts_at > now() + interval '50 years'",
            [staff],
        )
        # Each worker's bookings (all of them, in time order) with the first 100 students
        # of their campus in turn: their case students first.
        c.execute(
            "UPDATE appointments_booking b SET student_id = s.id FROM "
            "(SELECT id, professional_id p, row_number() OVER (PARTITION BY professional_id "
            "ORDER BY starts_at, id) - 1 r FROM appointments_booking "
            "WHERE professional_id = ANY(%(staff)s)) x, "
            "unnest(%(staff)s::int[], %(campuses)s::int[]) AS w(p, campus), "
            "(SELECT id, campus_id, row_number() OVER (PARTITION BY campus_id ORDER BY id) - 1 r "
            "FROM organisation_student WHERE campus_id = ANY(%(campuses)s)) s "
            "WHERE b.id = x.id AND w.p = x.p AND s.campus_id = w.campus AND s.r = x.r %% 100 "
            "AND b.student_id <> s.id",
            {"staff": staff, "campuses": campuses},
        )
        step(f"each worker's coming bookings {BOOKINGS_A_DAY} a day, with students of their campus")
    made = sum(
        make_requests(user, campus, OWN_REQUESTS)
        for user, campus in zip(staff, campuses, strict=True)
    )
    step(f"{made} open appointment requests made (up to {OWN_REQUESTS} a campus)")
    with connection.cursor() as c:
        c.execute("ANALYZE")
    step("ANALYZE")


def make_requests(kuraattori: int, campus: int, n: int) -> int:
    """Up to `n` open requests of the social worker's service for students of `campus`,
    made as staff record them (`actions.create_request`: the deadline from the calendar,
    the event row) by the campus's worker; as many as are missing, so a second run makes
    none. The number made."""
    from datetime import timedelta

    from django.utils import timezone

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.appointments import actions
    from opiskeluhuolto.appointments.models import AppointmentRequest
    from opiskeluhuolto.organisation.models import Role, Student

    user = User.objects.get(pk=kuraattori)
    have = AppointmentRequest.objects.filter(
        student__campus_id=campus,
        service=Role.SOCIAL_WORKER,
        status=AppointmentRequest.Status.OPEN,
    ).count()
    students = Student.objects.filter(campus_id=campus).select_related("institution")
    now = timezone.now()
    made = 0
    for i, student in enumerate(students.order_by("pk")[have:n], start=have):
        req = actions.create_request(
            student,
            service=Role.SOCIAL_WORKER,
            requested_by=AppointmentRequest.RequestedBy.STUDENT,
            channel=AppointmentRequest.Channel.PHONE,
            actor=user,
            requested_at=now - timedelta(days=10) * (1 - i / n),
            topic=AppointmentRequest.Topic.choices[i % len(AppointmentRequest.Topic.choices)][0]
            if i % 4 == 0
            else "",
        )
        if i % 7 == 0:
            actions.set_urgency(req, urgent=True, actor=user)
        made += 1
    return made


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    setup()
    started = time.monotonic()

    def step(what: str) -> None:
        print(f"{time.monotonic() - started:7.1f} s  {what}", flush=True)

    own_queues(step)


if __name__ == "__main__":
    main()
