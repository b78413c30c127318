"""p95 latency of the dashboard, case, record and booking pages at 50 concurrent users.

    .venv/bin/python bench/bench_pages.py

Starts gunicorn on 127.0.0.1 only, signs the demo people in by creating their
sessions, and runs 50 simulated users per page: each user requests the page, waits a
think time (0.5–1.5 s, `--think 0` for back-to-back requests) and repeats, for
`--seconds` per page, after three single warm-up requests and `--warmup` seconds of the
same load that are not measured (every worker process warm, as after minutes in
production; with wrk the warm-up is the start of the same run, over the same
connections). The load comes from wrk (Debian's package; one wrk thread per user, with
the think time in its Lua script), which costs the two cores almost nothing and measures
each request from its writing to its response's last byte read; `--client python`
uses this script's own threads instead (they compete with the server for the CPU and
add their own waits to what they measure). Prints p50/p95/max latency, throughput,
errors, and the page's SQL query count measured in-process.

The server runs as production does (README "Production"): DEBUG off, static files
collected into a temporary STATIC_ROOT for the manifest storage, a random SECRET_KEY,
ALLOWED_HOSTS and SITE_URL set, the field-encryption keys this process has (the ones the
database was seeded with), Redis as the shared cache with the sessions read from it
(`cached_db`), and gunicorn gthread workers. Requests carry `X-Forwarded-Proto: https`
as the TLS-terminating proxy would add, so the HTTPS redirect and secure cookies stay
on. One thing differs from production, to keep the signed-in sessions usable: staff
TOTP is not required (`REQUIRE_STAFF_MFA=false`; in production that check is one more
indexed EXISTS query per staff page). The Redis is the benchmark's own, started on a
free loopback port and stopped at the end (a developer's Redis is never touched); without
redis-server installed the cache is a file cache in a temporary directory. `--debug` runs with DEBUG on.

Workers: 4 gthread workers × 2 threads on this 2-core machine, as the README's
production command. The pages are CPU-bound Python (templates, ORM) with short waits
on PostgreSQL; one process runs Python on one core at a time (the GIL), and a worker
keeps the connections it accepted, so more processes with few threads each spread the
50 users' connections more evenly than two processes with many threads (measured:
bench/README.md §3). gunicorn turns `-k sync` with more than one thread into gthread;
this script gives sync workers one thread.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from common import ROOT, git_commit, machine, own_redis, setup, temp_dir

PORT = 0  # chosen free at start
USERS = 50
#: Added to every request, as the TLS-terminating proxy in front of gunicorn would.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def sessions_for(entries: list[tuple[str, str]]) -> list[str]:
    """A signed-in session for every simulated user (`entries`: (username, path)): each has
    a browser of its own, as real users would (one shared session would make all of them
    write the same session row on every request: `SESSION_SAVE_EVERY_REQUEST`)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from opiskeluhuolto.access import identification
    from opiskeluhuolto.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in={n for n, _p in entries})}
    out = []
    for name, _path in entries:
        user = users[name]
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        # As after a strong sign-in (Suomi.fi): production shows a student their own
        # confidential data only then (access/identification.py); a password session is
        # sent to the step-up page instead.
        s[identification.SESSION_KEY] = {
            "provider": settings.STRONG_ID_PROVIDER_ID,
            "acr": sorted(settings.STRONG_ID_ACCEPTED_ACR)[0],
            "at": int(time.time()),
            "user": user.pk,
        }
        s.create()
        if s.session_key is None:  # create() saves it with a new key, or raises
            raise RuntimeError(f"no session created for {name}")
        out.append(s.session_key)
    return out


