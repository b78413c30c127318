"""Announcements: audience, languages, the personal-data check, queueing, resumable sending."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.announcements import actions, audience, sending
from opiskeluhuolto.announcements.models import Announcement, Delivery, Unsubscription
from opiskeluhuolto.organisation.models import Guardianship

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(cast, django_capture_on_commit_callbacks):
    """Schedule as the principal; the worker, handed the send after the commit, runs it."""

    def run(a, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.schedule(a, by=cast.rehtori, **kwargs)

    return run


def _draft(cast, by=None, **fields) -> Announcement:
    a = Announcement(
        provider=cast.provider,
        kind=fields.pop("kind", Announcement.Kind.NEWSLETTER),
        audience=fields.pop("audience", Announcement.Audience.GUARDIANS),
        title_fi=fields.pop("title_fi", "Syksyn uutiskirje"),
        body_fi=fields.pop("body_fi", "Tervetuloa kotiväenillaan."),
        **fields,
    )
    return actions.save_draft(a, by=by or cast.rehtori)


def test_guardians_of_minors_of_one_campus(cast):
    a = _draft(cast, campus=cast.lukio_campus)
    assert a.institution_id == cast.lukio.pk  # filled from the campus
    got = set(audience.recipients(a, cast.today))
    assert got == {cast.guardian, cast.guardian_onni}
    other = _draft(cast, by=cast.admin, campus=cast.amis_campus)
    # Eero is an adult: his guardians (none here) would not get it either.
    assert not audience.recipients(other, cast.today).exists()


def test_guardian_of_an_adult_gets_nothing(cast):
    Guardianship.objects.create(student=cast.eero, guardian=cast.guardian_onni)
    a = _draft(cast, by=cast.admin, institution=cast.amis)
    assert not audience.recipients(a, cast.today).exists()


def test_students_staff_and_group_audiences(cast):
    students = _draft(cast, audience="students", student_group=cast.group)
    assert set(audience.recipients(students, cast.today)) == {cast.student}
    staff = _draft(cast, audience="staff", campus=cast.lukio_campus, kind="announcement")
    staff_users = set(audience.recipients(staff, cast.today))
    assert cast.nurse in staff_users and cast.kuraattori in staff_users
    assert cast.kuraattori_out not in staff_users  # posted to the amis campus


def test_a_campus_of_another_institution_is_refused(cast):
    with pytest.raises(ValidationError) as e:
        _draft(cast, institution=cast.amis, campus=cast.lukio_campus)
    assert "campus" in e.value.message_dict


def test_translation_needs_title_and_text(cast):
    with pytest.raises(ValidationError) as e:
        _draft(cast, title_sv="Nyhetsbrev")
    assert "body_sv" in e.value.message_dict


def test_each_reader_gets_their_language_with_finnish_fallback(cast, send):
    actions.set_language(cast.guardian, "sv")
    actions.set_language(cast.guardian_onni, "en")
    a = _draft(cast, campus=cast.lukio_campus, title_sv="Höstens nyhetsbrev", body_sv="Välkommen.")
    send(a)
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[cast.guardian.email] == "Höstens nyhetsbrev"
    assert subjects[cast.guardian_onni.email] == "Syksyn uutiskirje"  # no English: Finnish


def test_personal_data_warning_stops_the_send_until_confirmed(cast, send):
    a = _draft(cast, campus=cast.lukio_campus, body_fi="Aino Opiskelija voitti kilpailun.")
    with pytest.raises(ValidationError) as e:
        send(a)
    assert "Aino Opiskelija" in str(e.value.message_dict["confirmed"])
    assert not Delivery.objects.exists()
    send(a, confirmed=True)
    assert Delivery.objects.count() == 2


def test_newsletter_has_an_unsubscribe_link_and_announcement_not(cast, send):
    a = _draft(cast, campus=cast.lukio_campus)
    send(a)
    assert all("/announcements/unsubscribe/" in m.body for m in mail.outbox)
    mail.outbox.clear()
    b = _draft(cast, campus=cast.lukio_campus, kind="announcement")
    send(b)
    assert mail.outbox and not any("unsubscribe" in m.body for m in mail.outbox)


def test_unsubscribed_guardian_gets_no_newsletter_but_announcements(cast, client):
    token = sending.unsubscribe_token(cast.guardian.pk, cast.provider.pk)
    response = client.post(reverse("announcements:unsubscribe", args=[token]))
    assert response.status_code == 200
    assert Unsubscription.objects.filter(user=cast.guardian).exists()
    news = _draft(cast, campus=cast.lukio_campus)
    assert cast.guardian not in set(audience.recipients(news, cast.today))
    law = _draft(cast, campus=cast.lukio_campus, kind="announcement")
    assert cast.guardian in set(audience.recipients(law, cast.today))
    assert client.get(reverse("announcements:unsubscribe", args=["forged"])).status_code == 404


def test_scheduled_send_waits_for_its_time(cast, send):
    a = _draft(cast, campus=cast.lukio_campus)
    later = timezone.now() + timedelta(hours=2)
    send(a, send_at=later)
    assert not Delivery.objects.exists()
    assert actions.queue_due(now=later - timedelta(minutes=1)) == 0
    assert actions.queue_due(now=later + timedelta(minutes=1)) == 1
    a.refresh_from_db()
    assert a.status == Announcement.Status.SENT
    assert len(mail.outbox) == 2


class Crash(BaseException):
    """A worker dying midway (not an ordinary send error, which is recorded)."""


def test_send_that_dies_midway_resumes_without_duplicates(cast, send, settings):
    from opiskeluhuolto.accounts.models import User

    for i in range(7):
        g = User.objects.create(username=f"g{i}", email=f"g{i}@test.invalid")
        Guardianship.objects.create(student=cast.aino, guardian=g)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    a = _draft(cast, campus=cast.lukio_campus)
    send(a)
    assert Delivery.objects.filter(announcement=a).count() == 9

    class Dying(mail.mailers.default.__class__):
        calls = 0

        def send_messages(self, messages):
            Dying.calls += 1
            if Dying.calls == 4:
                raise Crash
            return super().send_messages(messages)

    with pytest.raises(Crash):
        sending.send_pending(a.pk, batch=2, connection=Dying())
    assert len(mail.outbox) == 3
    assert actions.queue(a) == 0  # queueing again adds nobody
    sending.send_pending(a.pk, batch=2)
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 9
    a.refresh_from_db()
    assert a.status == Announcement.Status.SENT


def test_failures_are_recorded_and_retried(cast, send, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    a = _draft(cast, campus=cast.lukio_campus)
    send(a)

    class Refusing(mail.mailers.default.__class__):
        def send_messages(self, messages):
            if messages[0].to[0] == cast.guardian.email:
                raise OSError("550 mailbox unavailable")
            return super().send_messages(messages)

    assert sending.send_pending(a.pk, connection=Refusing()) == 1
    failed = Delivery.objects.get(announcement=a, user=cast.guardian)
    assert failed.email_status == "failed" and "550" in failed.last_error
    a.refresh_from_db()
    assert a.status == Announcement.Status.SENDING  # a retry is still due
    assert failed.next_attempt_at > timezone.now()
    assert sending.send_pending(a.pk) == 0  # not before its delay (backoff)
    Delivery.objects.filter(pk=failed.pk).update(next_attempt_at=timezone.now())
    assert sending.send_pending(a.pk) == 1
    failed.refresh_from_db()
    assert failed.email_status == "sent" and failed.attempts == 2
    a.refresh_from_db()
    assert a.status == Announcement.Status.SENT


def test_read_and_unread_on_the_home_page(cast, send, client):
    a = _draft(cast, campus=cast.lukio_campus)
    send(a)
    client.force_login(cast.guardian)
    home = client.get("/")
    assert "Syksyn uutiskirje" in home.content.decode()
    assert client.get(reverse("announcements:read", args=[a.pk])).status_code == 200
    assert Delivery.objects.get(announcement=a, user=cast.guardian).read_at is not None
    client.force_login(cast.adult)
    assert client.get(reverse("announcements:read", args=[a.pk])).status_code == 404


def test_public_ones_in_the_public_archive(cast, send, client):
    a = _draft(cast, institution=cast.lukio, is_public=True)
    hidden = _draft(cast, institution=cast.lukio, title_fi="Sisäinen tiedote")
    send(a)
    send(hidden)
    page = client.get(reverse("announcements:archive", args=[cast.lukio.pk])).content.decode()
    assert "Syksyn uutiskirje" in page and "Sisäinen tiedote" not in page


def test_writer_sends_from_the_pages(cast, client, django_capture_on_commit_callbacks):
    client.force_login(cast.rehtori)
    response = client.post(
        reverse("announcements:new"),
        {
            "kind": "newsletter",
            "audience": "guardians",
            "campuses": [cast.lukio_campus.pk],
            "title_fi": "Infokirje",
            "body_fi": "Hyvinvointi virtaa -viikko alkaa.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    a = Announcement.objects.get(title_fi="Infokirje")
    page = client.get(reverse("announcements:send", args=[a.pk])).content.decode()
    assert "2" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("announcements:send", args=[a.pk]), {})
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["warnings"],
    )
    assert len(mail.outbox) == 2
    client.force_login(cast.teacher)
    assert client.get(reverse("announcements:send", args=[a.pk])).status_code == 404


def test_the_page_leaves_the_queueing_to_the_worker(
    cast, client, django_capture_on_commit_callbacks
):
    """Sending from the page makes no deliveries in the request: the worker's task queues
    them (one transaction) after the commit, then sends."""
    a = _draft(cast, institution=cast.lukio)
    client.force_login(cast.rehtori)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("announcements:send", args=[a.pk]), {"confirmed": "on"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == Announcement.Status.SCHEDULED
    assert not Delivery.objects.filter(announcement=a).exists()
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    a.refresh_from_db()
    assert a.status == Announcement.Status.SENT
    assert Delivery.objects.filter(announcement=a).count() == len(mail.outbox) > 0
