"""A real PostgreSQL streaming replica behind the router (issue 21, part 5).

The test starts a primary and a hot standby of its own with Debian's PostgreSQL binaries
(/usr/lib/postgresql/*/bin), in data directories under a temporary directory, on free
loopback ports; the system cluster is only read (pg_dump of this run's test database, for
the schema). The primary gets the schema, pg_basebackup makes the standby, and
replica_probe.py runs the app against the pair in a process of its own. Slow by
necessity: two servers start and the whole schema is copied (30 s at load average 7 on
2 cores, 50 s at load 10; initdb, the schema copy and the probe's Django start dominate).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from glob import glob
from pathlib import Path

import pytest

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[3]


def _bin_dir() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 -- our own arguments
        [str(a) for a in args], check=True, capture_output=True, text=True, timeout=60, **kw
    )


@pytest.fixture
def pair():
    """(primary URL, replica URL) of a fresh primary and its streaming standby."""
    from django.db import connection

    bin_dir = _bin_dir()
    if bin_dir is None or os.geteuid() == 0 and shutil.which("runuser") is None:
        # The PostgreSQL pass runs where Debian's server is installed (.ci/run installs
        # it): without its binaries this test cannot prove anything, so it fails.
        pytest.fail("Debian's PostgreSQL server binaries (and runuser as root) are needed")
    with start_pair(bin_dir, connection.settings_dict) as urls:
        yield urls


@contextmanager
def start_pair(bin_dir: Path, source: dict) -> Iterator[tuple[str, str]]:
    """A primary with the schema of the database `source` and its standby, both stopped
    and removed at the end."""
    import tempfile

    # Not under pytest's base temp: the server's user must be able to reach it.
    tmp_path = Path(tempfile.mkdtemp(prefix="oh-replica-"))
    tmp_path.chmod(0o755)
    user = []
    if os.geteuid() == 0:  # the server refuses to run as root
        user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(tmp_path, "postgres")
    primary_dir, standby_dir = tmp_path / "primary", tmp_path / "standby"
    p_port, s_port = _free_port(), _free_port()
    started = []

    def pg(*args, **kw):
        return _run(*user, *args, **kw)

    try:
        pg(bin_dir / "initdb", "-D", primary_dir, "-U", "postgres", "-A", "trust", "--no-sync")
        with open(primary_dir / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {p_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{tmp_path}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\nsynchronous_commit = off\n"
                "full_page_writes = off\nshared_buffers = 16MB\n"
            )
        pg(bin_dir / "pg_ctl", "-D", primary_dir, "-l", tmp_path / "primary.log", "-w", "start")
        started.append(primary_dir)
        name = "oh_replica"
        primary = f"postgres://postgres@127.0.0.1:{p_port}/{name}"
        pg(bin_dir / "createdb", "-h", "127.0.0.1", "-p", p_port, "-U", "postgres", name)
        dump = _run(
            bin_dir / "pg_dump",
            "--no-owner",
            "--no-privileges",
            "-h",
            source["HOST"] or "127.0.0.1",
            "-p",
            source["PORT"] or 5432,
            "-U",
            source["USER"] or "postgres",
            source["NAME"],
            env={**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""},
        ).stdout
        _run(bin_dir / "psql", "-q", "-1", "-v", "ON_ERROR_STOP=1", primary, input=dump)
        pg(
            bin_dir / "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            p_port,
            "-U",
            "postgres",
            "-D",
            standby_dir,
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
        )
        pg(
            bin_dir / "pg_ctl",
            "-D",
            standby_dir,
            "-l",
            tmp_path / "standby.log",
            "-o",
            f"-p {s_port}",
            "-w",
            "start",
        )
        started.append(standby_dir)
        yield primary, f"postgres://postgres@127.0.0.1:{s_port}/{name}"
    finally:
        for data in reversed(started):
            pg(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_dashboards_read_from_the_replica_writes_never_and_the_writer_reads_the_primary(pair):
    primary, standby = pair
    env = {**os.environ, "DATABASE_URL": primary, "DATABASE_REPLICA_URL": standby}
    env["DJANGO_SETTINGS_MODULE"] = "opiskeluhuolto.settings"
    done = subprocess.run(  # noqa: S603 -- our own script
        [sys.executable, "-m", "opiskeluhuolto.lib.tests.replica_probe"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [x for x in done.stdout.splitlines() if x.startswith("REPLICA-PROBE ")]
    assert done.returncode == 0 and lines, done.stdout + done.stderr
    out = json.loads(lines[-1].removeprefix("REPLICA-PROBE "))
    assert out["standby_in_recovery"] is True  # a real hot standby
    # The dashboard's reads went to the replica (the session and the user stay on the primary).
    assert out["dashboard"]["replica"] > 0, out
    # While the replica does not replay, its answer lacks the new school: it really served it.
    assert out["stale_read"] == {
        "from_replica": out["stale_read"]["from_replica"],
        "sees_new": False,
    }
    assert out["stale_read"]["from_replica"] > 0
    # After a write request the person reads the primary, and sees their write.
    assert out["pin_cookie"] is True
    assert out["after_write"]["replica"] == 0 and out["after_write"]["sees_new"] is True, out
    # Not one statement that writes was sent to the replica (it would have refused it too).
    assert out["writes_on_replica"] == []