def pages() -> list[tuple[str, list[tuple[str, str]]]]:
    """(label, [(username, path) for each of the `USERS` simulated users]) for the pages that
    exist in this checkout. With the people of `seed_pages.py` every user reads their own
    objects (their own case, log, bookings); in a database with the demo only, every user
    is the demo's one person reading the same object (the earlier runs of §3)."""
    from django.urls import NoReverseMatch, reverse

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation.models import Student

    own = User.objects.filter(username="bench_kuraattori_1").exists()

    def people(role: str) -> list[str]:
        return [f"bench_{role}_{i}" for i in range(1, USERS + 1)] if own else [role] * USERS

    # The generated year is last school year: the dashboard aggregates all of it.
    dashboard = reverse("insights:dashboard") + "?period=previous"
    found = [
        ("dashboard, last year (insights:dashboard)", [(u, dashboard) for u in people("rehtori")])
    ]
    try:
        from opiskeluhuolto.cases.models import Case, ExpertGroupMembership

        aino = Student.objects.filter(first_name="Aino", last_name="Aaltonen").first()
        demo_case = Case.objects.filter(student=aino).order_by("pk").first()
        entries = []
        for u in people("kuraattori"):
            case_id = (
                ExpertGroupMembership.objects.filter(user__username=u)
                .order_by("case_id")
                .values_list("case_id", flat=True)
                .first()
                if own
                else demo_case and demo_case.pk
            )
            if case_id:
                entries.append((u, reverse("records:case", args=[case_id])))
        if entries:
            found.append(("case + record (records:case)", entries))
    except (ImportError, NoReverseMatch):
        pass
    for label, role, name in (
        ("record access log (records:my_log)", "opiskelija", "records:my_log"),
        ("bookings (appointments:index)", "opiskelija", "appointments:index"),
        ("staff bookings (appointments:work)", "kuraattori", "appointments:work"),
    ):
        with contextlib.suppress(NoReverseMatch):
            found.append((label, [(u, reverse(name)) for u in people(role)]))
    return found


def query_count(username: str, path: str) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opiskeluhuolto.accounts.models import User

    client = Client(headers=PROXY_HEADERS)
    client.force_login(User.objects.get(username=username))
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    return status, len(ctx.captured_queries)


def warm_up(path: str, session: str, times: int = 3) -> None:
    """A few requests first, as the first visitor after an import would make."""
    for _ in range(times):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        conn.request("GET", path, headers={"Cookie": f"sessionid={session}", **PROXY_HEADERS})
        conn.getresponse().read()
        conn.close()


def loadavg() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])  # noqa: SIM115, PTH123


def stats(latencies: list[float], failures: int, seconds: float) -> dict:
    """p50/p95/max in ms of latencies in seconds."""
    latencies = sorted(latencies) or [0.0]
    return {
        "n": len(latencies),
        "p50": latencies[max(0, int(0.5 * len(latencies)) - 1)] * 1000,
        "p95": latencies[max(0, int(0.95 * len(latencies)) - 1)] * 1000,
        "max": latencies[-1] * 1000,
        "rps": len(latencies) / seconds,
        "errors": failures,
    }


def by_label(samples: list[tuple[int, float, bool]], seconds: float) -> dict:
    """Stats per label index, and over all of them under the key -1."""
    out = {}
    for key in sorted({lab for lab, _l, _ok in samples}) + [-1]:
        mine = [(lat, ok) for lab, lat, ok in samples if key in (-1, lab)]
        out[key] = stats([lat for lat, _ok in mine], sum(not ok for _l, ok in mine), seconds)
    return out


def load(users: list[tuple[str, str, int]], seconds: float, think: float) -> dict:
    """The load from this script's own threads: user i requests `users[i]`'s path with its
    session ((session, path, label index)) and thinks. Stats per label (see `by_label`)."""
    samples: list[tuple[int, float, bool]] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(i: int) -> None:
        rng = random.Random(i)
        session, path, label = users[i]
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        time.sleep(rng.uniform(0, think or 0.05))
        count = 0
        while time.monotonic() < stop and count < 500:
            count += 1
            started = time.perf_counter()
            try:
                conn.request(
                    "GET", path, headers={"Cookie": f"sessionid={session}", **PROXY_HEADERS}
                )
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                if not ok:
                    redirected.add((resp.status, resp.getheader("Location")))
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            with lock:
                samples.append((label, time.perf_counter() - started, ok))
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
        conn.close()

    redirected: set = set()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(users))]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if redirected:
        print(f"answers other than 200: {sorted(redirected)[:3]}")
    return by_label(samples, time.monotonic() - started)


