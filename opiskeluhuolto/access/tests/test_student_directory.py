"""Who sees which fields of a student (docs/access-rules.md, "Student directory").

The demo's external member (youth work) read the whole directory with dates of birth,
contact details and guardians: any role grant counted as staff of the school.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access import for_user
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import Campus, Role
from opiskeluhuolto.testing.cast import _user

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_external_member_has_no_student_directory(cast):
    can = for_user(cast.external)
    assert can.is_staff_member and not can.is_school_staff
    assert not can.students_scope().exists()
    assert not can.view_student(cast.aino)
    assert not can.view_group(cast.group)
    assert not can.refer_student(cast.aino)
    client = _client(cast.external)
    for url in (
        reverse("organisation:students"),
        reverse("organisation:student", args=[cast.aino.pk]),
        reverse("organisation:group", args=[cast.group.pk]),
        reverse("cases:refer_student", args=[cast.aino.pk]),
    ):
        assert client.get(url).status_code == 404, url
    home = client.get("/").content.decode()
    assert reverse("organisation:students") not in home


def test_a_teacher_sees_name_and_group_but_not_details(cast):
    actions.link_guardian(cast.aino, cast.guardian)
    page = _client(cast.teacher).get(reverse("organisation:student", args=[cast.aino.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Aino" in text and "24A" in text
    assert "aino@test.invalid" not in text
    assert cast.aino.date_of_birth.strftime("%-d.%-m.%Y") not in text
    assert page.context["show_details"] is False
    assert "Huoltaja" not in text


@pytest.mark.parametrize("member", ["supervisor", "kuraattori", "rehtori", "admin"])
def test_those_who_need_them_see_contact_details_and_guardians(cast, member):
    text = _client(cast.member(member)).get(reverse("organisation:student", args=[cast.aino.pk]))
    text = text.content.decode()
    assert "aino@test.invalid" in text
    assert "Matti Huoltaja" in text


def test_the_student_and_guardian_see_the_details_but_no_guardian_list(cast):
    for member in ("student", "guardian"):
        text = _client(cast.member(member)).get(
            reverse("organisation:student", args=[cast.aino.pk])
        )
        text = text.content.decode()
        assert "aino@test.invalid" in text, member
        assert "Matti Huoltaja" not in text.split("</header>", 1)[-1], member


def test_staff_posted_to_another_campus_do_not_see_the_student(cast):
    campus2 = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    teacher2 = _user("tuomas", "Tuomas", "Opettaja")
    actions.assign_role(
        teacher2,
        role=Role.TEACHER,
        provider=cast.provider,
        institution=cast.lukio,
        campus=campus2,
        valid_from=date(2020, 1, 1),
    )
    can = for_user(teacher2)
    assert not can.view_student(cast.aino)
    assert not can.view_group(cast.group)
    assert not can.students_scope().filter(pk=cast.aino.pk).exists()
    client = _client(teacher2)
    assert client.get(reverse("organisation:student", args=[cast.aino.pk])).status_code == 404
