"""Surveys at provider scale (issue 16): the answer POST under load, the results page
against the best hand-written SQL aggregate.

    .venv/bin/python bench/bench_surveys.py                 # the issue's size
    .venv/bin/python bench/bench_surveys.py --scale 0.1     # a quick run
    .venv/bin/python bench/bench_surveys.py --only-post     # the answer POST only
    .venv/bin/python bench/bench_surveys.py --only-results  # the results page only

Creates its own PostgreSQL database (`--db`, default `oh_surveys_bench`), migrates it,
and drops it at the end (`--keep` keeps it). Touches nothing else.

1. **Answer POST.** A provider of 20,000 students (5 campuses, groups of 20), each with
   an account, invited to one anonymous survey of 20 questions. gunicorn as in production
   (README: 4 gthread workers × 2 threads, DEBUG off, `X-Forwarded-Proto: https`) on a
   free loopback port; 100 concurrent answerers: each of 100 client threads takes the
   next student not yet answered, POSTs `/api/v1/surveys/{id}/responses` with that
   student's session and CSRF token, waits a think time (0.5–1.5 s × `--think`) and
   goes on. p50/p95/max of the POSTs after `--warmup` seconds, for `--seconds`; repeated
   `--post-repeat` times with fresh answerers, each run preceded by its floor, then the
   min and median over the runs and the load average before and after each. The client
   threads are this script's own (no wrk on the machine): they share the two cores with
   the server, so the latencies include the client's waits too. Every POST must be 201.
   The project's task worker (`manage.py db_worker`) runs beside gunicorn, as in
   production: an anonymous survey's sheets wait in a pending pool and the worker mixes
   them into the answer side in batches (surveys.actions.mixing); its CPU is counted
   with the server's. At the end the worker is given time to mix what is due, and both
   sides must agree: invitations marked answered = responses + sheets still waiting
   (fewer than five: they wait for the next answers or the closing).
2. **Results page.** A released survey of 20 questions (5-point scales) with 200,000
   responses spread over the campuses and groups: 4,000,000 answer rows, written with
   SQL `INSERT … SELECT` and then `VACUUM ANALYZE` (autovacuum's work, not timed). The
   page (`surveys:results`, overall and `?by=campus`, rendered in-process by Django's
   test client as the owner group's member) against the best hand-written SQL giving
   the same numbers: one pass over the answers grouped by question and value (and
   campus), and one over the counts stored at release. Both sides alternate `--repeat`
   times; medians, ratio; the counts must agree. The page keeps a released survey's
   numbers (`results.compute_kept`); each alternation also renders the first view after
   a change (a write the token's triggers see), which computes them again.

The floor of each side is printed: the hand-written SQL alone, and one empty POST (an
authenticated request that fails validation: the stack without the writes).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg


def _admin(sql: str) -> None:
    with psycopg.connect(f"{BENCH_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _load(avg: tuple[float, float, float]) -> str:
    """The machine's load average (1, 5, 15 minutes): the cores are shared."""
    return " / ".join(f"{x:.2f}" for x in avg)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--db", default="oh_surveys_bench")
    p.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 20,000 students, 200,000 responses"
    )
    p.add_argument("--users", type=int, default=100, help="concurrent answerers")
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--warmup", type=float, default=5)
    p.add_argument("--think", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=5, help="alternations of the results page")
    p.add_argument(
        "--post-repeat",
        type=int,
        default=3,
        help="runs of the answer load, each with fresh answerers and its own floor",
    )
    p.add_argument(
        "--only-post", action="store_true", help="measure the answer POST only (no results)"
    )
    p.add_argument(
        "--only-results",
        action="store_true",
        help="measure the results page only (no answer load, no gunicorn)",
    )
    p.add_argument("--keep", action="store_true", help="keep the database")
    return p.parse_args()


ARGS = parse()
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["REQUIRE_STAFF_MFA"] = "false"
#: One key for this process (which makes the sessions) and the server (which reads them).
os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
from common import (  # noqa: E402
    BENCH_SERVER,
    ROOT,
    STORED_CAMPUS,
    STORED_OVERALL,
    git_commit,
    machine,
    setup,
    use_database,
)

use_database(ARGS.db)  # refuses a name without "bench": the database is dropped at the end

STUDENTS = int(20_000 * ARGS.scale)
RESPONSES = int(200_000 * ARGS.scale)
QUESTIONS = 20
CAMPUSES = 5