WRK_SCRIPT = """
-- One wrk thread per simulated user (-t 50 -c 50): its state is the user's.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } oh_timespec;
int clock_gettime(int clock, oh_timespec *t);
]]
local clock = ffi.new("oh_timespec")
local function now_us()  -- CLOCK_MONOTONIC
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000000 + tonumber(clock.tv_nsec) / 1000
end
-- User i (1-based) signs in with sessions[i], requests paths[i]; its page is labels[i].
local sessions = {%(sessions)s}
local paths = {%(paths)s}
local labels = {%(labels)s}
local think, warmup, first, made, threads = %(think)d, %(warmup)d, true, 0, {}
function setup(thread)  -- in wrk's main Lua state, once per thread
  made = made + 1
  thread:set("me", made)  -- a global of that thread's own state
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(me * 7919)  -- each user thinks on its own schedule
  measured_from = now_us() + warmup * 1000
  latencies, failed, sent_at, bad_status = {}, 0, 0, 0
  my_request = wrk.format("GET", paths[me], {
    ["Cookie"] = "sessionid=" .. sessions[me],
    ["X-Forwarded-Proto"] = "https",
  })
end
function delay()
  if think == 0 then return 0 end
  if first then
    first = false
    return math.random(0, think)  -- users arrive spread over one think time
  end
  return math.random(math.floor(think / 2), math.floor(think * 3 / 2))
end
function request()  -- called as the request is written
  sent_at = now_us()
  return my_request
end
function response(status, headers, body)
  if sent_at >= measured_from then
    latencies[#latencies + 1] = now_us() - sent_at
    if status ~= 200 then failed, bad_status = failed + 1, status end
  end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("ERRORS %%d\\n", e.connect + e.read + e.write + e.timeout))
  for i, thread in ipairs(threads) do
    local label = labels[thread:get("me")]
    for _, l in ipairs(thread:get("latencies")) do
      io.write(string.format("L %%d %%d\\n", label, l))
    end
    io.write(string.format("F %%d %%d %%d\\n", label, thread:get("failed"), thread:get("bad_status")))
  end
end
"""


