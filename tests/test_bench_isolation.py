"""The benchmark scripts never use the developer's database, cache or mail (issue 21, 7).

Each script in bench/ is started as a subprocess with a developer's environment pointing
everywhere a benchmark must not go (their database, a shared Redis, an SMTP relay) and
`BENCH_CHECK_ONLY=1`, which makes `common.setup()` print the settings Django ended up
with and exit before connecting to anything. A script that reads the developer's
settings, sets its own database after the check, or skips `common.setup()` fails here
(the last one prints nothing and runs into a server on port 1 that does not exist).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if p.name != "common.py")
#: Nothing listens here: a script that got through would fail to connect, touching nothing.
NOWHERE = "postgres://postgres@127.0.0.1:1"

DEVELOPER = {
    "DATABASE_URL": "postgres://dev@127.0.0.1:1/opiskeluhuolto_dev",
    "SQLITE_PATH": "/nonexistent/developer.sqlite3",
    "CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache",
    "CACHE_LOCATION": "redis://127.0.0.1:1/7",
    "SESSION_ENGINE": "django.contrib.sessions.backends.cache",
    "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.developer.invalid",
    "EMAIL_FILE_PATH": "/nonexistent/mail",
}


def run(script: str, **extra: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BENCH_", "DJANGO_SETTINGS_MODULE"))
    }
    env.update(DEVELOPER, BENCH_POSTGRES=NOWHERE, BENCH_CHECK_ONLY="1", **extra)
    return subprocess.run(  # noqa: S603 -- our own scripts
        [sys.executable, str(BENCH / script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_of(done: subprocess.CompletedProcess) -> dict:
    lines = [x for x in done.stdout.splitlines() if x.startswith("BENCH-SETTINGS ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    return json.loads(lines[-1].removeprefix("BENCH-SETTINGS "))


def test_every_script_is_checked():
    assert {"bench_import.py", "bench_pages.py", "bench_queries.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_bench_script_uses_only_its_own_database_cache_and_mail(script, tmp_path):
    found = settings_of(run(script, TMPDIR=str(tmp_path)))
    # What it made for itself (collected static files, a cache directory) is gone with it.
    assert list(tmp_path.iterdir()) == []
    db = found["database"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert "bench" in db["NAME"].split("_"), db
    assert db["NAME"] != "opiskeluhuolto_dev"
    assert (db["HOST"], db["PORT"]) == ("127.0.0.1", "1")  # BENCH_POSTGRES, not DATABASE_URL
    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["cache"]["LOCATION"].startswith("ohbench-")
    assert found["mail"] == "django.core.mail.backends.locmem.EmailBackend"
    assert found["sessions"] != DEVELOPER["SESSION_ENGINE"]
    assert found["tasks"] != DEVELOPER["TASKS_BACKEND"]


def test_a_database_not_named_for_benchmarks_is_refused():
    done = run("bench_queries.py", BENCH_DATABASE="opiskeluhuolto_dev")
    assert done.returncode != 0
    assert "refusing database 'opiskeluhuolto_dev'" in done.stderr
    assert "BENCH-SETTINGS" not in done.stdout


def test_the_surveys_benchmark_refuses_to_drop_a_database_not_its_own():
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(BENCH / "bench_surveys.py"), "--db", "opiskeluhuolto"],
        cwd=ROOT,
        env={**os.environ, "BENCH_POSTGRES": NOWHERE},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "refusing database 'opiskeluhuolto'" in done.stderr


def test_bench_database_names():
    """Checked in a subprocess: importing `common` rewrites its process's environment."""
    code = (
        "import common; print([common.is_bench_database(n) for n in "
        "('oh_bench', 'oh_surveys_bench', 'opiskeluhuolto', 'benchmarks_of_production')])"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BENCH,
        env={**os.environ, "BENCH_POSTGRES": NOWHERE},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "[True, True, False, False]", done.stderr
