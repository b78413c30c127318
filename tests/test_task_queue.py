"""The real task queue: a reminder goes through the database queue (django-tasks-db) and
the worker that production runs (`manage.py db_worker`) sends it.

The other tests run tasks at once (ImmediateBackend, conftest.py); this one shows that
what the actions enqueue survives the trip through the database to another process.
"""

import email
import email.policy
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opiskeluhuolto.appointments.models import Booking
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.testing.second_process import manage, shared_database

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reminder_goes_through_the_queue_and_the_worker_sends_it(cast, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=3)
    Booking.objects.create(
        professional=cast.kuraattori,
        student=cast.aino,
        institution=cast.lukio,
        service=Role.SOCIAL_WORKER,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=45),
        place="Huone 101",
        booked_by=cast.kuraattori,
    )
    call_command("send_appointment_reminders", stdout=io.StringIO())
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY" and queued.task_path.endswith("send_booking_email")

    mail = tmp_path / "mail"
    with shared_database(tmp_path) as env:
        manage(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            env={
                **env,
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail),
            },
        )
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    [sent] = mail.iterdir()
    raw = sent.read_bytes().split(b"\n" + b"-" * 79)[0]  # the file backend's separator
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == "aino@test.invalid"
    assert message["Subject"] == "Muistutus: sinulla on varattu aika"
    body = message.get_body(("plain",)).get_content()
    assert timezone.localtime(starts).strftime("%d.%m.%Y") in body
