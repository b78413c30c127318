"""The messages of a request hold the professional's replies: a student or guardian reads
them only in a strongly identified session (LAW.md L-306-4), while asking for help, writing
and seeing the request's state and time stay open in a weak one (L-18-2)."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from opiskeluhuolto.access.identification import SESSION_KEY
from opiskeluhuolto.appointments import actions, conversation
from opiskeluhuolto.appointments.models import AppointmentRequest
from opiskeluhuolto.appointments.slots import free_slots
from opiskeluhuolto.organisation.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hours")]

QUESTION = "Voisimmeko tavata Teamsissa?"
REPLY = "Sopii, lähetän linkin tiistaina."
STEP_UP = reverse("identification:strong")
DAYS = timedelta(days=14)


def _client(user, *, strong: bool = False) -> Client:
    client = Client()
    client.force_login(user)
    if strong:
        session = client.session
        session[SESSION_KEY] = {
            "provider": "suomifi",
            "acr": "http://ftn.ficora.fi/2017/loa3",
            "at": 0,
            "user": user.pk,
        }
        session.save()
    return client


@pytest.fixture
def answered(cast):
    """Aino asked for a time with a question; Kaisa replied and gave her a time."""
    req = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.STUDENT,
        channel=AppointmentRequest.Channel.ONLINE,
        actor=cast.student,
    )
    conversation.post_message(req, author=cast.student, body=QUESTION, from_staff=False)
    conversation.post_message(req, author=cast.kuraattori, body=REPLY, from_staff=True)
    today = timezone.localdate()
    free = free_slots(
        cast.kuraattori.pk, cast.lukio.pk, cast.lukio.school_calendar(), today, today + DAYS
    )
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=free[0].starts_at,
        actor=cast.kuraattori,
        request=req,
    )
    req.refresh_from_db()
    return req


@override_settings(REQUIRE_STRONG_ID=True)
def test_a_weak_session_is_sent_to_the_step_up_for_the_thread(cast, answered):
    url = reverse("appointments:request_messages", args=[answered.pk])
    weak = _client(cast.student)
    page = weak.get(url)
    assert page.status_code == 302 and page["Location"].startswith(STEP_UP)
    assert REPLY not in page.content.decode()
    # Posting to the thread's page does not show it either, nor does it save anything:
    # writing in a weak session has its own page.
    posted = weak.post(url, {"body": "Vastaatko?"})
    assert posted.status_code == 302 and posted["Location"].startswith(STEP_UP)
    assert answered.messages.count() == 2
    strong = _client(cast.student, strong=True).get(url)
    assert strong.status_code == 200 and REPLY in strong.content.decode()


@override_settings(REQUIRE_STRONG_ID=True)
def test_the_staff_answer_without_the_students_strong_identification(cast, answered):
    r = _client(cast.kuraattori).post(
        reverse("appointments:request_messages", args=[answered.pk]), {"body": "Tiistaina klo 9?"}
    )
    assert r.status_code == 302
    assert r["Location"] == reverse("appointments:request_detail", args=[answered.pk])
    assert answered.messages.count() == 3


@override_settings(REQUIRE_STRONG_ID=True, LANGUAGE_CODE="fi")
def test_a_weak_session_writes_and_sees_the_state_but_not_the_replies(cast, answered):
    weak = _client(cast.student)
    url = reverse("appointments:request_write", args=[answered.pk])
    page = weak.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    with translation.override("fi"):
        assert str(answered.get_status_display()) in body
    booking = answered.bookings.get()
    assert timezone.localtime(booking.starts_at).strftime("%H.%M") in body  # the time given
    assert REPLY not in body and QUESTION not in body
    assert "Vastausten lukeminen vaatii vahvan tunnistautumisen" in body
    assert reverse("appointments:request_messages", args=[answered.pk]) in body

    sent = weak.post(url, {"body": "Käykö myös keskiviikko?"}, follow=True)
    text = sent.content.decode()
    assert sent.redirect_chain[-1][0] == url
    assert "Viesti lähetettiin. Vastausten lukeminen vaatii vahvan tunnistautumisen." in text
    assert REPLY not in text
    last = answered.messages.order_by("-pk").first()
    assert last.body == "Käykö myös keskiviikko?" and not last.from_staff


@override_settings(REQUIRE_STRONG_ID=True)
def test_a_strong_session_goes_back_to_the_thread_after_writing(cast, answered):
    strong = _client(cast.student, strong=True)
    r = strong.post(reverse("appointments:request_write", args=[answered.pk]), {"body": "Kiitos!"})
    assert r["Location"] == reverse("appointments:request_messages", args=[answered.pk])


@override_settings(REQUIRE_STRONG_ID=True)
def test_the_list_links_a_weak_session_to_writing_and_a_strong_one_to_the_thread(cast, answered):
    index = reverse("appointments:index")
    write = reverse("appointments:request_write", args=[answered.pk])
    thread = reverse("appointments:request_messages", args=[answered.pk])
    weak = _client(cast.student).get(index).content.decode()
    assert f'href="{write}"' in weak and f'href="{thread}"' not in weak
    strong = _client(cast.student, strong=True).get(index).content.decode()
    assert f'href="{thread}"' in strong


@override_settings(REQUIRE_STRONG_ID=True, LANGUAGE_CODE="fi")
def test_a_new_request_in_a_weak_session_says_the_replies_need_strong_identification(cast):
    r = _client(cast.student).post(
        reverse("appointments:request_new"),
        {"service": Role.SOCIAL_WORKER, "topic": "studies", "message": QUESTION},
        follow=True,
    )
    text = r.content.decode()
    assert "Pyyntösi lähetettiin." in text
    assert "Vastausten lukeminen vaatii vahvan tunnistautumisen." in text
    assert AppointmentRequest.objects.filter(student=cast.aino).exists()


def test_the_guardian_who_asked_reads_only_when_strongly_identified(cast):
    with override_settings(REQUIRE_STRONG_ID=True):
        req = actions.create_request(
            cast.aino,
            service=Role.SOCIAL_WORKER,
            requested_by=AppointmentRequest.RequestedBy.GUARDIAN,
            channel=AppointmentRequest.Channel.ONLINE,
            actor=cast.guardian,
        )
        conversation.post_message(req, author=cast.kuraattori, body=REPLY, from_staff=True)
        thread = reverse("appointments:request_messages", args=[req.pk])
        weak = _client(cast.guardian).get(thread)
        assert weak.status_code == 302 and weak["Location"].startswith(STEP_UP)
        write = _client(cast.guardian).get(reverse("appointments:request_write", args=[req.pk]))
        assert write.status_code == 200 and REPLY not in write.content.decode()
        assert _client(cast.guardian, strong=True).get(thread).status_code == 200


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("fi", "Vastausten lukeminen vaatii vahvan tunnistautumisen."),
        ("sv", "För att läsa svaren krävs stark autentisering."),
        ("en", "Reading the replies needs strong identification."),
    ],
)
def test_the_sent_notice_is_translated(lang, words):
    with translation.override(lang):
        assert translation.gettext(
            "The message was sent. Reading the replies needs strong identification."
        ).endswith(words)


@override_settings(REQUIRE_STRONG_ID=True)
def test_the_request_api_gives_the_state_in_a_weak_session_and_never_the_messages(cast, answered):
    """The API has no thread to gate: it answers the state and deadline only (open)."""
    r = _client(cast.student).get(
        reverse("api:appointments-request", kwargs={"request_id": answered.pk})
    )
    assert r.status_code == 200 and r.json()["status"] == answered.status
    assert REPLY not in r.content.decode() and QUESTION not in r.content.decode()
