"""Register reads per second with 1 and with 4 providers (issue 21, part 4).

    .venv/bin/python bench/bench_access_log.py --seconds 10 --repeat 3

Every read of a welfare record appends a hash-chained row to the access log; the chain
is continued under an advisory lock while the reader's transaction commits (records
migrations 0003, 0008). The chains are per student (issue 21; per provider before), so
readers about different students, of one provider or of four, should not queue behind
one lock. The script uses a database of its own (`--db`,
default `oh_accesslog_bench` on `BENCH_POSTGRES`; created and migrated when missing),
builds there once 4 providers with 4 open cases each (a record with one entry), and
then runs `--workers` processes (default 4), each reading its own case in a loop with
`read_record` (one transaction, one logged read, committed) for `--seconds`:

- **1 provider**: the workers read 4 cases of the same provider (one chain);
- **4 providers**: worker i reads a case of provider i (four chains);
- **1 student**: every worker reads the same case (one chain, one lock: what "1
  provider" was while the chains were per provider).

The two are alternated `--repeat` times; reads per second are printed for each run,
then min and median side by side, with the load average (`uptime`) before and after.
`--mode appends` (in `both`, the default, after the reads) times the log row of a read
alone, one per transaction: the chain's lock and the commit without the read's own work,
which on a busy machine hides the lock behind the CPU.
`verify_access_log` runs at the end over the whole log.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import time
from types import SimpleNamespace

from common import git_commit, machine, setup, use_database

PROVIDERS = 4
CASES_PER_PROVIDER = 4
NAME = "bench_access_log provider"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def _provider(i: int, today):
    """Provider i with one institution, a teacher, a kuraattori and 4 open cases."""
    from datetime import date

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.cases.tests.story import meeting, open_aino_case
    from opiskeluhuolto.organisation import actions
    from opiskeluhuolto.organisation.models import Institution, Provider, Role

    provider = Provider.objects.create(name=f"{NAME} {i}")
    inst = Institution.objects.create(
        provider=provider,
        name=f"Penkkilukio {i}",
        slug=f"bench-log-{i}",
        level=Institution.Level.UPPER_SECONDARY,
        municipality="Helsinki",
    )
    users = {}
    for key, role in (("teacher", Role.TEACHER), ("kuraattori", Role.SOCIAL_WORKER)):
        users[key] = User.objects.create_user(
            username=f"bench-log-{key}-{i}", first_name="Penkki", last_name=key.title()
        )
        actions.assign_role(
            users[key],
            role=role,
            provider=provider,
            institution=inst,
            valid_from=date(today.year - 1, 1, 1),
        )
    cases = []
    for n in range(CASES_PER_PROVIDER):
        student = actions.enrol_student(
            institution=inst,
            first_name="Opiskelija",
            last_name=f"P{i}N{n}",
            date_of_birth=date(2008, 1, 1),
        )
        world = SimpleNamespace(aino=student, today=today, **users)
        case = open_aino_case(world, members=[users["kuraattori"]])
        meeting(case, users["kuraattori"])
        cases.append(case.pk)
    return users["kuraattori"].pk, cases


def build_world() -> list[tuple[int, list[int]]]:
    """[(kuraattori id, [case ids])] per provider; built once, found again later."""
    from django.utils import timezone

    from opiskeluhuolto.cases.models import Case
    from opiskeluhuolto.organisation.models import Provider

    found = []
    for i in range(PROVIDERS):
        provider = Provider.objects.filter(name=f"{NAME} {i}").first()
        if provider is None:
            found.append(_provider(i, timezone.localdate()))
            continue
        cases = list(
            Case.objects.filter(institution__provider=provider)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        from opiskeluhuolto.accounts.models import User

        reader = User.objects.get(username=f"bench-log-kuraattori-{i}")
        found.append((reader.pk, cases))
    return found


def _reader(mode: str, user_id: int, case_id: int, seconds: float, start_at: float, out) -> None:
    """One worker process: read one case (or only append its log row) until the time is
    up; put the count."""
    from django.db import connections, transaction

    connections.close_all()  # never share the parent's connection
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.cases.models import Case
    from opiskeluhuolto.records import log
    from opiskeluhuolto.records.reading import read_record

    user, case = User.objects.get(pk=user_id), Case.objects.get(pk=case_id)
    row = log.row_for(user, action="read", basis="membership", purpose="bench", record=case.record)

    def once() -> None:
        if mode == "reads":
            read_record(user, case, purpose="bench")
        else:  # the log row of a read alone, chained at its commit
            with transaction.atomic():
                log.write([dict(row)])

    once()  # warm
    while time.time() < start_at:
        time.sleep(0.001)
    n, end = 0, start_at + seconds
    while time.time() < end:
        once()
        n += 1
    out.put(n)
    connections.close_all()


def run(mode: str, assignments: list[tuple[int, int]], seconds: float) -> float:
    """Reads per second of all workers together."""
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 1.5
    procs = [
        ctx.Process(target=_reader, args=(mode, u, c, seconds, start_at, out))
        for u, c in assignments
    ]
    for p in procs:
        p.start()
    total = sum(out.get(timeout=seconds + 120) for _ in procs)
    for p in procs:
        p.join()
    return total / seconds


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()  # noqa: S607


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--mode",
        choices=["reads", "appends", "both"],
        default="both",
        help="whole register reads, the log append alone (lock + commit), or both",
    )
    parser.add_argument("--db", default="oh_accesslog_bench", help="a database of its own")
    args = parser.parse_args()
    use_database(args.db)
    setup()
    ensure_database(os.environ["DATABASE_URL"])
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"machine: {machine()}")
    print(f"commit: {git_commit()}")
    with connection.cursor() as c:
        c.execute("SHOW synchronous_commit")
        print(f"synchronous_commit: {c.fetchone()[0]}")
    world = build_world()
    w = args.workers
    one = [(world[0][0], world[0][1][i % CASES_PER_PROVIDER]) for i in range(w)]
    four = [(world[i % PROVIDERS][0], world[i % PROVIDERS][1][0]) for i in range(w)]
    same = [(world[0][0], world[0][1][0]) for _ in range(w)]
    modes = ["reads", "appends"] if args.mode == "both" else [args.mode]
    for mode in modes:
        unit = "reads/s" if mode == "reads" else "log appends/s"
        print(f"--- {mode}: {unit}; uptime before: {uptime()}")
        results: dict[str, list[float]] = {"1 provider": [], "4 providers": [], "1 student": []}
        for r in range(args.repeat):
            order = [("1 provider", one), ("4 providers", four), ("1 student", same)]
            if r % 2:
                order.reverse()  # alternate which goes first
            for label, assignment in order:
                rate = run(mode, assignment, args.seconds)
                results[label].append(rate)
                print(f"run {r + 1}: {label:<12} {rate:8.1f} {unit}  ({w} workers)", flush=True)
        print(f"uptime after: {uptime()}")
        print(f"{'':<12} {'min':>10} {'median':>10}   {unit}, {w} workers, {args.seconds:g} s each")
        for label, rates in results.items():
            print(f"{label:<12} {min(rates):10.1f} {statistics.median(rates):10.1f}")
        ratio = statistics.median(results["4 providers"]) / statistics.median(results["1 provider"])
        print(f"4 providers / 1 provider (medians): {ratio:.2f}")
        ratio = statistics.median(results["1 provider"]) / statistics.median(results["1 student"])
        print(f"1 provider / 1 student (medians): {ratio:.2f}")
    call_command("verify_access_log")


if __name__ == "__main__":
    main()
