"""CPU time and SQL queries of one request to each page of `bench_pages.py`, in-process.

    .venv/bin/python bench/page_cpu.py
    … bench/page_cpu.py --only case --profile 25     # and the 25 costliest functions
    … bench/page_cpu.py --only case --trace          # each statement's and the commit's wall time
    … bench/page_cpu.py --users 50 --repeat 5        # every simulated user, not only the first

The load test says how long users wait; this says where a request's CPU goes, which is
what decides the wait once the two cores are busy. Each page is requested with
production settings (DEBUG off, the template cache on) through Django's test client
signed in as its person: five warm-up requests, then `--repeat` measured ones. Prints
the median CPU time of the request thread (`time.thread_time`), the median wall time,
and the query count. With `--trace`, also where the wall time beyond the CPU goes: the
median wall time of each statement (as the client sees it, round trip included) and of
the commits, over the measured requests.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
# The development key the demo database was seeded with, unless one is given.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "ZGV2ZWxvcG1lbnQtb25seS1rZXktbm90LXNlY3JldCE=")

from bench_pages import PROXY_HEADERS, pages, sessions_for  # noqa: E402
from common import git_commit, machine, setup, temp_dir  # noqa: E402

os.environ.setdefault("STATIC_ROOT", temp_dir("ohbench-static-"))


def counting(queries: list[str]):
    def wrapper(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def timing(times: list[float]):
    """An execute wrapper appending each statement's wall time (ms) in order."""

    def wrapper(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            times.append((time.perf_counter() - t0) * 1000)

    return wrapper


@contextmanager
def timed_commits(connection, times: list[float]) -> Iterator[None]:
    """Record the wall time (ms) of each COMMIT on `connection` (not a statement Django's
    execute wrappers see): the access log's chaining trigger and the WAL flush run in it.
    Django has no hook around COMMIT, so its `_commit` is wrapped for the block."""
    commit = connection._commit

    def _commit():
        t0 = time.perf_counter()
        try:
            return commit()
        finally:
            times.append((time.perf_counter() - t0) * 1000)

    connection._commit = _commit
    try:
        yield
    finally:
        del connection._commit


def trace(client, path: str, repeat: int, queries: list[str]) -> None:
    """Print each statement's median wall time over `repeat` requests, and the commits'."""
    from django.db import connection

    per_request: list[list[float]] = []
    commits: list[float] = []
    with timed_commits(connection, commits):
        for _ in range(repeat):
            times: list[float] = []
            with connection.execute_wrapper(timing(times)):
                client.get(path)
            per_request.append(times)
    for i, sql in enumerate(queries):
        column = [t[i] for t in per_request if len(t) > i]
        print(f"  {statistics.median(column):7.2f} ms  {sql[:110]}")
    total = statistics.median(sum(t) for t in per_request)
    print(f"  {total:7.2f} ms  all statements (median of the requests' sums)")
    if commits:
        print(
            f"  {statistics.median(commits):7.2f} ms  COMMIT (median of {len(commits)}, "
            f"{len(commits) / repeat:.1f} a request; max {max(commits):.2f})"
        )


def backend_ticks() -> tuple[int, int]:
    """(pid, utime + stime ticks) of this process's database session's server process
    (PostgreSQL on this machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return pid, int(fields[11]) + int(fields[12])


def signed_in(username: str, path: str):
    from django.conf import settings
    from django.test import Client

    client = Client(headers=PROXY_HEADERS)
    # A session as bench_pages.py makes them: as after a strong sign-in, without which
    # "who has read my data" sends a student to the step-up page.
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions_for([(username, path)])[0]
    return client


def every_user(label: str, entries: list[tuple[str, str]], repeat: int) -> None:
    """Each user's median CPU and query count; min / median / max over the users, the
    server's CPU a request and the three costliest users (`--users`)."""
    from django.db import connection

    per_user: list[tuple[float, int, str, str]] = []
    db_ticks, db_requests = 0, 0
    for username, path in entries:
        client = signed_in(username, path)
        for _ in range(2):
            assert client.get(path).status_code == 200, (username, path)
        queries: list[str] = []
        with connection.execute_wrapper(counting(queries)):
            client.get(path)
        pid, t0 = backend_ticks()
        cpu = []
        for _ in range(repeat):
            c0 = time.thread_time()
            client.get(path)
            cpu.append(time.thread_time() - c0)
        pid2, t1 = backend_ticks()
        if pid2 == pid:  # the connection was not replaced meanwhile
            db_ticks += t1 - t0
            db_requests += repeat
        per_user.append((statistics.median(cpu) * 1000, len(queries), username, path))
    cpus = sorted(c for c, *_ in per_user)
    counts = sorted(q for _c, q, *_ in per_user)
    db = db_ticks / os.sysconf("SC_CLK_TCK") / max(1, db_requests) * 1000
    print(
        f"{label:<44} {len(per_user):>3} users  queries {counts[0]}–{counts[-1]}  "
        f"CPU ms min {cpus[0]:.1f} median {statistics.median(cpus):.1f} max {cpus[-1]:.1f}  "
        f"database CPU {db:.1f} ms a request"
    )
    for cpu_ms, count, username, path in sorted(per_user, reverse=True)[:3]:
        print(f"    {cpu_ms:6.1f} ms {count:>3} queries  {username} {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", action="append")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument(
        "--trace", action="store_true", help="each statement's and the commit's wall time"
    )
    parser.add_argument(
        "--users", type=int, default=1, help="measure the first N of each page's users"
    )
    args = parser.parse_args()
    setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("collectstatic", "--no-input", verbosity=0)
    print(f"machine: {machine()}")
    print(f"commit: {git_commit()}")
    print(f"{'page':<44} {'queries':>7} {'CPU ms':>7} {'wall ms':>7}")
    for label, entries in pages():
        if args.only and not any(o in label for o in args.only):
            continue
        if args.users > 1:
            every_user(label, entries[: args.users], args.repeat)
            continue
        username, path = entries[0]  # the first simulated user, reading their own objects
        client = signed_in(username, path)
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
        if args.trace:
            trace(client, path, args.repeat, queries)


if __name__ == "__main__":
    main()
