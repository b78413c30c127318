"""The pages: a student books in three taps, a guardian asks, a professional answers (Finnish UI)."""

from datetime import date

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import AppointmentRequest, Booking, CalendarFeed
from opiskeluhuolto.front import registry
from opiskeluhuolto.organisation.models import Role

from .conftest import at

pytestmark = pytest.mark.django_db
TUE = date(2026, 11, 10)


def test_student_books_from_the_home_page_in_three_taps(hours, client):
    cast = hours
    client.force_login(cast.student)
    home = client.get(reverse("front:home")).content.decode()
    assert "Varaa aika" in home
    book_url = reverse("appointments:book")
    assert book_url in home  # tap 1: a free time on the home page
    confirm = client.get(book_url, {"p": cast.kuraattori.pk, "t": at(TUE, 9).isoformat()})
    assert confirm.status_code == 200
    assert "Kaisa Kuraattori" in confirm.content.decode()  # tap 2: the confirm page
    done = client.post(book_url, {"p": cast.kuraattori.pk, "t": at(TUE, 9).isoformat()})
    assert done.status_code == 302  # tap 3: booked
    booking = Booking.objects.get()
    assert booking.student == cast.aino and booking.booked_by == cast.student
    page = client.get(reverse("appointments:index")).content.decode()
    assert "ti 10.11.2026 09.00" in page.lower()


def test_a_taken_time_gets_a_clear_message(hours, client):
    cast = hours
    actions.book(
        student=cast.onni,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.kuraattori,
        service=Role.SOCIAL_WORKER,
    )
    client.force_login(cast.student)
    response = client.post(
        reverse("appointments:book"), {"p": cast.kuraattori.pk, "t": at(TUE, 9).isoformat()}
    )
    assert response.status_code == 400
    assert "Tämä aika on jo varattu" in response.content.decode()


def test_guardian_asks_for_a_time_and_sees_only_their_own(hours, client):
    cast = hours
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    client.force_login(cast.guardian)
    response = client.post(
        reverse("appointments:request_new"),
        {"student": cast.aino.pk, "service": Role.PSYCHOLOGIST},
    )
    assert response.status_code == 302
    req = AppointmentRequest.objects.get(requested_by="guardian")
    assert req.requested_by_user == cast.guardian and req.deadline == date(2026, 11, 18)
    page = client.get(reverse("appointments:index")).content.decode()
    assert "psykologi" in page and "18.11.2026" in page
    assert "Kaisa Kuraattori" not in page, "the minor's own booking is hers"
    actions.book(
        student=cast.aino,
        professional=cast.psykologi,
        starts_at=at(TUE, 12),
        actor=cast.psykologi,
        request=req,
    )
    page = client.get(reverse("appointments:index")).content.decode()
    assert "Pekka Psykologi" in page, "the time given for the guardian's own request"


def test_guardian_cannot_ask_for_another_child(hours, client):
    client.force_login(hours.guardian)
    response = client.post(
        reverse("appointments:request_new"), {"student": hours.onni.pk, "service": Role.NURSE}
    )
    assert response.status_code == 200  # the choice is refused next to the field
    assert not AppointmentRequest.objects.exists()


def test_professional_sees_requests_by_deadline_with_overdue_flagged(hours, client, time_machine):
    cast = hours
    late = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.STUDENT,
        channel=AppointmentRequest.Channel.ONLINE,
        actor=cast.student,
        requested_at=at(date(2026, 10, 26), 9),
    )
    fresh = actions.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.STAFF,
        channel=AppointmentRequest.Channel.IN_PERSON,
        actor=cast.kuraattori,
    )
    client.force_login(cast.kuraattori)
    html = client.get(reverse("appointments:work")).content.decode()
    assert html.index(link(late)) < html.index(link(fresh))
    assert "myöhässä 3 työpäivää" in html and "badge--danger" in html
    assert "18.11.2026" in html and "7 työpäivän päästä" in html
    client.force_login(cast.psykologi)
    assert link(late) not in client.get(reverse("appointments:work")).content.decode()


def link(req) -> str:
    """How the professional's list links a request: by the student's name, not a number."""
    return f'href="{reverse("appointments:request_detail", args=[req.pk])}"'


