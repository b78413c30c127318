"""The provider admin's audit trail page, its CSV export and the API: filters, pages,
no formulas in the file, and nothing of another provider."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto import audit
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.audit.views import PAGE_SIZE
from opiskeluhuolto.organisation import actions as org_actions
from opiskeluhuolto.organisation.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_admin(cast):
    user = User.objects.create_user(username="naapuri-admin", first_name="Nelli", last_name="N")
    org_actions.assign_role(
        user, role=Role.PROVIDER_ADMIN, provider=cast.other_provider, valid_from=date(2025, 1, 1)
    )
    return user


def _event(cast, kind=audit.Kind.ROLE_ADDED, *, by=None, provider=None, student=None, **kw):
    return audit.record(
        kind,
        object_type="organisation.roleassignment",
        object_id=kw.pop("object_id", 1),
        by=by or cast.admin,
        provider_id=(provider or cast.provider).pk,
        student_id=student.pk if student else None,
        after=kw.pop("after", {"role": "teacher"}),
    )


def _rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return list(response.context["page"])


def test_the_admin_sees_the_events_of_their_provider_only(client, cast, other_admin):
    mine = _event(cast)
    theirs = _event(cast, by=other_admin, provider=cast.other_provider)
    client.force_login(cast.admin)
    rows = _rows(client, reverse("audit:events"))
    assert rows[0].pk == mine.pk and theirs.pk not in [e.pk for e in rows]
    assert {e.provider_id_ref for e in rows} == {cast.provider.pk}
    assert client.get(reverse("audit:export") + f"?actor={other_admin.pk}").status_code == 400
    client.force_login(other_admin)
    rows = _rows(client, reverse("audit:events"))
    assert theirs.pk in [e.pk for e in rows] and mine.pk not in [e.pk for e in rows]
    api = client.get(reverse("api:audit-events"))
    assert api.status_code == 200
    assert {e["provider_id"] for e in api.json()} == {cast.other_provider.pk}
    export = client.get(reverse("audit:export")).content.decode("utf-8-sig")
    assert {row[1] for row in list(csv.reader(io.StringIO(export), delimiter=";"))[1:]} == {
        str(cast.other_provider.pk)
    }


def test_filters_by_kind_actor_student_and_dates(client, cast):
    client.force_login(cast.admin)
    url = reverse("audit:events")
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        old = _event(cast, audit.Kind.ROLE_REMOVED)
    by_kaisa = _event(cast, audit.Kind.CONSENT_GIVEN, by=cast.kuraattori, student=cast.aino)
    assert [e.pk for e in _rows(client, f"{url}?kind=role.remove")] == [old.pk]
    assert [e.pk for e in _rows(client, f"{url}?actor={cast.kuraattori.pk}")] == [by_kaisa.pk]
    # Aino's guardianship, linked when the cast was built, and Kaisa's event.
    assert [e.kind for e in _rows(client, f"{url}?student={cast.aino.pk}")] == [
        audit.Kind.CONSENT_GIVEN,
        audit.Kind.GUARDIANSHIP_ADDED,
    ]
    today = timezone.localdate()
    recent = _rows(client, f"{url}?since={today.isoformat()}&until={today.isoformat()}&kind=")
    assert old.pk not in [e.pk for e in recent] and by_kaisa.pk in [e.pk for e in recent]
    ten_days_ago = (today - timedelta(days=10)).isoformat()
    assert [e.pk for e in _rows(client, f"{url}?until={ten_days_ago}&kind=role.remove")] == [old.pk]


def test_bad_filters_are_told_not_crashed(client, cast):
    client.force_login(cast.admin)
    url = reverse("audit:events")
    response = client.get(f"{url}?since=2026-05-01&until=2026-04-01&student=abc")
    assert response.status_code == 200
    form = response.context["form"]
    assert "until" in form.errors and "student" in form.errors
    assert list(response.context["page"]) == []
    assert client.get(f"{reverse('audit:export')}?kind=nonsense").status_code == 400
    assert client.get(f"{reverse('api:audit-events')}?since=yesterday").status_code == 422
    too_big = "student=99999999999"
    assert "student" in client.get(f"{url}?{too_big}").context["form"].errors
    assert client.get(f"{reverse('api:audit-events')}?{too_big}").status_code == 422


def test_pages(client, cast):
    client.force_login(cast.admin)
    for n in range(PAGE_SIZE + 5):
        _event(cast, object_id=n + 100)
    url = reverse("audit:events")
    query = f"kind=role.add&actor={cast.admin.pk}"
    first = client.get(f"{url}?{query}")
    assert len(first.context["page"]) == PAGE_SIZE
    assert f"{query}&amp;page=2".replace("&", "&amp;", 1) in first.content.decode()
    assert len(_rows(client, f"{url}?{query}&page=2")) == 5


def test_the_export_has_every_event_and_no_formulas(client, cast):
    cast.kuraattori.first_name = '=HYPERLINK("http://evil")'
    cast.kuraattori.save()
    _event(cast, by=cast.kuraattori, after={"role": "=1+1"}, student=cast.aino)
    client.force_login(cast.admin)
    response = client.get(reverse("audit:export") + f"?actor={cast.kuraattori.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 1
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert rows[0][3].startswith("'=HYPERLINK")
    assert '"=1+1"' in rows[0][10] and rows[0][8] == str(cast.aino.pk)


def test_no_personal_identity_code_in_the_trail(client, cast):
    """The trail names students by their number only; the hetu never enters it."""
    from opiskeluhuolto.audit.models import AuditEvent

    org_actions.link_guardian(cast.eero, cast.guardian, by=cast.admin)
    text = str(list(AuditEvent.objects.values()))
    assert cast.eero.hetu and cast.eero.hetu not in text
    assert cast.aino.hetu not in text
