"""Welfare data at a provider's scale for the page benchmark (issue 21, 3), written in bulk.

    BENCH_DATABASE=oh_pages_bench .venv/bin/python bench/seed_pages.py --scale 1

Over a database seeded with the demo (`seed_demo`), in the demo institution `sedu`, adds
(at `--scale 1`, the issue's size): 100,000 students, 5,000 open cases with their
welfare records, 50,000 record entries, 5,000,000 access-log rows and 20,000 bookings,
and the people who read them: 50 student welfare workers (`bench_kuraattori_N`, each in
the expert groups of 100 cases from scale 0.2 up, and the professional of 400 × scale bookings of
their service, one a day held before today, two a day booked from today on), 50 students
with accounts (`bench_opiskelija_N`, each with a case, bookings and 50 log rows about them)
and 50 principals (`bench_rehtori_N`). Each welfare worker serves a campus of their own
(`seed_queues.py`, the last step: 50 campuses of 2,000 students, the worker's cases and
bookings about students of their campus, and 60 open appointment requests a campus), so
that the work list's first pages are full, as in a real queue, and their own.
`bench_pages.py` finds these people and has each simulated user read their own objects.

How: each kind of row is cloned from one row the demo made (its encrypted texts too —
Fernet tokens are not tied to their row) by one `INSERT … SELECT … FROM
generate_series`, with the columns that must differ (keys, names, dates) computed in
SQL. The access log's rows are chained here as they were logged before the split per
student (issue 21; records/chain.py): in the provider's chain, which `verify_access_log`
checks as every chain, while the benchmark's own reads go to each student's chain. They
are chained in Python, continuing the provider's chain from its last row with the same
`chain.row_hash` that `verify_access_log` checks, and written with one binary-free text
`COPY` while the chaining trigger is off for this session only (`session_replication_role
= replica`; the trigger leaves rows that already have their `seq` alone anyway).
Run it once per database; a second run is refused.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import time
from datetime import UTC, datetime, timedelta

from common import setup
from seed_queues import own_queues

STAFF = PEOPLE = 50
#: Open cases in whose expert group each welfare worker is, at scale 1 and below it
#: as far as `GROUP` workers a case allow (scale ≥ 0.2).
OWN_CASES = 100
GROUP = 5
ROLE = "kuraattori"
PURPOSE = "opiskeluhuollon tehtävä"


def columns(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND column_name <> 'id' ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cursor.fetchall()]


def clone(cursor, table: str, template: int, n: int, set_: dict[str, str], **params) -> list[int]:
    """`n` copies of row `template` of `table`, with the columns of `set_` computed by SQL
    over `g` (1 … n) and the named `params`; the new ids in the order of `g`."""
    names = columns(cursor, table)
    values = ", ".join(set_.get(c, f"t.{c}") for c in names)
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {values} "  # noqa: S608 -- our names
        f"FROM {table} t, generate_series(1, {int(n)}) g WHERE t.id = %(template)s ORDER BY g RETURNING id",
        {**params, "template": template},
    )
    return [r[0] for r in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the issue's size")
    parser.add_argument("--log-rows", type=int, help="access-log rows (default 5 M × scale)")
    args = parser.parse_args()
    setup()
    from django.db import connection, transaction

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.appointments.models import Booking
    from opiskeluhuolto.cases.models import Case, ExpertGroupMembership
    from opiskeluhuolto.organisation.models import (
        Institution,
        Role,
        RoleAssignment,
        Student,
        StudentGroup,
    )
    from opiskeluhuolto.records import chain
    from opiskeluhuolto.records.models import RecordEntry

    if User.objects.filter(username="bench_kuraattori_1").exists():
        raise SystemExit("this database already has the benchmark's people: seed a fresh one")
    n_students = max(5 * PEOPLE, int(100_000 * args.scale))
    n_cases = max(PEOPLE, int(5_000 * args.scale))
    n_entries = 10 * n_cases
    n_log = args.log_rows if args.log_rows is not None else int(5_000_000 * args.scale)
    n_bookings = max(2 * PEOPLE, int(20_000 * args.scale)) // STAFF * STAFF
    inst = Institution.objects.get(slug="sedu")
    aino = Student.objects.get(first_name="Aino", last_name="Aaltonen")
    case = Case.objects.filter(student=aino).order_by("pk").first()
    kuraattori = User.objects.get(username="kuraattori")
    member = ExpertGroupMembership.objects.filter(case=case, user=kuraattori).first()
    entry = RecordEntry.objects.filter(record__case=case).order_by("pk").first()
    booking = Booking.objects.filter(institution=inst).order_by("pk").first()
    assert case and member and entry and booking, "seed the demo first (seed_demo)"
    started = time.monotonic()

    def step(what: str) -> None:
        print(f"{time.monotonic() - started:7.1f} s  {what}", flush=True)

    with transaction.atomic(), connection.cursor() as c:
        groups = list(StudentGroup.objects.filter(institution=inst).values_list("pk", flat=True))
        students = clone(
            c,
            "organisation_student",
            aino.pk,
            n_students,
            {
                "user_id": "NULL",
                "first_name": "'Bench'",
                "last_name": "'Opiskelija ' || g",
                "hetu": "NULL",
                "oppijanumero": "'1.2.246.562.24.7' || lpad(g::text, 10, '0')",
                "email": "''",
                "group_id": "(%(groups)s::int[])[1 + g %% cardinality(%(groups)s::int[])]",
            },
            groups=groups,
        )
        step(f"{len(students):,} students")
        people = {}
        for role in ("kuraattori", "opiskelija", "rehtori"):
            template = User.objects.get(username=role)
            people[role] = clone(
                c,
                "accounts_user",
                template.pk,
                PEOPLE,
                {
                    "username": f"'bench_{role}_' || g",
                    "email": f"'bench_{role}_' || g || '@example.invalid'",
                },
            )
            for grant in RoleAssignment.objects.filter(user=template).values_list("pk", flat=True):
                clone(
                    c,
                    "organisation_roleassignment",
                    grant,
                    PEOPLE,
                    {"user_id": "(%(users)s::int[])[g]"},
                    users=people[role],
                )
        # The 50 student accounts are the first 50 new students (each has a case below).
        c.execute(
            "UPDATE organisation_student s SET user_id = (%s::int[])[x.g] FROM "
            "unnest(%s::int[]) WITH ORDINALITY AS x(id, g) WHERE s.id = x.id",
            [people["opiskelija"], students[:PEOPLE]],
        )
        step("150 people and their roles")
        cases = clone(
            c,
            "cases_case",
            case.pk,
            n_cases,
            {
                "student_id": "(%(students)s::int[])[g]",
                "institution_id": str(inst.pk),
                "status": "'open'",
                "closed_on": "NULL",
                "closed_by_id": "NULL",
                "referral_id": "NULL",
            },
            students=students[:n_cases],
        )
        # The member's consent (LAW.md: the expert group by the student's consent), one per case.
        consents = clone(
            c,
            "cases_consent",
            member.consent_id,
            n_cases,
            {"case_id": "(%(cases)s::int[])[g]", "student_id": "(%(students)s::int[])[g]"},
            cases=cases,
            students=students[:n_cases],
        )
        # Each worker in the expert groups of `per_worker` cases: 100 as at scale 1 also
        # below it (what grows with a user's own cases must show at any size), with up to
        # `GROUP` workers a case (the first responsible); n_cases / 50 above scale 1.
        per_worker = max(n_cases // STAFF, min(OWN_CASES, n_cases * GROUP // STAFF))
        clone(
            c,
            "cases_expertgroupmembership",
            member.pk,
            STAFF * per_worker,
            {
                "case_id": f"(%(cases)s::int[])[1 + (g - 1) %% {n_cases}]",
                "user_id": f"(%(staff)s::int[])[1 + (g - 1) / {per_worker}]",
                "consent_id": f"(%(consents)s::int[])[1 + (g - 1) %% {n_cases}]",
                "ended_on": "NULL",
                "is_responsible": f"g <= {n_cases}",
            },
            cases=cases,
            consents=consents,
            staff=people["kuraattori"],
        )
        records = clone(
            c,
            "records_welfarerecord",
            case.record.pk,
            n_cases,
            {
                "case_id": "(%(cases)s::int[])[g]",
                "student_id_ref": "(%(students)s::int[])[g]",
                "legal_hold": "false",
            },
            cases=cases,
            students=students[:n_cases],
        )
        clone(
            c,
            "records_recordentry",
            entry.pk,
            n_entries,
            {
                "record_id": "(%(records)s::int[])[1 + (g - 1) / 10]",
                "created_at": "now() - (g %% 700) * interval '1 day'",
            },
            records=records,
        )
        step(f"{n_cases:,} open cases, their records and {n_entries:,} entries")
        clone(
            c,
            "appointments_booking",
            booking.pk,
            n_bookings,
            {
                "uid": "gen_random_uuid()",
                "professional_id": f"(%(staff)s::int[])[1 + (g - 1) %% {STAFF}]",
                "student_id": "(%(students)s::int[])[1 + (g - 1) %% cardinality(%(students)s::int[])]",
                "request_id": "NULL",
                # The worker's own service; held up to yesterday, booked from today on (the
                # work list shows the active ones of the coming two weeks).
                "service": f"'{Role.SOCIAL_WORKER}'",
                "status": f"CASE WHEN (g - 1) / {STAFF} >= {n_bookings // STAFF // 2} "
                "THEN 'active' ELSE 'held' END",
                "cancelled_at": "NULL",
                "cancelled_by_id": "NULL",
                "starts_at": f"date_trunc('day', now()) + ((g - 1) / {STAFF} - "
                f"{n_bookings // STAFF // 2}) * interval '1 day' + interval '9 hours'",
                "ends_at": f"date_trunc('day', now()) + ((g - 1) / {STAFF} - "
                f"{n_bookings // STAFF // 2}) * interval '1 day' + interval '9 hours 45 minutes'",
            },
            staff=people["kuraattori"],
            students=students[:n_cases],
        )
        step(f"{n_bookings:,} bookings")
    own_queues(step)
    if n_log:
        write_log(inst, students, cases, records, people["kuraattori"], n_log, chain, step)
    with connection.cursor() as c:
        c.execute("VACUUM (ANALYZE)")
    step("VACUUM (ANALYZE)")


def write_log(inst, students, cases, records, staff, n_log, chain, step) -> None:
    """`n_log` reads chained after the provider's last row, spread evenly over the students
    (those with a case: reads of their record), one every few seconds over the past year."""
    from django.db import connection, transaction

    key = inst.provider_id
    from opiskeluhuolto.accounts.models import User

    names = {u.pk: u.display_name for u in User.objects.filter(pk__in=staff)}
    actor_json = {pk: json.dumps(name, ensure_ascii=False) for pk, name in names.items()}
    constant = ",".join(
        json.dumps(v, ensure_ascii=False) for v in (ROLE, "read", "membership", PURPOSE)
    )
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SELECT pg_advisory_xact_lock(906017, %s)", [key])
        c.execute(
            "SELECT seq, hash, at FROM records_accesslogentry WHERE chain = %s "
            "ORDER BY seq DESC LIMIT 1",
            [key],
        )
        seq, prev, last_at = c.fetchone() or (0, chain.GENESIS, None)
        c.execute("SET LOCAL session_replication_role = replica")
        # Over the year before now (the demo's few rows, made at seeding, come first).
        start = datetime.now(UTC) - timedelta(days=365)
        step_us = max(1, int(365 * 86400 * 1e6 / n_log))
        n_students, n_cases = len(students), len(cases)
        cols = (
            "chain, seq, at, actor_id, actor_name, actor_role, action, basis, purpose, "
            "student_id_ref, case_id_ref, record_id_ref, client_ip, subject_kind, subject_id, "
            "prev_hash, hash"
        )
        done = 0
        with c.cursor.copy(f"COPY records_accesslogentry ({cols}) FROM STDIN") as copy:  # noqa: S608
            buf = io.StringIO()
            # The hashed text of `chain.row_hash` built from pre-encoded parts (json.dumps of
            # the whole row costs several times more, and 5 M rows are chained one by one);
            # every 100,000th row is checked against `chain.row_hash` itself.
            enc = lambda v: json.dumps(v, ensure_ascii=False)  # noqa: E731
            tail = "," + enc("127.0.0.1")
            for i in range(n_log):
                s = i % n_students
                seq += 1
                actor = staff[i % len(staff)]
                at = start + timedelta(microseconds=step_us * (i + 1))
                at_text = at.isoformat(timespec="microseconds")
                is_record = s < n_cases
                case_id, record_id = (cases[s], records[s]) if is_record else (None, None)
                payload = (
                    f'["{prev}",{seq},"{at_text}",{actor},{actor_json[actor]},{constant},'
                    f"{students[s]},{enc(case_id)},{enc(record_id)}{tail}"
                    + ("]" if is_record else f',"booking",{s}]')
                )
                h = hashlib.sha256(payload.encode()).hexdigest()
                if i % 100_000 == 0:
                    row = {
                        "seq": seq,
                        "at": at,
                        "actor_id": actor,
                        "actor_name": names[actor],
                        "actor_role": ROLE,
                        "action": "read",
                        "basis": "membership",
                        "purpose": PURPOSE,
                        "student_id_ref": students[s],
                        "case_id_ref": case_id,
                        "record_id_ref": record_id,
                        "client_ip": "127.0.0.1",
                        "subject_kind": "record" if is_record else "booking",
                        "subject_id": None if is_record else s,
                    }
                    assert chain.row_hash(prev, row) == h, (row, payload)
                buf.write(
                    f"{key}\t{seq}\t{at_text}\t{actor}\t{names[actor]}\t{ROLE}\tread\t"
                    f"membership\t{PURPOSE}\t{students[s]}\t"
                    + (
                        f"{case_id}\t{record_id}\t127.0.0.1\trecord\t\\N"
                        if is_record
                        else f"\\N\t\\N\t127.0.0.1\tbooking\t{s}"
                    )
                    + f"\t{prev}\t{h}\n"
                )
                prev = h
                done += 1
                if done % 200_000 == 0:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
                    step(f"access log: {done:,} rows")
            copy.write(buf.getvalue())
    step(f"access log: {n_log:,} rows chained after row {seq - n_log} of chain {key}")


if __name__ == "__main__":
    main()