def test_open_requests_are_paginated_by_deadline(hours, client, monkeypatch):
    from opiskeluhuolto.appointments import staff_views

    monkeypatch.setattr(staff_views, "REQUESTS_PER_PAGE", 2)
    cast = hours
    made = [
        actions.create_request(
            student,
            service=Role.SOCIAL_WORKER,
            requested_by=AppointmentRequest.RequestedBy.STUDENT,
            channel=AppointmentRequest.Channel.ONLINE,
            actor=cast.student,
            requested_at=at(date(2026, 10, 26 + i), 9),
        )
        for i, student in enumerate((cast.aino, cast.onni, cast.aino))
    ]
    client.force_login(cast.kuraattori)
    first = client.get(reverse("appointments:work")).content.decode()
    second = client.get(reverse("appointments:work"), {"page": 2}).content.decode()
    assert link(made[0]) in first and link(made[1]) in first
    assert link(made[2]) not in first and link(made[2]) in second
    assert "Sivu 1 / 2" in first


@pytest.mark.parametrize("per_page", [2, 3])
def test_the_first_page_of_requests_is_one_query_with_its_count(hours, per_page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opiskeluhuolto.appointments import display

    cast = hours
    for i, student in enumerate((cast.aino, cast.onni, cast.aino)):
        actions.create_request(
            student,
            service=Role.SOCIAL_WORKER,
            requested_by=AppointmentRequest.RequestedBy.STUDENT,
            channel=AppointmentRequest.Channel.ONLINE,
            actor=cast.student,
            requested_at=at(date(2026, 10, 26 + i), 9),
        )
    rows = AppointmentRequest.objects.by_deadline()
    for number in (None, "1", "2", "x"):
        expected = Paginator(rows, per_page).get_page(number)
        with CaptureQueriesContext(connection) as ctx:
            page = display.first_page_or_paginate(rows, per_page, number)
            shown = list(page.object_list)
        assert shown == list(expected.object_list)
        assert (page.number, page.paginator.num_pages) == (
            expected.number,
            expected.paginator.num_pages,
        )
        # The first page (no number or "1") is one query, its rows with the count beside
        # them; any other page is Django's: a COUNT and the page's rows.
        first = number in (None, "1")
        assert len(ctx.captured_queries) == (1 if first else 2)
        assert ("OVER" in ctx.captured_queries[0]["sql"]) == first


def test_professional_gives_a_time_and_assesses_urgency(hours, client):
    cast = hours
    req = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.GUARDIAN,
        channel=AppointmentRequest.Channel.PHONE,
        actor=cast.kuraattori,
    )
    client.force_login(cast.kuraattori)
    url = reverse("appointments:request_urgency", args=[req.pk])
    assert client.post(url, {"urgent": "1", "version": req.version}).status_code == 302
    stale = client.post(url, {"urgent": "0", "version": req.version})
    assert stale.status_code == 400
    assert "Joku muu muutti pyyntöä" in stale.content.decode()
    req.refresh_from_db()
    assert req.urgent and req.deadline == TUE
    response = client.post(
        reverse("appointments:request_book", args=[req.pk]),
        {"starts_at": at(TUE, 9, 45).isoformat(), "version": req.version},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "booked" and req.deadline_met is True


def test_closing_needs_a_reason_next_to_the_field(hours, client):
    cast = hours
    req = actions.create_request(
        cast.aino,
        service=Role.SOCIAL_WORKER,
        requested_by=AppointmentRequest.RequestedBy.OTHER,
        requester_description="nuorisotyöntekijä",
        channel=AppointmentRequest.Channel.PHONE,
        actor=cast.kuraattori,
    )
    client.force_login(cast.kuraattori)
    url = reverse("appointments:request_close", args=[req.pk])
    response = client.post(url, {"reason": "", "version": req.version})
    assert response.status_code == 400
    assert "form-field__error" in response.content.decode()
    assert client.post(url, {"reason": "unnecessary", "version": req.version}).status_code == 302
    req.refresh_from_db()
    assert req.status == "closed" and req.close_reason == "unnecessary"


def test_staff_request_for_another_person_needs_a_description(hours, client):
    cast = hours
    client.force_login(cast.kuraattori)
    data = {
        "student": cast.aino.pk,
        "service": Role.SOCIAL_WORKER,
        "requested_by": "other",
        "channel": "phone",
        "requester_description": "",
    }
    response = client.post(reverse("appointments:staff_request_new"), data)
    assert response.status_code == 200
    assert "Kerro, kuka otti yhteyttä" in response.content.decode()
    data["requester_description"] = "nuorisotyöntekijä"
    data["urgent"] = "on"
    assert client.post(reverse("appointments:staff_request_new"), data).status_code == 302
    req = AppointmentRequest.objects.get()
    assert req.urgent and req.urgency_set_by == cast.kuraattori and req.deadline == TUE


def test_with_many_students_the_request_form_finds_the_student_by_search(
    hours, client, monkeypatch
):
    from opiskeluhuolto.appointments import staff_views

    monkeypatch.setattr(staff_views, "STUDENTS_LISTED_MAX", 1)
    cast = hours
    client.force_login(cast.kuraattori)
    url = reverse("appointments:staff_request_new")
    option = '<option value="{}"'.format
    empty = client.get(url).content.decode()
    assert 'name="q"' in empty
    assert option(cast.aino.pk) not in empty and option(cast.onni.pk) not in empty
    found = client.post(url, {"q": cast.aino.first_name, "find": "1"}).content.decode()
    assert option(cast.aino.pk) in found and option(cast.onni.pk) not in found
    # The chosen student stays listed when the form comes back with an error.
    data = {"student": cast.onni.pk, "service": Role.SOCIAL_WORKER, "requested_by": "other"}
    again = client.post(url, {**data, "channel": "phone"}).content.decode()
    assert option(cast.onni.pk) in again
    response = client.post(
        url, {**data, "channel": "phone", "requester_description": "nuorisotyöntekijä"}
    )
    assert response.status_code == 302
    assert AppointmentRequest.objects.get().student == cast.onni


def test_availability_form_keeps_input_and_explains(hours, client):
    cast = hours
    client.force_login(cast.psykologi)
    data = {
        "form": "hours",
        "hours-institution": cast.lukio.pk,
        "hours-kind": "bookable",
        "hours-weekday": 0,
        "hours-starts_at": "15:00",
        "hours-ends_at": "14:00",
        "hours-slot_minutes": 45,
        "hours-mode": "remote",
        "hours-place": "Teams-huone 7",
        "hours-valid_from": "2026-11-09",
    }
    response = client.post(reverse("appointments:availability"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Lopun on oltava alun jälkeen." in html and "Teams-huone 7" in html
    data.update({"hours-starts_at": "08:00", "hours-ends_at": "09:00"})
    assert client.post(reverse("appointments:availability"), data).status_code == 302


def test_private_feed_has_initials_only_and_can_be_revoked(hours, client):
    cast = hours
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    client.force_login(cast.kuraattori)
    client.post(reverse("appointments:feed_rotate"))
    feed = CalendarFeed.objects.get(revoked_at__isnull=True)
    client.logout()
    body = client.get(reverse("appointments:feed", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" in body and "Varattu aika (AO)" in body
    assert "Aino" not in body and "Opiskelija" not in body
    client.force_login(cast.kuraattori)
    client.post(reverse("appointments:feed_revoke"))
    client.logout()
    assert client.get(reverse("appointments:feed", args=[feed.token])).status_code == 404


def test_booking_ics_for_the_student(hours, client):
    cast = hours
    booking = actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    client.force_login(cast.student)
    response = client.get(reverse("appointments:booking_ics", args=[booking.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "Kaisa Kuraattori" in response.content.decode()


def test_public_page_needs_no_sign_in_and_shows_rights_hours_and_sections(
    hours, client, monkeypatch
):
    cast = hours
    actions.set_contact_channel(cast.nurse, cast.lukio, phone="040 111 2222", hours="ma–pe 8–9")
    monkeypatch.setitem(
        registry.PUBLIC_SECTIONS,
        "test_section",
        registry.PublicSection(
            "test_section", "appointments/panels/lead.html", lambda r, i: {"overdue": 0}, 999
        ),
    )
    response = client.get(reverse("appointments:public_page", args=[cast.lukio.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "seitsemäntenä koulupäivänä" in html
    assert "vapaaehtoista" in html
    assert "Huoltajasi ei voi kieltää" in html
    assert "Avovastaanotto" in html and "Tiina Terveydenhoitaja" in html
    assert "+358 40 111 2222" in html and "ma–pe 8–9" in html  # one format (lib/datatags)
    assert "Ei määräajan ylittäneitä pyyntöjä." in html  # the registered section
    assert client.get(reverse("appointments:public_page", args=["ei-ole"])).status_code == 404


def test_professional_home_panel_shows_today_and_open_requests(hours, client, time_machine):
    cast = hours
    actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    time_machine.move_to(at(TUE, 8), tick=False)
    client.force_login(cast.kuraattori)
    html = client.get(reverse("front:home")).content.decode()
    assert "Tämän päivän varaukset" in html and "Aino Opiskelija" in html


def test_exception_form_explains_missing_times_and_removes(hours, client):
    cast = hours
    client.force_login(cast.kuraattori)
    data = {
        "form": "exception",
        "exception-institution": cast.lukio.pk,
        "exception-kind": "extra",
        "exception-day": "2026-11-11",
        "exception-slot_minutes": 45,
        "exception-mode": "on_site",
    }
    response = client.post(reverse("appointments:availability"), data)
    assert response.status_code == 400
    assert "Anna lisäaikojen alku ja loppu." in response.content.decode()
    data.update({"exception-kind": "away"})
    assert client.post(reverse("appointments:availability"), data).status_code == 302
    from opiskeluhuolto.appointments.models import AvailabilityException

    away = AvailabilityException.objects.get()
    client.force_login(cast.psykologi)
    assert client.post(reverse("appointments:exception_remove", args=[away.pk])).status_code == 404
    client.force_login(cast.kuraattori)
    assert client.post(reverse("appointments:exception_remove", args=[away.pk])).status_code == 302
    assert not AvailabilityException.objects.exists()


def test_student_moves_and_cancels_through_the_pages(hours, client):
    cast = hours
    booking = actions.book(
        student=cast.aino,
        professional=cast.kuraattori,
        starts_at=at(TUE, 9),
        actor=cast.student,
        service=Role.SOCIAL_WORKER,
    )
    client.force_login(cast.student)
    page = client.get(reverse("appointments:rebook", args=[booking.pk]))
    assert at(TUE, 10, 30).isoformat() in page.content.decode()
    bad = client.post(reverse("appointments:rebook", args=[booking.pk]), {"starts_at": "x"})
    assert bad.status_code == 200 and "form-field__error" in bad.content.decode()
    moved = client.post(
        reverse("appointments:rebook", args=[booking.pk]),
        {"starts_at": at(TUE, 10, 30).isoformat()},
    )
    assert moved.status_code == 302
    active = Booking.objects.active().get()
    assert active.starts_at == at(TUE, 10, 30)
    client.post(reverse("appointments:cancel", args=[active.pk]))
    assert not Booking.objects.active().exists()
    assert AppointmentRequest.objects.get().status == "open", "the request waits for a new time"


def test_provider_admin_sees_the_provider_breakdown(hours, client):
    client.force_login(hours.admin)
    html = client.get(reverse("appointments:report"), {"by": "provider"}).content.decode()
    assert "Erittely: koulutuksen järjestäjä" in html
    client.force_login(hours.rehtori)
    html = client.get(reverse("appointments:report"), {"by": "provider"}).content.decode()
    assert "Erittely: oppilaitos" in html, "a principal of one institution gets no provider view"


def test_student_says_what_the_appointment_is_about(hours, client):
    cast = hours
    client.force_login(cast.student)
    r = client.post(
        reverse("appointments:request_new"),
        {"service": Role.SOCIAL_WORKER, "topic": "mood", "topic_text": "Nukun huonosti."},
    )
    assert r.status_code == 302
    req = AppointmentRequest.objects.get()
    assert req.topic == "mood" and req.topic_text == "Nukun huonosti."
    client.force_login(cast.kuraattori)
    work = client.get(reverse("appointments:work")).content.decode()
    assert "Aino Opiskelija" in work and "mieliala ja tunteet" in work
    assert "Nukun huonosti." not in work  # the words only on the request's own page
    detail = client.get(reverse("appointments:request_detail", args=[req.pk])).content.decode()
    assert "Nukun huonosti." in detail