# --- the provider ---------------------------------------------------------------------
def build_provider():
    from django.contrib.auth.hashers import make_password

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.meetings.models import Group, Membership
    from opiskeluhuolto.organisation.models import (
        Campus,
        Institution,
        Provider,
        Student,
        StudentGroup,
    )

    provider = Provider.objects.create(name="Benchmark provider")
    inst = Institution.objects.create(
        provider=provider, name="Benchmark institution", slug="bench-surveys", level="vocational"
    )
    campuses = [
        Campus.objects.create(institution=inst, name=f"Campus {i}") for i in range(CAMPUSES)
    ]
    groups = StudentGroup.objects.bulk_create(
        [
            StudentGroup(institution=inst, campus=campuses[i % CAMPUSES], name=f"G{i:04d}")
            for i in range(max(1, STUDENTS // 20))
        ]
    )
    unusable = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"bench-s{i}", password=unusable) for i in range(STUDENTS)],
        batch_size=5000,
    )
    Student.objects.bulk_create(
        [
            Student(
                user=u,
                institution=inst,
                campus=groups[(i // 20) % len(groups)].campus,
                group=groups[(i // 20) % len(groups)],
                first_name="S",
                last_name=str(i),
                date_of_birth="2008-01-01",
            )
            for i, u in enumerate(users)
        ],
        batch_size=5000,
    )
    owner = Group.objects.create(
        provider=provider, kind="welfare", name="Bench group", institution=inst
    )
    staff = User.objects.create(username="bench-kuraattori", password=unusable)
    Membership.objects.create(group=owner, user=staff, role="member")
    return provider, inst, campuses, groups, owner, staff


def make_survey(owner, staff, *, title: str):
    from opiskeluhuolto.surveys import actions, library

    survey = actions.create_survey(
        owner, by=staff, title={"fi": title}, audience="students", institution=owner.institution
    )
    for n in range(QUESTIONS):
        actions.add_question(
            survey, kind="likert", text={"fi": f"Kysymys {n + 1}"}, options=library.AGREE
        )
    return survey


# --- 1. the answer POST under load ----------------------------------------------------
def sessions(users) -> list[tuple[str, str]]:
    """(session key, CSRF secret) per user: a browser of their own each, as signing in
    leaves it (the session written with its expiry, `TOUCHED` now: the sign-in was its
    first touch, accounts.middleware.touched_at_sign_in). Written in bulk (one
    `SessionStore.create()` each took minutes for 20,000 on the loaded machine), just
    before each run, so that every answerer posts within the minute after signing in."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from opiskeluhuolto.accounts.middleware import TOUCHED

    store = SessionStore()
    expires = timezone.now() + timedelta(hours=2)
    rows, out = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = store.encode(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
                TOUCHED: int(time.time()),
            }
        )
        rows.append(Session(session_key=key, session_data=data, expire_date=expires))
        out.append((key, secrets.token_hex(16)))
    Session.objects.bulk_create(rows, batch_size=2000)
    return out


def _ticks(pid: int) -> int:
    """CPU time (user + system, clock ticks) of one process, from /proc (Linux; psutil is
    not a dependency of the project, and two fields of one file need no library)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry))
    return out


def server_cpu(server: subprocess.Popen, worker: subprocess.Popen | None = None) -> dict[int, int]:
    """CPU ticks of the gunicorn workers, the task worker (which mixes the answer sheets)
    and this database's PostgreSQL backends that serve them (pg_stat_activity), per
    process: the server side of the answer POSTs."""
    pids = _children(server.pid) + ([worker.pid] if worker is not None else [])
    with psycopg.connect(f"{BENCH_SERVER}/{ARGS.db}", autocommit=True) as conn:
        pids += [
            row[0]
            for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'",
                [ARGS.db],
            )
        ]
    return {pid: _ticks(pid) for pid in pids}


def cpu_ms_between(before: dict[int, int], after: dict[int, int]) -> float:
    ticks = sum(t - before.get(pid, 0) for pid, t in after.items())
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def _server_env(port: int) -> dict:
    from django.conf import settings

    return {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{port}",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "STATIC_ROOT": tempfile.mkdtemp(prefix="ohbench-surveys-static-"),
        # The keys this process has (the development key unless set), as bench_pages does.
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
    }


def start_worker(port: int) -> subprocess.Popen:
    """The task worker as in production (`./dev demo` runs the same command): it mixes
    the pending answer sheets the POSTs enqueue."""
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "1",
        ],  # fmt: skip
        cwd=ROOT,
        env=_server_env(port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def start_server(port: int) -> subprocess.Popen:
    env = _server_env(port)
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "opiskeluhuolto.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
    )
    for _ in range(600):  # until a worker answers (the master binds the port first)
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                conn.close()
                return server
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def post(conn, port: int, path: str, session: tuple[str, str], body: bytes) -> tuple[int, float]:
    key, csrf = session
    headers = {
        "Cookie": f"sessionid={key}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
        "X-Forwarded-Proto": "https",
        "Origin": f"https://127.0.0.1:{port}",
        "Referer": f"https://127.0.0.1:{port}/",
    }
    started = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    resp = conn.getresponse()
    resp.read()
    return resp.status, time.perf_counter() - started


