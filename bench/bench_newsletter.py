"""A newsletter to 20,000 guardians: queueing in one transaction, then the worker's sending.

    .venv/bin/python bench/bench_newsletter.py --guardians 20000 --backend locmem

Uses a PostgreSQL database of its own (`--db`, default `oh_newsletter_bench`, on
`BENCH_POSTGRES`; created and migrated when missing) and builds there, once, a provider with one
campus of `--guardians` minor students, each with one guardian who has an e-mail address.
Then, `--repeat` times (the machine's noise hits both sides of each pair alike):

1. Queueing, as the web request does it: `announcements.actions.schedule` → `queue`, one
   transaction that finds the recipients (guardians of the campus's minors, not
   unsubscribed) and writes one delivery row each, and enqueues the send task.
   Floor: one `INSERT … SELECT` of the same rows in SQL (no ORM, no Python objects).
2. Sending, as the worker does it: `sending.send_pending` in batches of 500, each message
   claimed, sent and marked in its own short transaction (resumable, no duplicates).
   Floor: the same 20,000 messages rendered in Python and handed to the same backend in
   one `send_messages` call, with no database at all (the backend's raw rate).

The e-mail backend is Django's locmem (in memory) or file (one file per run, in a temp
directory); nothing leaves the machine. Prints both sides of each ratio from the same run
and the load average before and after.
"""

# ruff: noqa: S108, S608  (a scratch directory; SQL built from our own table names)
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date

from common import git_commit, machine, setup, use_database

# Enqueueing the send task writes a row; nothing runs it during the benchmark.
os.environ["TASKS_BACKEND"] = "django.tasks.backends.dummy.DummyBackend"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def build_world(n: int):
    """One provider, institution and campus; n minor students with a guardian each."""
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation.models import (
        Campus,
        Guardianship,
        Institution,
        Provider,
        RoleAssignment,
        Student,
    )

    provider = Provider.objects.filter(name="Uutiskirjeen kaupunki").first()
    if provider is not None:
        campus = Campus.objects.get(institution__provider=provider)
        if Guardianship.objects.filter(student__campus=campus).count() == n:
            return provider, campus, User.objects.get(username="bench-rehtori")
        raise SystemExit("The benchmark database holds another size: drop it or pass the same n")
    provider = Provider.objects.create(name="Uutiskirjeen kaupunki")
    inst = Institution.objects.create(
        provider=provider, name="Uutiskirjeen lukio", slug="uutiskirje", level="upper_secondary"
    )
    campus = Campus.objects.create(institution=inst, name="Keskusta")
    writer = User.objects.create(username="bench-rehtori", first_name="Riitta", last_name="R")
    RoleAssignment.objects.create(
        user=writer, role="principal", provider=provider, institution=inst,
        valid_from=date(2020, 1, 1),
    )  # fmt: skip
    today = date.today()
    born = today.replace(year=today.year - 16)
    guardians = User.objects.bulk_create(
        [
            User(
                username=f"bench-huoltaja-{i}",
                first_name="Huoltaja",
                last_name=f"{i}",
                email=f"huoltaja.{i}@bench.invalid",
                password="!",  # noqa: S106  (an unusable password)
            )
            for i in range(n)
        ],
        batch_size=5000,
    )
    students = Student.objects.bulk_create(
        [
            Student(
                institution=inst, campus=campus, first_name="Opiskelija", last_name=f"{i}",
                date_of_birth=born,
            )
            for i in range(n)
        ],
        batch_size=5000,
    )  # fmt: skip
    Guardianship.objects.bulk_create(
        [Guardianship(guardian=g, student=s) for g, s in zip(guardians, students, strict=True)],
        batch_size=5000,
    )
    return provider, campus, writer