def load_wrk(
    users: list[tuple[str, str, int]], seconds: float, think: float, warmup: float
) -> dict:
    """The same load driven by wrk (C, one thread per user), so that the load generator
    neither competes with the server for the GIL nor adds its own queueing to the
    latencies it measures. Latencies are measured in wrk's Lua script, from the moment a
    request is written to its response's last byte read, for the requests sent after
    `warmup` seconds of the same run: the measured requests go over the connections the
    warm-up opened, as a proxy's would. (A fresh connection that sends nothing yet holds a
    gthread worker's thread for up to 5 s in gunicorn 24 and later; 50 users connecting
    at once and thinking before their first request made the first second of a run
    measure that instead of the pages: bench/README.md §3.) Stats per label (`by_label`)."""
    script = WRK_SCRIPT % {
        "sessions": ", ".join(f'"{s}"' for s, _p, _l in users),
        "paths": ", ".join(f'"{p}"' for _s, p, _l in users),
        "labels": ", ".join(str(label) for _s, _p, label in users),
        "think": int(think * 1000),
        "warmup": int(warmup * 1000),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "wrk",
                "-t",
                str(len(users)),
                "-c",
                str(len(users)),
                "-d",
                f"{warmup + seconds:.0f}s",
                "--timeout",
                "30s",
                "-s",
                f.name,
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    samples: list[tuple[int, float, bool]] = []
    failures: dict[int, int] = {}
    statuses: set[int] = set()
    socket_errors = 0
    for line in out.splitlines():
        kind, *values = line.split() or [""]
        if kind == "L":
            samples.append((int(values[0]), int(float(values[1])) / 1e6, True))
        elif kind == "F":  # answers other than 200, per user
            failures[int(values[0])] = failures.get(int(values[0]), 0) + int(values[1])
            if int(values[1]):
                statuses.add(int(values[2]))
        elif kind == "ERRORS":  # connect, read, write and timeout errors of the run
            socket_errors += int(values[0])
    if statuses:
        print(f"answers other than 200: {sorted(statuses)}")
    result = by_label(samples, seconds)
    for key, r in result.items():
        r["errors"] = sum(failures.values()) + socket_errors if key < 0 else failures.get(key, 0)
    return result


def stand_in_for_autovacuum(*tables: str) -> bool:
    """VACUUM (ANALYZE) what autovacuum would have by now, when it is off on this server.

    This machine's PostgreSQL runs with `autovacuum = off` (a CI setting); production
    keeps the default, on. Without it the planner keeps the row counts of the day the
    database was seeded (the access log of the case page's student grows by about 1,000
    rows a run: "who has read my data" was planned for 13 rows against 18,000 and sorted
    them all), and the dead row versions of the log's chaining stay. Whole database when
    no table is named. Returns whether it ran."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return False
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
    return True


_STOP_REDIS: list = []


def shared_cache() -> dict[str, str]:
    """A Redis server of the benchmark's own (started on a free port, stopped at the end), as
    production shares one cache between workers; a file cache in a temporary directory when
    redis-server is not installed. Never a Redis the benchmark did not start."""
    started = own_redis()
    if started is None:
        return {
            "CACHE_BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "CACHE_LOCATION": temp_dir("ohbench-cache-"),
        }
    url, stop = started
    _STOP_REDIS.append(stop)
    return {"CACHE_BACKEND": "opiskeluhuolto.lib.rediscache.RedisCache", "CACHE_LOCATION": url}


def server_env(debug: bool) -> dict[str, str]:
    """The environment of the gunicorn process: production settings unless `debug`."""
    from django.conf import settings

    env = {
        **os.environ,
        "REQUIRE_STAFF_MFA": "false",  # the sessions made here have no second factor
        "LOG_LEVEL": "WARNING",
        # One cache shared by the workers, as production has (README "Configuration"), and
        # the sessions read from it.
        **shared_cache(),
        "SESSION_ENGINE": "django.contrib.sessions.backends.cached_db",
    }
    if debug:
        return {**env, "DEBUG": "true", "ALLOWED_HOSTS": "127.0.0.1"}
    env |= {
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # a fresh one, see main()
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": f"https://127.0.0.1:{PORT}",
        # The keys the database was seeded with: this process's (the development key
        # unless FIELD_ENCRYPTION_KEYS is set), or the records cannot be decrypted.
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        "STATIC_ROOT": temp_dir("ohbench-static-"),
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--threads",
        type=int,
        default=2,
        help="per gthread worker (gunicorn runs gthread for "
        "any --threads above 1; sync workers get 1)",
    )
    parser.add_argument("--worker-class", default="gthread")
    parser.add_argument(
        "--warmup", type=float, default=5, help="seconds of the same load, not measured, first"
    )
    parser.add_argument(
        "--debug", action="store_true", help="DEBUG on, as the runs before DEBUG was off"
    )
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="the load generator: wrk (Debian's package; the default when installed) or "
        "this script's own Python threads",
    )
    parser.add_argument(
        "--only", action="append", help="run the pages whose label contains this (repeatable)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every page and the mix")
    parser.add_argument(
        "--queries-only", action="store_true", help="print the query counts only, no load"
    )
    parser.add_argument(
        "--count-users", type=int, default=USERS, help="users whose query count is measured"
    )
    args = parser.parse_args()
    global PORT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        PORT = probe.getsockname()[1]
    setup()
    if not args.debug:
        from django.conf import settings

        # A fresh key for the server; the sessions made below are signed with it too.
        settings.SECRET_KEY = secrets.token_urlsafe(50)
    targets = [t for t in pages() if not args.only or any(o in t[0] for o in args.only)]
    sessions = {label: sessions_for(entries) for label, entries in targets}
    if stand_in_for_autovacuum():
        print("autovacuum is off on this server: VACUUM (ANALYZE) first, and of the log per page")
    print(f"machine: {machine()}")
    print(f"commit: {git_commit()}")
    env = server_env(args.debug)
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "opiskeluhuolto.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-k",
            args.worker_class,
            "-w",
            str(args.workers),
            "--threads",
            str(1 if args.worker_class == "sync" else args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            time.sleep(0.5)
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
                conn.request("GET", "/healthz", headers=PROXY_HEADERS)
                if conn.getresponse().status == 200:
                    break
            except OSError:
                continue
        else:
            raise SystemExit("the server did not start")
        print(
            f"server: gunicorn {args.worker_class} {args.workers} workers"
            f"{'' if args.worker_class == 'sync' else f' × {args.threads} threads'}, "
            f"DEBUG {'on' if args.debug else 'off'}; "
            f"{USERS} users, think time {args.think} s, {args.seconds:.0f} s per page, "
            f"load from {args.client}"
        )
        print(f"load average before: {loadavg()}")
        # The query count of each page for every user (in-process, Django's test client).
        for label, entries in targets:
            counts = [query_count(u, p) for u, p in entries[: args.count_users]]
            statuses = sorted({st for st, _n in counts})
            numbers = [n for _st, n in counts]
            print(
                f"queries {label}: {min(numbers)}–{max(numbers)} over {len(counts)} users "
                f"(status {statuses})"
            )
        if args.queries_only:
            return
        mix = [
            (
                sessions[targets[i % len(targets)][0]][i],
                targets[i % len(targets)][1][i][1],
                i % len(targets),
            )
            for i in range(USERS)
        ]
        rounds: dict[str, list[float]] = {}
        for round_ in range(args.repeat):
            print(
                f"round {round_ + 1}: {'page':<38} {'n':>6} {'p50 ms':>7} {'p95 ms':>7} "
                f"{'max ms':>7} {'req/s':>6} {'errors':>6}"
            )
            runs = [
                (label, [(s, p, 0) for s, (_u, p) in zip(sessions[label], entries, strict=True)])
                for label, entries in targets
            ]
            runs.append(("mixed: all pages at once", mix))
            for label, users in runs:
                stand_in_for_autovacuum("records_accesslogentry", "django_session")
                for s, p, _l in users[:: max(1, len(users) // 5)]:
                    warm_up(p, s, times=1)
                if args.client == "wrk":  # the warm-up is the start of the same run
                    r = load_wrk(users, args.seconds, args.think, args.warmup)
                else:
                    if args.warmup:
                        load(users, args.warmup, args.think)
                    r = load(users, args.seconds, args.think)
                parts = [(label, r[-1])]
                if label.startswith("mixed"):
                    parts += [(f"  in the mix: {targets[k][0]}", v) for k, v in r.items() if k >= 0]
                for name, v in parts:
                    rounds.setdefault(name, []).append(v["p95"])
                    print(
                        f"round {round_ + 1}: {name:<38} {v['n']:>6} {v['p50']:7.1f} "
                        f"{v['p95']:7.1f} {v['max']:7.1f} {v['rps']:6.1f} {v['errors']:>6}",
                        flush=True,
                    )
        print(f"load average after: {loadavg()}")
        for name, values in rounds.items():
            print(
                f"p95 {name:<48} min {min(values):7.1f}  median {statistics.median(values):7.1f} ms "
                f"over {len(values)} rounds"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        for stop in _STOP_REDIS:
            stop()
        for made in (env["CACHE_LOCATION"], env.get("STATIC_ROOT", "")):
            if os.path.basename(made).startswith("ohbench-"):
                shutil.rmtree(made, ignore_errors=True)


if __name__ == "__main__":
    main()
