"""The work list's rows, made in Python (`appointments.rows_html`, issue 21 item 3): each
row shows what the template showed, every text from a user is escaped, and the page logs
exactly the requests and bookings it shows (LAW.md L-906-1)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiskeluhuolto.appointments import actions, conversation, staff_views
from opiskeluhuolto.appointments.models import AppointmentRequest, Booking
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records.models import AccessLogEntry

from .conftest import MONDAY, at
from .test_work_list import TUE

pytestmark = pytest.mark.django_db
URL = reverse("appointments:work")
SCRIPT = "<script>alert(1)</script>"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tbodies(html: str) -> list[list[list[str]]]:
    """Each table body of the page as rows of cells (their inner HTML)."""
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    return [
        [
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr.*?</tr>", b, re.S)
        ]
        for b in bodies
    ]


def request_for(cast, student, **kw) -> AppointmentRequest:
    return actions.create_request(
        student,
        service=Role.SOCIAL_WORKER,
        requested_by="student",
        channel="phone",
        actor=cast.kuraattori,
        **kw,
    )


def book(cast, starts_at, req=None) -> Booking:
    return actions.book(
        student=cast.onni,
        professional=cast.kuraattori,
        starts_at=starts_at,
        actor=cast.kuraattori,
        service=Role.SOCIAL_WORKER,
        request=req,
    )


def test_the_rows_show_what_the_list_showed(hours):
    """In Finnish, the page's language: the labels keep their translations."""
    cast = hours
    req = request_for(cast, cast.onni, topic="mood")
    actions.set_urgency(req, urgent=True, actor=cast.kuraattori)
    conversation.post_message(req, author=cast.kuraattori, body="Hei", from_staff=True)
    started = book(cast, at(MONDAY.date(), 9), req)  # today; the clock is 08.00
    remote = book(cast, at(TUE, 9, 45))
    conversation.set_meeting(
        remote,
        mode="remote",
        link="https://meet.example/a?b=1&c=2",
        place="",
        actor=cast.kuraattori,
    )
    Booking.objects.filter(pk=started.pk).update(starts_at=at(MONDAY.date(), 7, 15))
    html = signed_in(cast.kuraattori).get(URL).content.decode()
    requests, today, later = tbodies(html)
    detail = reverse("appointments:request_detail", args=[req.pk])
    (cells,) = [row for row in requests if f'"{detail}"' in row[0]]
    assert cells[0] == (
        f'<a href="{detail}">{cast.onni.first_name} {cast.onni.last_name}</a>'
        ' <span class="badge badge--danger">kiireellinen</span>'
    )
    assert cells[1] == 'mieliala ja tunteet<br><span class="badge">1 viesti</span>'
    services = dict(AppointmentRequest._meta.get_field("service").flatchoices)
    assert cells[2] == str(services[Role.SOCIAL_WORKER])
    assert cells[3].startswith("9.11.2026<br>") and ", puhelin" in cells[3]
    assert 'class="deadline"' in cells[4] and cells[5]
    (booked,) = today
    assert booked[0] == "ma 9.11. 07.15–09.45"
    assert booked[1].endswith(f' · <a href="{detail}">pyyntö</a>')
    assert booked[1].startswith(f"{cast.onni.first_name} {cast.onni.last_name}")
    assert booked[2] == cast.kuraattori.display_name
    meeting = reverse("appointments:booking_meeting", args=[started.pk])
    assert f'<br><a href="{meeting}">Muuta tapaamistapaa' in booked[3]
    actions_cell = booked[4]
    for name in ("booking_ics", "rebook", "cancel", "booking_held"):
        assert f'action="{reverse(f"appointments:{name}", args=[started.pk])}"' in actions_cell or (
            f'href="{reverse(f"appointments:{name}", args=[started.pk])}"' in actions_cell
        )
    assert actions_cell.count('name="csrfmiddlewaretoken"') == 2  # cancel and mark held
    assert "Merkitse pidetyksi" in actions_cell  # it has started
    (coming,) = later
    assert "Merkitse pidetyksi" not in coming[4]  # not yet
    assert '<a href="https://meet.example/a?b=1&amp;c=2" rel="noopener noreferrer"' in coming[3]
    assert "Liity etätapaamiseen" in coming[3]


def test_user_text_is_escaped(hours):
    cast = hours
    cast.onni.first_name = SCRIPT
    cast.onni.save()
    cast.kuraattori.first_name = "<b>Kaisa</b>"
    cast.kuraattori.save()
    request_for(cast, cast.onni)
    on_site = book(cast, at(TUE, 9))
    remote = book(cast, at(TUE, 9, 45))
    Booking.objects.filter(pk=on_site.pk).update(place=f'"><img src=x onerror=alert(1)>{SCRIPT}')
    Booking.objects.filter(pk=remote.pk).update(
        mode="remote", meeting_link='https://x.example/"><script>alert(2)</script>'
    )
    html = signed_in(cast.kuraattori).get(URL).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html and "<b>Kaisa</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Kaisa&lt;/b&gt;" in html
    assert "https://x.example/&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html


def shown(html: str, name: str) -> set[int]:
    """The keys in the links to `name` in the list of requests or the lists of bookings."""
    path = reverse(name, args=[0]).replace("/0/", r"/(\d+)/")
    requests, bookings = html.split('id="bookings"')
    part = requests if name == "appointments:request_detail" else bookings
    return {int(pk) for pk in re.findall(path, part)}


def logged_reads(user, kind: str, before: int) -> list[int | None]:
    return list(
        AccessLogEntry.objects.filter(actor_id=user.pk, subject_kind=kind, pk__gt=before)
        .order_by("pk")
        .values_list("subject_id", flat=True)
    )


def test_the_page_logs_exactly_the_rows_it_shows_with_constant_queries(hours, monkeypatch):
    cast = hours
    monkeypatch.setattr(staff_views, "REQUESTS_PER_PAGE", 2)
    monkeypatch.setattr(staff_views, "BOOKINGS_PER_PAGE", 2)
    client = signed_in(cast.kuraattori)
    for student in (cast.onni, cast.aino):
        request_for(cast, student)
    book(cast, at(TUE, 9))
    book(cast, at(TUE, 11, 15))  # from the start more than a page of each
    assert client.get(URL).status_code == 200  # the session saved, the caches warm
    counts = []
    for more in range(2):
        # A third and a fourth request and booking: the pages stay two rows each.
        request_for(cast, cast.onni if more else cast.aino)
        book(cast, at(TUE, 9, 45) if more else at(TUE, 10, 30))
        for page in ({}, {"page": 2, "bookings": 2}):
            last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
            with CaptureQueriesContext(connection) as ctx:
                html = client.get(URL, page).content.decode()
            counts.append((page != {}, len(ctx.captured_queries)))
            requests = logged_reads(cast.kuraattori, "request", last)
            bookings = logged_reads(cast.kuraattori, "booking", last)
            assert set(requests) == shown(html, "appointments:request_detail")
            assert set(bookings) == shown(html, "appointments:booking_meeting")
            assert len(requests) == len(set(requests)) and len(bookings) == len(set(bookings))
            assert 1 <= len(requests) <= 2 and 1 <= len(bookings) <= 2
    firsts = {n for later, n in counts if not later}
    seconds = {n for later, n in counts if later}
    assert len(firsts) == 1 and len(seconds) == 1
