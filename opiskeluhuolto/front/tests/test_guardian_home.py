"""The guardian's home (issue 19): written for a guardian ("Ainon asiat"), with the child's
bookings the guardian may see, not the child's own; the read log in plain words."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.appointments.models import Booking

pytestmark = pytest.mark.django_db


def _booking(cast, booked_by, hours):
    start = timezone.now() + timedelta(days=2, hours=hours)
    return Booking.objects.create(
        professional=cast.kuraattori,
        student=cast.aino,
        institution=cast.lukio,
        service="social_worker",
        starts_at=start,
        ends_at=start + timedelta(minutes=45),
        booked_by=booked_by,
        place="Huone 101",
    )


def test_guardian_home_names_the_child_and_shows_the_guardians_bookings(cast):
    _booking(cast, cast.guardian, 0)
    _booking(cast, cast.student, 3)  # Aino's own: hers, not the guardian's
    c = Client()
    c.force_login(cast.guardian)
    text = c.get(reverse("front:home")).content.decode()
    assert "Ainon asiat" in text
    assert text.count("Huone 101") == 1
    assert "Kuka on lukenut Ainon tietoja" in text
    assert "Onnin asiat" not in text  # Onni is Liisa's child, not Matti's
    liisa = Client()
    liisa.force_login(cast.guardian_onni)
    assert "Onnin asiat" in liisa.get(reverse("front:home")).content.decode()


def test_read_log_says_why_in_plain_words(cast):
    from opiskeluhuolto.cases.tests.story import open_aino_case
    from opiskeluhuolto.records.models import AccessLogEntry
    from opiskeluhuolto.records.reading import PLAIN_BASIS, readers_of

    case = open_aino_case(cast)
    c = Client()
    c.force_login(cast.kuraattori)
    c.get(reverse("records:case", args=[case.pk]))
    rows, _summary = readers_of(cast.aino)
    member_rows = [r for r in rows if r.actor_name == cast.kuraattori.display_name]
    assert member_rows
    plain = str(PLAIN_BASIS[AccessLogEntry.Basis.MEMBERSHIP])
    assert all(r.basis_label == plain for r in member_rows)
