"""CPU time and SQL queries of one request to each page of `bench_pages.py`, in-process.

    .venv/bin/python bench/page_cpu.py
    … bench/page_cpu.py --only case --profile 25     # and the 25 costliest functions

The load test says how long users wait; this says where a request's CPU goes, which is
what decides the wait once the two cores are busy. Each page is requested with
production settings (DEBUG off, the template cache on) through Django's test client
signed in as its person: five warm-up requests, then `--repeat` measured ones. Prints
the median CPU time of the request thread (`time.thread_time`), the median wall time,
and the query count.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import tempfile
import time

os.environ.update(
    {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "SITE_URL": "https://testserver",
        "REQUIRE_STAFF_MFA": "false",
        "LOG_LEVEL": "WARNING",
    }
)
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="ohbench-static-"))
# The development key the demo database was seeded with, unless one is given.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE=")

from bench_pages import PROXY_HEADERS, pages  # noqa: E402
from common import git_commit, machine, setup  # noqa: E402


def counting(queries: list[str]):
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def strongly_identified(client, user) -> None:
    """Mark the client's session as after a strong sign-in, as `bench_pages.sessions_for`
    does: a student's own confidential pages ("who has read my data") otherwise answer
    with the step-up redirect, not the page."""
    from django.conf import settings

    from opiskeluhuolto.access import identification

    session = client.session
    session[identification.SESSION_KEY] = {
        "provider": settings.STRONG_ID_PROVIDER_ID,
        "acr": sorted(settings.STRONG_ID_ACCEPTED_ACR)[0],
        "at": int(time.time()),
        "user": user.pk,
    }
    session.save()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", action="append")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from opiskeluhuolto.accounts.models import User

    call_command("collectstatic", "--no-input", verbosity=0)
    print(f"machine: {machine()}")
    print(f"commit: {git_commit()}")
    print(f"{'page':<44} {'queries':>7} {'CPU ms':>7} {'wall ms':>7}")
    for label, entries in pages():
        if args.only and not any(o in label for o in args.only):
            continue
        username, path = entries[0]  # the first simulated user, reading their own objects
        client = Client(headers=PROXY_HEADERS)
        user = User.objects.get(username=username)
        client.force_login(user)
        strongly_identified(client, user)
        for _ in range(5):
            assert client.get(path).status_code == 200, path
        queries: list[str] = []
        with connection.execute_wrapper(counting(queries)):
            client.get(path)
        cpu, wall = [], []
        profiler = cProfile.Profile(time.thread_time) if args.profile else None
        for _ in range(args.repeat):
            c0, w0 = time.thread_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            client.get(path)
            if profiler:
                profiler.disable()
            cpu.append(time.thread_time() - c0)
            wall.append(time.perf_counter() - w0)
        print(
            f"{label:<44} {len(queries):>7} "
            f"{statistics.median(cpu) * 1000:7.1f} {statistics.median(wall) * 1000:7.1f}"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