def backend(kind: str, directory: str):
    if kind == "locmem":
        from django.core.mail.backends.locmem import EmailBackend

        return EmailBackend()
    from django.core.mail.backends.filebased import EmailBackend as FileBackend

    return FileBackend(file_path=directory)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guardians", type=int, default=20000)
    parser.add_argument("--backend", choices=["locmem", "file"], default="locmem")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--db", default="oh_newsletter_bench", help="a database of its own")
    args = parser.parse_args()
    use_database(args.db)
    setup()
    ensure_database(os.environ["DATABASE_URL"])
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection, transaction

    from opiskeluhuolto.announcements import actions, sending
    from opiskeluhuolto.announcements.models import Announcement, Delivery

    call_command("migrate", verbosity=0)
    load_before = os.getloadavg()
    started = time.perf_counter()
    provider, campus, writer = build_world(args.guardians)
    print(f"World ready in {time.perf_counter() - started:.1f} s", flush=True)

    def newsletter() -> Announcement:
        return actions.save_draft(
            Announcement(
                provider=provider,
                kind="newsletter",
                audience="guardians",
                institution=campus.institution,
                campus=campus,
                title_fi="Joulun uutiskirje",
                body_fi="Kampuksen joulujuhla on perjantaina.\n\n" + "Hyvää joulua! " * 40,
                title_sv="Julens nyhetsbrev",
                body_sv="Campusets julfest är på fredag.",
            ),
            by=writer,
        )

    table = Delivery._meta.db_table
    queue_ours, queue_floor, send_ours, send_floor = [], [], [], []
    for run in range(args.repeat):
        # 1a. Queueing through the action (one transaction, as in the web request).
        a = newsletter()
        t = time.perf_counter()
        actions.schedule(a, by=writer, confirmed=True)
        queue_ours.append(time.perf_counter() - t)
        queued = Delivery.objects.filter(announcement=a).count()
        assert queued == args.guardians, queued
        # 1b. Floor: the same rows with one INSERT … SELECT.
        b = newsletter()
        t = time.perf_counter()
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                f"""INSERT INTO {table} (announcement_id, user_id, language, email,
                        email_status, attempts, last_error, created_at)
                    SELECT %s, g.guardian_id, 'fi', u.email, 'pending', 0, '', now()
                    FROM organisation_guardianship g
                    JOIN organisation_student s ON s.id = g.student_id
                    JOIN accounts_user u ON u.id = g.guardian_id
                    WHERE s.campus_id = %s AND s.date_of_birth > %s AND u.is_active""",
                [b.pk, campus.pk, date.today().replace(year=date.today().year - 18)],
            )
        queue_floor.append(time.perf_counter() - t)
        assert Delivery.objects.filter(announcement=b).count() == args.guardians

        with tempfile.TemporaryDirectory(prefix="oh-newsletter-") as tmp:
            # 2a. The worker: batches, one short transaction per message.
            conn = backend(args.backend, tmp)
            mail.outbox = []
            t = time.perf_counter()
            sent = sending.send_pending(a.pk, connection=conn)
            send_ours.append(time.perf_counter() - t)
            assert sent == args.guardians, sent
            a.refresh_from_db()
            assert a.status == "sent"
            # A second run (a resumed send) sends nothing again.
            assert sending.send_pending(a.pk, connection=conn) == 0
            # 2b. Floor: the same messages, built in Python, one send_messages call.
            rows = list(Delivery.objects.filter(announcement=b).order_by("pk"))
            conn = backend(args.backend, tmp)
            mail.outbox = []
            t = time.perf_counter()
            messages = []
            for d in rows:
                subject, body = sending.render(b, d)
                messages.append(
                    mail.EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [d.email])
                )
            conn.open()
            conn.send_messages(messages)
            conn.close()
            send_floor.append(time.perf_counter() - t)
        print(
            f"run {run + 1}: queue {queue_ours[-1]:.2f} s (floor {queue_floor[-1]:.2f} s), "
            f"send {send_ours[-1]:.1f} s (floor {send_floor[-1]:.1f} s)",
            flush=True,
        )
        Delivery.objects.filter(announcement__in=[a, b]).delete()
        Announcement.objects.filter(pk__in=[a.pk, b.pk]).delete()
    load_after = os.getloadavg()

    n = args.guardians
    q, qf = statistics.median(queue_ours), statistics.median(queue_floor)
    s, sf = statistics.median(send_ours), statistics.median(send_floor)
    print()
    print(f"Machine: {machine()}")
    print(f"Commit {git_commit()}, {n} guardians, backend {args.backend}, {args.repeat} runs")
    print(f"Load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min)")
    print(f"Queueing (one transaction): {q:.2f} s, floor INSERT…SELECT {qf:.2f} s, {q / qf:.1f}×")
    print(
        f"Worker sending: {s:.1f} s = {n / s:,.0f} messages/s; floor (build + one "
        f"send_messages, no DB) {sf:.1f} s = {n / sf:,.0f} messages/s; {s / sf:.1f}×"
    )


if __name__ == "__main__":
    main()
