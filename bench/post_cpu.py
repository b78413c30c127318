"""CPU of the survey answer POST (issue 16), in-process: the Django side and its
PostgreSQL backend, per POST.

    .venv/bin/python bench/bench_surveys.py --only-post --scale 0.05 --keep --db oh_x_bench
    .venv/bin/python bench/post_cpu.py --db oh_x_bench                 # 200 POSTs
    … bench/post_cpu.py --db oh_x_bench --mfa --profile 30             # staff MFA on, profile

Uses a database `bench_surveys.py --keep` left (its open survey of 20 questions and its
students). Each POST is by a different student, signed in just before (a session as
signing in leaves it), through Django's test client with CSRF checks enforced and
production settings (DEBUG off, HTTPS behind the proxy), with the access facts' cache
empty for that person, as in the benchmark (every answerer posts once). Prints the
statements of one POST, then over `--posts` POSTs the Django side's CPU
(`time.process_time` of this process) and the PostgreSQL backend's (from /proc, the
connection's `pg_backend_pid()`), per POST. Sign-ins are outside the measured window.
Before measuring, the survey's answers (and its sheets waiting to be mixed) are removed
and its invitations reset when fewer than `--posts` are left unanswered (the database is
the benchmark's own). No task worker runs: the mixer's enqueue (at every fifth waiting
sheet) is in the measured POSTs, its mixing is not.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import secrets
import time
from pathlib import Path

PARSER = argparse.ArgumentParser(description=__doc__.split("\n")[0])
PARSER.add_argument(
    "--db", default="oh_surveys_bench", help="a database bench_surveys.py --keep left"
)
PARSER.add_argument("--posts", type=int, default=200)
PARSER.add_argument("--mfa", action="store_true", help="staff two-factor sign-in required")
PARSER.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
ARGS = PARSER.parse_args()

os.environ.update(
    {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "SITE_URL": "https://testserver",
        "CSRF_TRUSTED_ORIGINS": "https://testserver",
        "REQUIRE_STAFF_MFA": "true" if ARGS.mfa else "false",
        "LOG_LEVEL": "WARNING",
    }
)
# The development key (bench_surveys.py's server gets the same unless one is given).
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE=")

from common import git_commit, machine, setup, temp_dir, use_database  # noqa: E402

os.environ.setdefault("STATIC_ROOT", temp_dir("ohbench-static-"))

use_database(ARGS.db)

HEADERS = {"X-Forwarded-Proto": "https", "Referer": "https://testserver/"}


def _ticks(pid: int) -> int:
    """CPU ticks (user + system) of one process, from /proc (as bench_surveys._ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def main() -> None:
    setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opiskeluhuolto.surveys.models import Invitation, PendingSheet, Response, Survey

    survey = Survey.objects.filter(status="open").order_by("pk").first()
    assert survey is not None, "no open survey: run bench_surveys.py --keep first"
    open_left = Invitation.objects.filter(survey=survey, has_answered=False)
    if open_left.count() < ARGS.posts + 1:
        Response.objects.filter(survey=survey).delete()
        PendingSheet.objects.filter(survey=survey).delete()
        Invitation.objects.filter(survey=survey).update(has_answered=False)
    invitations = list(open_left.select_related("user").order_by("pk")[: ARGS.posts + 1])
    path = f"/api/v1/surveys/{survey.pk}/responses"
    qids = list(survey.questions.values_list("pk", flat=True))
    body = json.dumps({"answers": {str(q): 1 + (q % 5) for q in qids}})

    def signed_in(user) -> tuple[str, str]:
        """(session key, CSRF secret): a browser of this person's own, just signed in."""
        browser = Client(headers=HEADERS)
        browser.force_login(user)  # signing in: the session's first touch
        return browser.cookies["sessionid"].value, secrets.token_hex(16)

    browsers = [signed_in(inv.user) for inv in invitations]
    # One client (one handler, its middleware loaded once, as in a server's worker),
    # each POST with its person's cookies.
    client = Client(enforce_csrf_checks=True, headers=HEADERS)
    client.get("/healthz")

    def answer(browser: tuple[str, str]) -> int:
        session, csrf = browser
        client.cookies["sessionid"] = session
        client.cookies["csrftoken"] = csrf
        return client.post(
            path, body, content_type="application/json", headers={"X-CSRFToken": csrf}
        ).status_code

    cache.clear()  # every answerer's facts unseen, as in the benchmark
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    with CaptureQueriesContext(connection) as ctx:
        status = answer(browsers.pop())
    assert status == 201, status
    print(f"machine: {machine()}; commit {git_commit()}; staff MFA {'on' if ARGS.mfa else 'off'}")
    print(f"load average at the start: {Path('/proc/loadavg').read_text().strip()}")
    print(f"one POST: {len(ctx.captured_queries)} statements")
    for q in ctx.captured_queries:
        print(f"   {q['sql'][:150]}")

    profiler = cProfile.Profile(time.process_time) if ARGS.profile else None
    pg0, cpu0, wall0 = _ticks(backend), time.process_time(), time.perf_counter()
    for browser in browsers:
        if profiler:
            profiler.enable()
        status = answer(browser)
        if profiler:
            profiler.disable()
        assert status == 201, status
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    pg = (_ticks(backend) - pg0) / os.sysconf("SC_CLK_TCK")
    n = len(browsers)
    print(
        f"{n} POSTs (all 201): Django {cpu * 1000 / n:.2f} ms CPU a POST, PostgreSQL backend "
        f"{pg * 1000 / n:.2f} ms, together {(cpu + pg) * 1000 / n:.2f} ms; "
        f"wall {wall * 1000 / n:.2f} ms a POST"
    )
    print(f"load average at the end: {Path('/proc/loadavg').read_text().strip()}")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(ARGS.profile)
        pstats.Stats(profiler).sort_stats("cumulative").print_callees(
            "needs_totp_setup|get_survey_to_answer|respond"
        )
        pstats.Stats(profiler).sort_stats("tottime").print_stats(ARGS.profile)


if __name__ == "__main__":
    main()
