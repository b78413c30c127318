import pytest
from django.urls import reverse

from opiskeluhuolto.lib import hetu
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import Student

pytestmark = pytest.mark.django_db


def test_directory_lists_only_the_students_in_scope(client, cast):
    client.force_login(cast.kuraattori_out)  # vocational institution only
    body = client.get(reverse("organisation:students")).content.decode()
    assert "Aikuinen" in body
    assert "Opiskelija, Aino" not in body


def test_name_search_is_a_post_and_finds_by_any_word(client, cast):
    client.force_login(cast.rehtori)
    r = client.post(reverse("organisation:students"), {"q": "aino opis"})
    body = r.content.decode()
    assert "Opiskelija, Aino" in body
    assert "Oppilas, Onni" not in body


def test_search_rejects_get_parameters(client, cast):
    client.force_login(cast.rehtori)
    body = client.get(reverse("organisation:students") + "?q=zzz").content.decode()
    assert "Opiskelija, Aino" in body  # GET ignores q: names never travel in the URL


def test_directory_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    client.force_login(cast.admin)
    for i in range(30):
        born = cast.aino.date_of_birth
        actions.enrol_student(
            institution=cast.lukio,
            group=cast.group,
            first_name=f"Extra{i}",
            last_name="Oppilas",
            date_of_birth=born,
            hetu=hetu.make(born, 910 + i),
        )
    client.get(reverse("organisation:students"))  # the person's facts are cached now
    with django_assert_max_num_queries(12):
        r = client.get(reverse("organisation:students"))
    assert r.status_code == 200


def test_identity_code_only_for_welfare_staff_admin_and_the_student(client, cast):
    url = reverse("organisation:student", kwargs={"pk": cast.aino.pk})
    for member, visible in (
        ("kuraattori", True),
        ("admin", True),
        ("student", True),
        ("teacher", False),
        ("rehtori", False),
        ("guardian", False),
    ):
        client.force_login(cast.member(member))
        assert (cast.aino.hetu in client.get(url).content.decode()) is visible, member


def test_guardian_loses_access_when_the_child_turns_18(client, cast):
    import time_machine

    url = reverse("organisation:student", kwargs={"pk": cast.aino.pk})
    client.force_login(cast.guardian)
    assert client.get(url).status_code == 200
    eighteen = cast.aino.date_of_birth.replace(year=cast.aino.date_of_birth.year + 18)
    with time_machine.travel(eighteen):
        client.force_login(cast.guardian)
        assert client.get(url).status_code == 404


def test_group_page_lists_members(client, cast):
    client.force_login(cast.supervisor)
    body = client.get(reverse("organisation:group", kwargs={"pk": cast.group.pk})).content.decode()
    assert "Opiskelija, Aino" in body and "Oppilas, Onni" in body
    assert Student.objects.in_group(cast.group).count() == 2