def answer_load(survey, port: int, pool: list[tuple[str, str]]) -> dict:
    qids = list(survey.questions.values_list("pk", flat=True))
    path = f"/api/v1/surveys/{survey.pk}/responses"
    lock = threading.Lock()
    queue = iter(pool)
    start = time.perf_counter()
    measure_from = start + ARGS.warmup
    stop = measure_from + ARGS.seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counted = [0]  # every POST, warm-up included (the CPU is measured over all of them)

    def user(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop:
            with lock:
                session = next(queue, None)
            if session is None:
                return
            body = json.dumps({"answers": {str(q): rng.randint(1, 5) for q in qids}}).encode()
            at = time.perf_counter()
            try:
                status, took = post(conn, port, path, session, body)
            except (OSError, http.client.HTTPException):
                # The server closed the idle keep-alive connection during the think time
                # (gunicorn's keepalive is 2 s): reconnect and send again, as a browser
                # does; the time counted includes the new connection.
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                at = time.perf_counter()
                try:
                    status, _took = post(conn, port, path, session, body)
                except (OSError, http.client.HTTPException):
                    status = 599
                took = time.perf_counter() - at
            with lock:
                counted[0] += 1
            if at >= measure_from:
                with lock:
                    latencies.append(took)
                    statuses[status] = statuses.get(status, 0) + 1
            time.sleep(rng.uniform(0.5, 1.5) * ARGS.think)
        conn.close()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(ARGS.users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {
        "n": len(latencies),
        "p50": statistics.median(latencies) * 1000 if latencies else 0,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0,
        "max": latencies[-1] * 1000 if latencies else 0,
        "per_s": len(latencies) / ARGS.seconds,
        "statuses": statuses,
        "n_all": counted[0],
    }


def floor_post(survey, port: int, session) -> float:
    """An authenticated POST that fails validation (422): the stack without the writes."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for _ in range(30):
        status, took = post(
            conn, port, f"/api/v1/surveys/{survey.pk}/responses", session, b'{"answers": {}}'
        )
        assert status == 422, status
        times.append(took)
    conn.close()
    return statistics.median(times) * 1000


# --- 2. the results page --------------------------------------------------------------
def fill_answers(survey, campuses, groups) -> float:
    from django.db import connection

    started = time.perf_counter()
    group_ids = [g.pk for g in groups]
    campus_of = {g.pk: g.campus_id for g in groups}
    with connection.cursor() as c:
        c.execute("CREATE TEMP TABLE bench_units (n int PRIMARY KEY, campus_id int, group_id int)")
        rows = [(i, campus_of[g], g) for i, g in enumerate(group_ids)]
        with c.copy("COPY bench_units (n, campus_id, group_id) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        # Group sizes vary (one small group per campus gets 3 answers: suppressed cells).
        c.execute(
            """
            INSERT INTO surveys_response (id, survey_id, campus_id, student_group_id)
            SELECT gen_random_uuid(), %s, u.campus_id, u.group_id
            FROM generate_series(0, %s - 1) AS i
            JOIN bench_units u ON u.n = (i %% %s)
            """,
            [survey.pk, RESPONSES, len(rows)],
        )
        c.execute(
            """
            INSERT INTO surveys_answer (id, response_id, question_id, value)
            SELECT gen_random_uuid(), r.id, q.id, 1 + floor(random() * 5)::int
            FROM surveys_response r CROSS JOIN surveys_question q
            WHERE r.survey_id = %s AND q.survey_id = %s
            """,
            [survey.pk, survey.pk],
        )
        c.execute("DROP TABLE bench_units")
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE surveys_answer")
        c.execute("VACUUM ANALYZE surveys_response")
    return time.perf_counter() - started


HAND_OVERALL = """
    SELECT a.question_id, a.value, count(*)
    FROM surveys_answer a JOIN surveys_question q ON q.id = a.question_id
    WHERE q.survey_id = %s GROUP BY 1, 2
"""
HAND_CAMPUS = """
    SELECT a.question_id, r.campus_id, a.value, count(*)
    FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id
    WHERE r.survey_id = %s GROUP BY 1, 2, 3
"""

#: The same numbers read from the counts stored at release (the table the page reads), the
#: fair floor of a page that reads precomputed counts: `common.STORED_OVERALL`, `STORED_CAMPUS`.


def hand(sql: str, survey_id: int) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(sql, [survey_id])
        return c.fetchall()


def page(client, url: str) -> bytes:
    resp = client.get(url, HTTP_HOST="127.0.0.1")
    assert resp.status_code == 200, resp.status_code
    return resp.content


def check_same(survey, overall_rows, campus_rows) -> bool:
    from opiskeluhuolto.surveys import results

    ours = {}
    for r in results.compute(survey):
        for value, n in r.total.counts.items():
            ours[(r.question.pk, value)] = n
    hand_overall = {(q, v): n for q, v, n in overall_rows}
    ours_campus = {}
    for r in results.compute(survey, by="campus"):
        for cell in r.cells:
            if not cell.suppressed:
                for value, n in cell.counts.items():
                    ours_campus[(r.question.pk, cell.label, value)] = n
    from opiskeluhuolto.organisation.models import Campus

    names = dict(Campus.objects.values_list("pk", "name"))
    hand_campus = {(q, names[c], v): n for q, c, v, n in campus_rows}
    return ours == hand_overall and all(hand_campus[k] == n for k, n in ours_campus.items())


def main() -> None:
    setup()
    _admin(f'DROP DATABASE IF EXISTS "{ARGS.db}"')
    _admin(f'CREATE DATABASE "{ARGS.db}"')
    server = worker = None
    try:
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse
        from django.utils import timezone

        from opiskeluhuolto.surveys import actions
        from opiskeluhuolto.surveys.models import Invitation, Response, Survey

        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"machine: {machine()}; commit {git_commit()}; scale {ARGS.scale}")
        print(f"load average at the start (1, 5, 15 min): {_load(os.getloadavg())}")
        print(f"migrated in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        provider, inst, campuses, groups, owner, staff = build_provider()
        survey = make_survey(owner, staff, title="Vastauskysely")
        today = timezone.localdate()
        actions.set_window(survey, opens_on=today, closes_on=today + timedelta(days=14))
        survey = actions.open_survey(survey, by=staff, today=today)
        print(
            f"provider: {STUDENTS:,} students in {len(groups):,} groups on {CAMPUSES} campuses, "
            f"survey of {QUESTIONS} questions open, {survey.invited_count:,} invited "
            f"({time.perf_counter() - t:.0f} s)"
        )

        if not ARGS.only_results:
            # --- 1 ---
            from opiskeluhuolto.accounts.models import User

            per_run = (
                int(ARGS.users * (ARGS.seconds + ARGS.warmup) / (0.5 * ARGS.think or 0.02)) + 200
            )
            need = min(STUDENTS, per_run * ARGS.post_repeat)
            users = list(User.objects.filter(username__startswith="bench-s").order_by("pk")[:need])
            port = free_port()
            server = start_server(port)
            worker = start_worker(port)
            size = len(users) // ARGS.post_repeat
            print("\n1. Answer POST at", ARGS.users, "concurrent answerers (think",
                  f"{0.5 * ARGS.think:.2f}–{1.5 * ARGS.think:.2f} s), {ARGS.post_repeat} runs of",
                  f"{ARGS.seconds:.0f} s after {ARGS.warmup:.0f} s warm-up, {size:,} answerers each;",
                  "each run's floor just before it")  # fmt: skip
            runs = []
            for i in range(ARGS.post_repeat):
                chunk = sessions(users[i * size : (i + 1) * size])  # signed in just now
                floor_ms = floor_post(survey, port, chunk.pop())
                load_before = os.getloadavg()
                cpu_before, all_before = server_cpu(server, worker), os.times()
                worker_before = _ticks(worker.pid)
                stats = answer_load(survey, port, chunk)
                cpu_after, all_after = server_cpu(server, worker), os.times()
                worker_ms = (_ticks(worker.pid) - worker_before) * 1000 / os.sysconf("SC_CLK_TCK")
                load_after = os.getloadavg()
                posts = max(1, stats["n_all"])
                cpu = cpu_ms_between(cpu_before, cpu_after) / posts
                client_cpu = (
                    (all_after.user + all_after.system - all_before.user - all_before.system)
                    * 1000
                    / posts
                )
                runs.append({**stats, "floor": floor_ms, "cpu": cpu})
                worker_ms /= posts
                print(
                    f"   run {i + 1}: {stats['n']:,} POSTs ({stats['per_s']:.1f}/s): "
                    f"p50 {stats['p50']:.1f} ms, p95 {stats['p95']:.1f} ms, max {stats['max']:.1f} ms; "
                    f"statuses {stats['statuses']}; floor {floor_ms:.1f} ms; server CPU per POST "
                    f"{cpu:.1f} ms (gunicorn, the task worker and PostgreSQL; of which the task "
                    f"worker's process {worker_ms:.1f} ms; this client {client_cpu:.1f} ms); "
                    "load average before "
                    f"{_load(load_before)}, after {_load(load_after)}"
                )
            from opiskeluhuolto.surveys.models import PendingSheet

            for _ in range(120):  # the worker mixes what is due (at most 4 left waiting)
                if PendingSheet.objects.filter(survey=survey).count() < 5:
                    break
                time.sleep(0.5)
            answered = Invitation.objects.filter(survey=survey, has_answered=True).count()
            stored = Response.objects.filter(survey=survey).count()
            waiting = PendingSheet.objects.filter(survey=survey).count()
            for key, name in (
                ("p50", "p50"),
                ("p95", "p95"),
                ("floor", "floor (one 422 POST, alone)"),
                ("cpu", "server CPU per POST"),
            ):
                values = [r[key] for r in runs]
                print(
                    f"   {name}: min {min(values):.1f} ms, median {statistics.median(values):.1f} ms"
                )
            p95s = [r["p95"] for r in runs]
            ratio = statistics.median(p95s) / statistics.median([r["floor"] for r in runs])
            print(f"   median p95 / median floor: {ratio:.1f}×")
            cpu_median = statistics.median([r["cpu"] for r in runs])
            cores = os.cpu_count() or 1  # None: not known
            print(
                f"   capacity of {cores} cores at that CPU cost, with nothing else running: "
                f"about {cores * 1000 / cpu_median:.0f} POSTs/s (the {ARGS.users} answerers "
                f"ask up to {ARGS.users / ARGS.think:.0f}/s)"
            )
            print(
                f"   both sides agree: {answered:,} invitations marked answered = {stored:,} "
                f"responses stored + {waiting} sheets waiting to be mixed: "
                f"{'yes' if answered == stored + waiting and waiting < 5 else 'NO'}"
            )
            met = sum(p <= 50 for p in p95s)
            print(
                f"   target p95 ≤ 50 ms: {'MET' if met == len(runs) else 'NOT MET'} "
                f"({met} of {len(runs)} runs; median p95 {statistics.median(p95s):.1f} ms)"
            )
            server.terminate()
            server.wait(timeout=30)
            server = None
            worker.terminate()
            worker.wait(timeout=30)
            worker = None
            if ARGS.only_post:
                print(f"   load average {_load(os.getloadavg())}")
                return

        # --- 2 ---
        t = time.perf_counter()
        big = make_survey(owner, staff, title="Tuloskysely")
        Survey.objects.filter(pk=big.pk).update(
            status="closed", released=True, opens_on=today - timedelta(days=30),
            closes_on=today - timedelta(days=10), results_on=today,
            invited_count=RESPONSES,
        )  # fmt: skip
        big.refresh_from_db()
        filled = fill_answers(big, campuses, groups)
        answers = hand(
            "SELECT count(*) FROM surveys_answer a JOIN surveys_question q ON q.id = a.question_id WHERE q.survey_id = %s",
            big.pk,
        )[0][0]  # noqa: E501
        print(
            f"\n2. Results page over {RESPONSES:,} responses × {QUESTIONS} questions "
            f"({answers:,} answer rows; written and vacuumed in {filled:.0f} s, {time.perf_counter() - t:.0f} s in all)"
        )
        from opiskeluhuolto.surveys import results as results_mod

        started = time.perf_counter()
        stored_rows = results_mod.tally(big)  # what the release does once, in the worker
        print(
            f"   counted once at release (task worker): {stored_rows:,} count rows in "
            f"{time.perf_counter() - started:.2f} s; the page reads these"
        )
        client = Client()
        client.force_login(staff)
        url = reverse("surveys:results", args=[big.pk])
        page(client, url)  # warm: templates, translations
        rows: dict[str, list[tuple[Any, ...]]] = {"overall": [], "campus": []}
        for name, path, sql, stored_sql in (
            ("overall", url, HAND_OVERALL, STORED_OVERALL),
            ("campus", url + "?by=campus", HAND_CAMPUS, STORED_CAMPUS),
        ):
            ours_t, hand_t, stored_t, cpu_t, cold_t, cold_cpu = [], [], [], [], [], []
            for _ in range(ARGS.repeat):
                # The first view after a change: a write the token's triggers see (as the
                # release's own write of the counts), so the numbers are computed again
                # (and the person's access facts read again), then kept.
                with connection.cursor() as c:
                    c.execute("UPDATE surveys_resultcount SET n = n WHERE false")
                started, cpu = time.perf_counter(), time.process_time()
                page(client, path)
                cold_t.append(time.perf_counter() - started)
                cold_cpu.append(time.process_time() - cpu)
                started, cpu = time.perf_counter(), time.process_time()
                page(client, path)
                ours_t.append(time.perf_counter() - started)
                cpu_t.append(time.process_time() - cpu)
                started = time.perf_counter()
                rows[name] = hand(sql, big.pk)
                hand_t.append(time.perf_counter() - started)
                started = time.perf_counter()
                counted = hand(stored_sql, big.pk)
                stored_t.append(time.perf_counter() - started)
            assert sorted(counted) == sorted(rows[name]), f"{name}: stored counts differ"
            o, h = statistics.median(ours_t) * 1000, statistics.median(hand_t) * 1000
            st = statistics.median(stored_t) * 1000
            print(
                f"   {name:<8} page {o:,.0f} ms (min {min(ours_t) * 1000:,.0f}) vs hand-written "
                f"SQL over the answers {h:,.0f} ms (min {min(hand_t) * 1000:,.0f}): ratio "
                f"{o / h:.2f}; vs hand-written SQL over the stored counts {st:,.1f} ms "
                f"(min {min(stored_t) * 1000:,.1f}): ratio {o / st:.1f} "
                f"(page runs {', '.join(f'{x * 1000:.0f}' for x in ours_t)} ms; "
                f"SQL {', '.join(f'{x * 1000:.0f}' for x in hand_t)} ms)"
            )
            print(
                f"            page CPU in this process (Django, without PostgreSQL's): median "
                f"{statistics.median(cpu_t) * 1000:.1f} ms (min {min(cpu_t) * 1000:.1f})"
            )
            co = statistics.median(cold_t) * 1000
            print(
                f"            first view after a change (numbers computed, then kept): {co:,.0f} ms "
                f"(min {min(cold_t) * 1000:,.0f}; ratio {co / st:.1f} to the stored counts), CPU "
                f"{statistics.median(cold_cpu) * 1000:.1f} ms"
            )
            print(
                f"            target ≤ 1.5× the aggregate over the answers and ≤ 1 s: "
                f"{'MET' if o / h <= 1.5 and o <= 1000 else 'NOT MET'}; "
                f"≤ 1.5× reading the stored counts: {'MET' if o / st <= 1.5 else 'NOT MET'}"
            )
        same = check_same(big, rows["overall"], rows["campus"])
        print(
            f"   same answer (every shown count equals the hand-written SQL's): {'yes' if same else 'NO'}"
        )
        print(f"   load average {_load(os.getloadavg())}")
        connection.close()
    finally:
        if server is not None:
            server.kill()
        if worker is not None:
            worker.kill()
        if not ARGS.keep:
            from django.db import connections

            connections.close_all()
            _admin(f'DROP DATABASE IF EXISTS "{ARGS.db}" WITH (FORCE)')
            print(f"dropped the database {ARGS.db}")


if __name__ == "__main__":
    main()
