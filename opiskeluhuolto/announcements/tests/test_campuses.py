"""The writer chooses one or more campuses of the institution; sending reaches only them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from opiskeluhuolto.access import communication, for_user
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.announcements.models import Announcement
from opiskeluhuolto.organisation import actions as org
from opiskeluhuolto.organisation.models import Campus
from opiskeluhuolto.testing.cast import MEMBERS

pytestmark = pytest.mark.django_db


def _minor_with_guardian(cast, campus, name):
    student = org.enrol_student(
        user=User.objects.create(username=f"s-{name}", email=f"{name}@test.invalid"),
        institution=cast.lukio,
        campus=campus,
        first_name=name,
        last_name="Oppilas",
        date_of_birth=cast.aino.date_of_birth,
    )
    guardian = User.objects.create(username=f"g-{name}", email=f"g-{name}@test.invalid")
    org.link_guardian(student, guardian)
    return guardian


@pytest.fixture
def campuses(cast):
    """The lukio gets two more campuses, each with a minor student and her guardian."""
    second = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    third = Campus.objects.create(institution=cast.lukio, name="Kolmas kampus")
    return {
        "second": (second, _minor_with_guardian(cast, second, "Toinen")),
        "third": (third, _minor_with_guardian(cast, third, "Kolmas")),
    }


def _post(client, url, **fields):
    data = {
        "kind": "newsletter",
        "audience": "guardians",
        "title_fi": "Infokirje",
        "body_fi": "Hyvinvointi virtaa -viikko alkaa.",
        **fields,
    }
    return client.post(url, data)


def test_several_campuses_reach_only_their_guardians(
    cast, campuses, client, django_capture_on_commit_callbacks
):
    second, second_guardian = campuses["second"]
    third, third_guardian = campuses["third"]
    client.force_login(cast.rehtori)
    response = _post(
        client,
        reverse("announcements:new"),
        institution=cast.lukio.pk,
        campuses=[cast.lukio_campus.pk, second.pk],
    )
    assert response.status_code == 302, response.context["form"].errors
    a = Announcement.objects.get(title_fi="Infokirje")
    assert a.campus_id is None
    assert set(a.campus_ids()) == {cast.lukio_campus.pk, second.pk}
    preview = client.get(reverse("announcements:send", args=[a.pk]))
    assert preview.context["count"] == 3  # Matti, Liisa and the second campus's guardian
    assert "Toinen kampus" in preview.context["audience"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("announcements:send", args=[a.pk]), {"confirmed": "on"})
    got = sorted(address for m in mail.outbox for address in m.to)
    assert got == sorted([cast.guardian.email, cast.guardian_onni.email, second_guardian.email])
    assert third_guardian.email not in got


def test_one_campus_is_the_campus_and_the_choice_can_change(cast, campuses, client):
    second, _guardian = campuses["second"]
    client.force_login(cast.rehtori)
    _post(client, reverse("announcements:new"), campuses=[second.pk])
    a = Announcement.objects.get(title_fi="Infokirje")
    assert a.institution_id == cast.lukio.pk  # filled from the campus
    assert a.campus_id == second.pk and not a.campuses.exists()
    edit = reverse("announcements:edit", args=[a.pk])
    assert client.get(edit).context["form"].initial["campuses"] == [second.pk]
    _post(client, edit, institution=cast.lukio.pk, campuses=[second.pk, cast.lukio_campus.pk])
    a.refresh_from_db()
    assert a.campus_id is None and set(a.campus_ids()) == {second.pk, cast.lukio_campus.pk}
    _post(client, edit, institution=cast.lukio.pk)  # none chosen: every campus
    a.refresh_from_db()
    assert a.campus_id is None and a.campus_ids() == []


def test_a_campus_the_writer_does_not_write_to_is_not_offered_nor_taken(cast, client):
    client.force_login(cast.rehtori)  # the lukio's principal
    form = client.get(reverse("announcements:new")).context["form"]
    assert list(form.fields["campuses"].queryset) == [cast.lukio_campus]
    response = _post(
        client,
        reverse("announcements:new"),
        institution=cast.lukio.pk,
        campuses=[cast.amis_campus.pk],
    )
    assert response.status_code == 200
    assert "campuses" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_campuses_of_another_institution_are_refused(cast, client):
    client.force_login(cast.admin)  # provider-wide: both institutions' campuses offered
    form = client.get(reverse("announcements:new")).context["form"]
    assert set(form.fields["campuses"].queryset) == {cast.lukio_campus, cast.amis_campus}
    for fields in (
        {"institution": cast.lukio.pk, "campuses": [cast.amis_campus.pk]},
        {"campuses": [cast.lukio_campus.pk, cast.amis_campus.pk]},
    ):
        response = _post(client, reverse("announcements:new"), **fields)
        assert response.status_code == 200
        assert "campuses" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_a_group_of_another_campus_is_refused(cast, campuses, client):
    second, _guardian = campuses["second"]
    client.force_login(cast.rehtori)
    response = _post(
        client,
        reverse("announcements:new"),
        audience="students",
        institution=cast.lukio.pk,
        campuses=[second.pk],
        student_group=cast.group.pk,  # 24A studies on the Etu-Töölö campus
    )
    assert "student_group" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_the_offered_campuses_follow_the_writer_rule(cast, campuses):
    """`campuses_written_to_by` (the form's list) and `write_to_campus` agree for the cast."""
    every = list(Campus.objects.select_related("institution"))
    for name in MEMBERS:
        user = cast.member(name)
        if user is None:
            continue
        can = for_user(user)
        offered = set(communication.campuses_written_to_by(user, cast.provider.pk))
        expected = {c for c in every if c.institution.provider_id == cast.provider.pk}
        assert offered == {c for c in expected if can.write_to_campus(c)}, name
    lukio = {c for c in every if c.institution_id == cast.lukio.pk}
    assert set(communication.campuses_written_to_by(cast.rehtori, cast.provider.pk)) == lukio
    assert not communication.campuses_written_to_by(cast.teacher, cast.provider.pk).exists()


def test_a_writer_of_one_campus_addresses_only_that_campus(cast, campuses, client):
    """Tiina's role is of the Etu-Töölö campus only: the other campuses of the lukio, and
    the lukio as a whole (no campus chosen), are neither offered nor taken."""
    second, _guardian = campuses["second"]
    client.force_login(cast.nurse)
    form = client.get(reverse("announcements:new")).context["form"]
    assert list(form.fields["campuses"].queryset) == [cast.lukio_campus]
    assert list(form.fields["institution"].queryset) == [cast.lukio]
    for fields, error in (
        ({"institution": cast.lukio.pk, "campuses": [second.pk]}, "campuses"),
        ({"institution": cast.lukio.pk, "campuses": [cast.lukio_campus.pk, second.pk]}, "campuses"),
        ({"institution": cast.lukio.pk}, "institution"),  # every campus of the lukio
        ({}, "institution"),  # the whole provider
        ({"institution": cast.amis.pk}, "institution"),
    ):
        response = _post(client, reverse("announcements:new"), **fields)
        assert response.status_code == 200, fields
        assert error in response.context["form"].errors, fields
    assert not Announcement.objects.exists()
    response = _post(
        client,
        reverse("announcements:new"),
        institution=cast.lukio.pk,
        campuses=[cast.lukio_campus.pk],
    )
    assert response.status_code == 302, response.context["form"].errors
    a = Announcement.objects.get()
    assert client.get(reverse("announcements:send", args=[a.pk])).status_code == 200


def test_save_draft_refuses_an_audience_outside_the_writers_roles(cast, campuses):
    """The action itself (not only the form's choices) refuses it."""
    from django.core.exceptions import ValidationError

    from opiskeluhuolto.announcements import actions

    second, _guardian = campuses["second"]

    def draft(**fields):
        return Announcement(
            provider=cast.provider,
            kind="newsletter",
            audience="guardians",
            title_fi="T",
            body_fi="B",
            **fields,
        )

    with pytest.raises(ValidationError) as e:
        actions.save_draft(draft(institution=cast.lukio), by=cast.nurse, campuses=[second])
    assert "campuses" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        actions.save_draft(draft(institution=cast.amis), by=cast.rehtori, campuses=[])
    assert "institution" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        actions.save_draft(draft(), by=cast.rehtori, campuses=[])
    assert "institution" in e.value.error_dict
    assert not Announcement.objects.exists()


def test_a_draft_the_writer_could_not_open_is_never_created(cast, client):
    """The lukio's principal leaves the institution empty (the whole provider) or picks
    the amis: a field error, no draft (before, the draft was saved and its preview 404)."""
    client.force_login(cast.rehtori)
    for fields in ({}, {"institution": cast.amis.pk}):
        response = _post(client, reverse("announcements:new"), **fields)
        assert response.status_code == 200, fields
        assert "institution" in response.context["form"].errors, fields
    assert not Announcement.objects.exists()


def test_the_managed_list_follows_manage_announcement(cast, campuses):
    """`announcements_managed_by` (the list) and `manage_announcement` agree."""
    from opiskeluhuolto.announcements import actions

    second, _guardian = campuses["second"]
    made = []
    for fields, several in (
        ({"institution": cast.lukio}, []),
        ({"institution": cast.lukio}, [cast.lukio_campus]),
        ({"institution": cast.lukio}, [second]),
        ({"institution": cast.lukio}, [cast.lukio_campus, second]),
        ({"institution": cast.amis}, [cast.amis_campus]),
        ({}, []),
    ):
        a = Announcement(
            provider=cast.provider,
            kind="newsletter",
            audience="guardians",
            title_fi="T",
            body_fi="B",
            **fields,
        )
        made.append(actions.save_draft(a, by=cast.admin, campuses=several))
    for name in MEMBERS:
        user = cast.member(name)
        if user is None:
            continue
        can = for_user(user)
        listed = set(communication.announcements_managed_by(user))
        assert listed == {a for a in made if can.manage_announcement(a)}, name
    # Tiina writes to her campus only, and manages the lukio's announcements (as before).
    managed = {a.pk for a in communication.announcements_managed_by(cast.nurse)}
    assert managed == {a.pk for a in made[:4]}
