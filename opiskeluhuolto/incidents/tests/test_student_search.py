"""Recording an incident: students found by part of the name, only those the staff
member may see, a short list; ticking them records them (issue 17)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.access import for_user
from opiskeluhuolto.incidents import views
from opiskeluhuolto.incidents.models import Incident
from opiskeluhuolto.procedures.tests.helpers import bullying_procedure

pytestmark = pytest.mark.django_db


def _body(cast, **extra):
    return {
        "category": "bullying",
        "campus": cast.lukio_campus.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "description": "Tönimistä käytävällä.",
        **extra,
    }


def test_search_by_part_of_the_name_finds_only_students_she_may_see(cast):
    can = for_user(cast.teacher)
    part = cast.onni.last_name[1:4]
    found = views.search_students(can, part.lower(), cast.lukio_campus)
    assert cast.onni in found
    assert all(s in can.students_scope() for s in found)
    assert len(found) <= views.SEARCH_LIMIT
    assert views.search_students(can, "o", cast.lukio_campus) == []  # too short


def test_the_report_page_searches_without_saving_and_records_the_ticked(cast, client):
    bullying_procedure(cast)
    client.force_login(cast.teacher)
    url = reverse("incidents:report")
    page = client.post(url, _body(cast, q=cast.onni.first_name[:3], search="1"))
    assert page.status_code == 200 and not Incident.objects.exists()
    assert f'value="{cast.onni.pk}"' in page.text
    assert 'id="id_category_error"' not in page.text  # searching is not a submit
    # The search keeps what was typed.
    assert "Tönimistä käytävällä." in page.text
    # A form sent back with errors keeps the ticked student ticked.
    again = client.post(url, _body(cast, category="", student_ids=[str(cast.onni.pk)]))
    assert again.status_code == 400 and not Incident.objects.exists()
    assert f'value="{cast.onni.pk}" checked' in again.text
    sent = client.post(url, _body(cast, student_ids=[str(cast.onni.pk)]))
    assert sent.status_code == 302
    assert list(Incident.objects.get().students.all()) == [cast.onni]


def test_a_student_she_may_not_see_is_refused_and_nothing_saved(cast, client):
    bullying_procedure(cast)
    client.force_login(cast.teacher)
    hidden = (
        type(cast.onni)
        .objects.exclude(pk__in=for_user(cast.teacher).students_scope().values("pk"))
        .first()
    )
    assert hidden is not None
    for ids in ([str(hidden.pk)], ["x"]):
        page = client.post(reverse("incidents:report"), _body(cast, student_ids=ids))
        assert page.status_code == 400
        assert 'id="id_students_error"' in page.text
    assert not Incident.objects.exists()
    # A search by the hidden student's name finds nothing.
    page = client.post(reverse("incidents:report"), _body(cast, q=hidden.last_name, search="1"))
    assert f'value="{hidden.pk}"' not in page.text


def test_the_report_form_reads_in_a_natural_order(cast, client):
    """What, where and when first; then the students (search, the ones found, names written
    by hand); then the others and the description. The names field came before the search."""
    client.force_login(cast.teacher)
    html = client.get(reverse("incidents:report")).content.decode()
    order = [
        'name="category"',
        'name="campus"',
        'name="place"',
        'name="occurred_at"',
        'name="q"',
        'id="student-choices"',
        'name="students"',
        'name="others"',
        'name="description"',
        'name="immediate_actions"',
    ]
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert html.count('name="students"') == 1
