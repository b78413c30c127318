"""Shared set-up of the benchmark scripts: Django against a PostgreSQL benchmark database.

Benchmarks are scripts, not tests: each prints what it measured in one run and the
ratios against the baseline it names. Run them from the repository root, e.g.
    .venv/bin/python bench/bench_import.py

Isolation: importing this module removes the developer's database, cache, session, task
and mail settings from the environment (`DEVELOPER_SETTINGS`). The database is
`BENCH_DATABASE` (default `oh_bench`) on `BENCH_POSTGRES` (default
postgres://postgres@127.0.0.1:5432), never `DATABASE_URL`, and only a name containing
the word `bench` is accepted; the cache is this process's own memory; mail stays in
memory. `setup()` checks what Django ended up with and stops otherwise.
"""

from __future__ import annotations

import atexit
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def temp_dir(prefix: str) -> str:
    """A directory of this run's own (collected static files and the like), removed when
    the process ends: a benchmark leaves nothing behind it did not find."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, True)
    return path


#: The PostgreSQL server the benchmarks use (`BENCH_POSTGRES`); never `DATABASE_URL`.
BENCH_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")

#: Settings the developer's environment may carry that would point a benchmark at their
#: own services: the database, the cache (a shared Redis), mail (an SMTP relay, a mail
#: directory), the session store and the task runner. Removed before Django starts.
DEVELOPER_SETTINGS = (
    "DATABASE_URL",
    "SQLITE_PATH",
    "CACHE_BACKEND",
    "CACHE_LOCATION",
    "SESSION_ENGINE",
    "TASKS_BACKEND",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_PASSWORD_FILE",
    "EMAIL_USE_TLS",
    "EMAIL_FILE_PATH",
    "DEFAULT_FROM_EMAIL",
)
#: This process's own in-memory cache, and mail kept in memory: nothing leaves the process.
BENCH_CACHE_LOCATION = f"ohbench-{os.getpid()}"
BENCH_SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "opiskeluhuolto.settings",
    "CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "CACHE_LOCATION": BENCH_CACHE_LOCATION,
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def is_bench_database(name: str) -> bool:
    """A benchmark works only in a database whose name says so (`oh_bench`,
    `oh_surveys_bench`, …): `bench` is one of its underscore-separated words."""
    return "bench" in name.split("_")


def use_database(name: str) -> str:
    """Point Django at the benchmark database `name` on `BENCH_SERVER`; refuses any other."""
    if not is_bench_database(name) or "/" in name:
        raise SystemExit(
            f"refusing database {name!r}: a benchmark uses only a database of its own, "
            "whose name contains the word bench (e.g. oh_bench)"
        )
    url = f"{BENCH_SERVER}/{name}"
    os.environ["DATABASE_URL"] = url
    return url


def isolate() -> None:
    """Forget the developer's database, cache and mail settings; use the benchmark's own.
    Runs when this module is imported, before Django reads its settings."""
    for name in DEVELOPER_SETTINGS:
        os.environ.pop(name, None)
    os.environ.update(BENCH_SETTINGS)
    use_database(os.environ.get("BENCH_DATABASE", "oh_bench"))


isolate()


def resolved() -> dict:
    """What Django ended up with: the database, cache, mail, sessions and tasks."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    return {
        "database": {k: str(db.get(k, "")) for k in ("ENGINE", "NAME", "HOST", "PORT")},
        "cache": {k: str(v) for k, v in settings.CACHES["default"].items()},
        "mail": settings.MAILERS["default"]["BACKEND"],
        "sessions": settings.SESSION_ENGINE,
        "tasks": settings.TASKS["default"]["BACKEND"],
    }


def check_isolation(found: dict) -> None:
    """Stop unless Django uses the benchmark's own database, cache and mail."""
    db, cache = found["database"], found["cache"]
    problems = []
    if "postgresql" not in db["ENGINE"] or not is_bench_database(db["NAME"]):
        problems.append(f"database {db['ENGINE']} {db['NAME']!r}")
    if (cache["BACKEND"], cache["LOCATION"]) != (
        BENCH_SETTINGS["CACHE_BACKEND"],
        BENCH_CACHE_LOCATION,
    ):
        problems.append(f"cache {cache['BACKEND']} {cache['LOCATION']!r}")
    if found["mail"] != BENCH_SETTINGS["EMAIL_BACKEND"]:
        problems.append(f"mail {found['mail']}")
    if problems:
        raise SystemExit("not the benchmark's own: " + ", ".join(problems))


def setup() -> None:
    """Start Django on the benchmark's own settings (checked). With `BENCH_CHECK_ONLY=1`,
    print them as JSON and exit before anything is connected to (tests/test_bench_isolation.py).
    Scripts call this before any database work."""
    import json

    import django

    django.setup()
    found = resolved()
    check_isolation(found)
    if os.environ.get("BENCH_CHECK_ONLY"):
        print("BENCH-SETTINGS " + json.dumps(found))
        sys.exit(0)


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SHOW server_version")
        pg = c.fetchone()[0]
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu}), {mem} RAM, "
        f"Python {platform.python_version()}, PostgreSQL {pg}"
    )


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """(median seconds, last result) over `repeat` runs."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "?"


def own_redis() -> tuple[str, Callable[[], None]] | None:
    """A Redis server of this benchmark's own: on a free loopback port, not saved to disk,
    stopped by the returned function. None when redis-server is not installed. The
    benchmarks never use a Redis they did not start (a developer's 6379 stays untouched)."""
    import shutil
    import socket
    import tempfile

    server = shutil.which("redis-server")
    if server is None:
        return None
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tempfile.mkdtemp(prefix="ohbench-redis-")
    proc = subprocess.Popen(  # noqa: S603 -- our own arguments, no user input
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
            "--logfile",
            f"{workdir}/redis.log",
        ],
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(100):
        try:
            if int(client.info("server")["process_id"]) == proc.pid:
                break
        except redis.ConnectionError:
            time.sleep(0.05)  # not up yet
            continue
        time.sleep(0.05)
    else:
        proc.kill()
        raise RuntimeError(f"redis-server did not start on port {port}")

    def stop() -> None:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    return f"redis://127.0.0.1:{port}/0", stop


#: The floor of a survey results page that reads the counts stored at release: the same
#: numbers as the page shows, summed by hand-written SQL (`bench_surveys.py`,
#: `results_floor.py`).
STORED_OVERALL = """
    SELECT question_id, value, sum(n) FROM surveys_resultcount
    WHERE survey_id = %s AND value IS NOT NULL GROUP BY 1, 2
"""
STORED_CAMPUS = """
    SELECT question_id, campus_id, value, sum(n) FROM surveys_resultcount
    WHERE survey_id = %s AND value IS NOT NULL GROUP BY 1, 2, 3
"""
