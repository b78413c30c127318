"""The archive per audience, and the public ones on the institution's public welfare page."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.announcements import actions
from opiskeluhuolto.announcements.models import Announcement, Delivery
from opiskeluhuolto.organisation import actions as org

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(cast, django_capture_on_commit_callbacks):
    def run(a):
        with django_capture_on_commit_callbacks(execute=True):
            return actions.schedule(a, by=cast.rehtori)

    return run


def _draft(cast, **fields) -> Announcement:
    a = Announcement(
        provider=cast.provider,
        kind=Announcement.Kind.NEWSLETTER,
        audience=fields.pop("audience", Announcement.Audience.GUARDIANS),
        title_fi=fields.pop("title_fi", "Syksyn uutiskirje"),
        title_sv=fields.pop("title_sv", ""),
        body_sv=fields.pop("body_sv", ""),
        body_fi="Tervetuloa kotiväenillaan.",
        **fields,
    )
    return actions.save_draft(a, by=cast.rehtori)


def _new_guardian(cast) -> User:
    """A guardian of a minor who starts on the lukio campus after the newsletter went."""
    child = org.enrol_student(
        institution=cast.lukio,
        campus=cast.lukio_campus,
        group=cast.group,
        first_name="Uusi",
        last_name="Opiskelija",
        date_of_birth=date(cast.today.year - 16, 1, 1),
    )
    guardian = User.objects.create(username="uusi_huoltaja", first_name="Uusi", last_name="H")
    org.link_guardian(child, guardian)
    return guardian


def test_a_sent_one_is_readable_by_its_audience_joined_later(cast, send, client):
    a = _draft(cast, campus=cast.lukio_campus)
    staff = _draft(cast, audience="staff", institution=cast.lukio, title_fi="Henkilöstölle")
    send(a)
    send(staff)
    late = _new_guardian(cast)
    assert not Delivery.objects.filter(announcement=a, user=late).exists()
    client.force_login(late)
    assert client.get(reverse("announcements:read", args=[a.pk])).status_code == 200
    assert client.get(reverse("announcements:read", args=[staff.pk])).status_code == 404
    page = client.get(reverse("announcements:audience_archive")).content.decode()
    assert "Syksyn uutiskirje" in page and "Henkilöstölle" not in page
    assert "Etu-Töölö" in page or str(cast.lukio_campus) in page  # grouped by the audience
    client.force_login(cast.adult)  # a student of another institution
    assert client.get(reverse("announcements:read", args=[a.pk])).status_code == 404
    page = client.get(reverse("announcements:audience_archive")).content.decode()
    assert "Syksyn uutiskirje" not in page


def test_writers_archive_groups_by_audience(cast, send, client):
    send(_draft(cast, campus=cast.lukio_campus))
    send(_draft(cast, audience="students", institution=cast.lukio, title_fi="Opiskelijoille"))
    draft = _draft(cast, institution=cast.lukio, title_fi="Luonnos")
    client.force_login(cast.rehtori)
    page = client.get(reverse("announcements:audience_archive")).content.decode()
    assert "Syksyn uutiskirje" in page and "Opiskelijoille" in page
    assert draft.title_fi not in page  # drafts are not in the archive
    assert page.count('<section class="panel">') == 2


def test_public_ones_on_the_public_welfare_page_in_the_readers_language(cast, send, client):
    send(
        _draft(
            cast,
            institution=cast.lukio,
            is_public=True,
            title_sv="Höstens nyhetsbrev",
            body_sv="Välkommen.",
        )
    )
    send(_draft(cast, institution=cast.lukio, title_fi="Sisäinen"))
    url = reverse("appointments:public_page", args=[cast.lukio.slug])
    page = client.get(url).content.decode()
    assert "Syksyn uutiskirje" in page and "Sisäinen" not in page
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Höstens nyhetsbrev" in page
