"""Access ends with the job (issue 14 item 7; LAW.md L-906-4).

An expert-group membership gives access only while the person holds a role at the case's
institution (or provider-wide). When the role ends the access ends the same day, the
responsible person is told on the case page and may end the membership, and the provider
admin's periodic access review shows who can read which open cases, and why.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.permissions import Permissions
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.organisation.models import RoleAssignment
from opiskeluhuolto.records.models import AccessReview

from .story import meeting, open_aino_case

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _end_roles(user, last_day):
    RoleAssignment.objects.filter(user=user).update(valid_until=last_day)


def test_a_member_whose_role_ended_reads_and_writes_nothing(cast):
    case = open_aino_case(cast)
    _end_roles(cast.supervisor, cast.today - timedelta(days=1))
    assert case.pk not in Permissions(cast.supervisor).member_case_ids
    assert not for_user(User.objects.get(pk=cast.supervisor.pk)).view_case(case)
    with pytest.raises(ValidationError):
        meeting(case, cast.supervisor)
    sanna = client_for(cast.supervisor)
    assert sanna.get(reverse("records:case", args=[case.pk])).status_code == 404
    assert sanna.get(f"/api/v1/records/cases/{case.pk}").status_code == 404
    # The membership row itself is not ended: the responsible person decides that.
    assert case.memberships.open_on(cast.today).filter(user=cast.supervisor).exists()


def test_a_role_ending_today_still_gives_today_and_not_tomorrow(cast):
    case = open_aino_case(cast)
    _end_roles(cast.supervisor, cast.today)
    assert case.pk in Permissions(cast.supervisor, cast.today).member_case_ids
    tomorrow = cast.today + timedelta(days=1)
    assert case.pk not in Permissions(cast.supervisor, tomorrow).member_case_ids


def test_a_role_at_another_institution_gives_no_access(cast):
    case = open_aino_case(cast)
    _end_roles(cast.supervisor, cast.today - timedelta(days=1))
    RoleAssignment.objects.create(
        user=cast.supervisor,
        role="teacher",
        provider=cast.provider,
        institution=cast.amis,
        valid_from=cast.today,
    )
    assert case.pk not in Permissions(cast.supervisor).member_case_ids


def test_a_person_without_a_role_there_is_not_added(cast):
    case = open_aino_case(cast)
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="participants",
        given_by="student",
        how="written",
        given_on=cast.today,
        named_members=[cast.psykologi],
    )
    _end_roles(cast.psykologi, cast.today - timedelta(days=1))
    with pytest.raises(ValidationError):
        expert_groups.add_members(
            case, by=cast.kuraattori, consent=consent, members=[cast.psykologi]
        )


def test_the_responsible_person_is_told_and_ends_the_membership(cast):
    case = open_aino_case(cast)
    _end_roles(cast.supervisor, cast.today - timedelta(days=1))
    kaisa = client_for(cast.kuraattori)
    page = kaisa.get(reverse("records:case", args=[case.pk])).text
    membership = case.memberships.get(user=cast.supervisor)
    assert "Jäsenen tehtävä on päättynyt" in page
    url = reverse("cases:end_membership", args=[membership.pk])
    assert url in page
    assert client_for(cast.student).post(url).status_code == 404
    assert kaisa.post(url).status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == cast.today and membership.end_reason
    from opiskeluhuolto.audit.models import AuditEvent

    event = AuditEvent.objects.filter(kind="expert_group.change", object_id=case.pk).first()
    assert event.actor_id == cast.kuraattori.pk
    assert event.before["membership"]["ended_on"] is None
    assert event.after["membership"]["ended_on"] == cast.today.isoformat()
    assert kaisa.post(url).status_code == 404  # ended: nothing left to end
    assert (
        "Jäsenen tehtävä on päättynyt"
        not in kaisa.get(reverse("records:case", args=[case.pk])).text
    )


def test_the_access_review_shows_who_can_read_which_open_cases_and_why(cast):
    cast.provider.register_responsible = cast.rehtori
    cast.provider.save(update_fields=["register_responsible"])
    case = open_aino_case(cast)
    closed = open_aino_case(cast, members=[cast.kuraattori])
    expert_groups.close_case(closed, by=cast.kuraattori)
    _end_roles(cast.supervisor, cast.today - timedelta(days=1))
    paula = client_for(cast.admin)
    url = reverse("records:access_review")
    page = paula.get(url).text
    assert "Riitta Rehtori" in page  # the register responsible person: every case
    assert cast.kuraattori.display_name in page and cast.supervisor.display_name in page
    assert "ei: tehtävä on päättynyt" in page  # Sanna's membership gives nothing now
    assert f"<td>{case.pk}</td>" in page and f"<td>{closed.pk}</td>" not in page
    assert cast.aino.full_name not in page  # the review is about staff, not students
    assert client_for(cast.kuraattori).get(url).status_code == 404
    assert paula.post(url, {"note": "Sannan jäsenyys pyydetty päättämään."}).status_code == 302
    review = AccessReview.objects.get()
    assert (review.provider, review.reviewed_by) == (cast.provider, cast.admin)
    assert "Sannan jäsenyys" in paula.get(url).text


def test_the_access_review_pages_without_more_queries(cast, django_assert_max_num_queries):
    for _ in range(3):
        open_aino_case(cast)
    paula = client_for(cast.admin)
    paula.get(reverse("records:access_review"))
    with django_assert_max_num_queries(20):
        paula.get(reverse("records:access_review"))
