"""Shared set-up of the benchmark scripts: Django against a PostgreSQL benchmark database.

Benchmarks are scripts, not tests: each prints what it measured in one run and the
ratios against the baseline it names. Run them from the repository root, e.g.
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oh_bench .venv/bin/python bench/bench_import.py
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opiskeluhuolto.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/oh_bench")


def setup() -> None:
    import django

    django.setup()


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
