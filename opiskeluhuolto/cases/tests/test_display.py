"""The case page's lists read with plain SQL: the right rows of the right case, the people's
names, what the access rules need without another query."""

import pytest

from opiskeluhuolto.access.permissions import Permissions
from opiskeluhuolto.cases import actions, display, expert_groups
from opiskeluhuolto.organisation.models import Role

from .story import onni_prohibited_case, open_aino_case

pytestmark = pytest.mark.django_db


def prohibit(cast, case=None, reason="Painava syy."):
    return actions.record_prohibition(
        cast.aino,
        case=case,
        by=cast.kuraattori,
        reason=reason,
        assessed_by=cast.psykologi,
        assessor_profession="psykologi",
        assessment="Ei vastoin etua.",
        decided_on=cast.today,
    )


def test_expert_group_lists_current_and_ended_members_of_this_case_only(cast):
    case = open_aino_case(cast)
    onni_prohibited_case(cast)  # Kaisa is a member there too
    expert_groups.set_responsible(case, by=cast.kuraattori, user=cast.supervisor)
    rows = display.expert_group(case)
    assert {m.case_id for m in rows} == {case.pk}
    assert sorted((m.member_name, m.is_responsible, m.ended_on is None) for m in rows) == [
        ("Kaisa Kuraattori", False, True),
        ("Kaisa Kuraattori", True, False),
        ("Sanna Ohjaaja", False, False),
        ("Sanna Ohjaaja", True, True),
    ]
    ended = [m for m in rows if m.ended_on]
    assert all(m.end_reason for m in ended)


def test_expert_group_order_is_the_same_on_every_database(cast):
    """Current members first, the responsible one first; then the ended ones, latest first."""
    from datetime import timedelta

    from opiskeluhuolto.cases.models import ExpertGroupMembership

    case = open_aino_case(cast)
    expert_groups.set_responsible(case, by=cast.kuraattori, user=cast.supervisor)
    # The first memberships ended a week ago, Kaisa's responsible one a day later.
    ended = ExpertGroupMembership.objects.filter(case=case, ended_on__isnull=False)
    ended.update(ended_on=cast.today - timedelta(days=7))
    ended.filter(user=cast.kuraattori).update(ended_on=cast.today - timedelta(days=6))
    rows = [(m.member_name, m.is_responsible, m.ended_on) for m in display.expert_group(case)]
    assert rows == [
        ("Sanna Ohjaaja", True, None),
        ("Kaisa Kuraattori", False, None),
        ("Kaisa Kuraattori", True, cast.today - timedelta(days=6)),
        ("Sanna Ohjaaja", False, cast.today - timedelta(days=7)),
    ]


def test_consents_carry_their_own_names_and_case(cast, django_assert_num_queries):
    case = open_aino_case(cast)
    onni_prohibited_case(cast)  # another case's consent, naming Kaisa
    guardians = expert_groups.give_consent(
        cast.aino,
        case=case,
        recorded_by=cast.supervisor,
        kind="participants",
        given_by="guardian",
        guardian=cast.guardian,
        capacity_assessment="Ei pysty arvioimaan.",
        capacity_assessed_by=cast.kuraattori,
        how="oral",
        given_on=cast.today,
        named_members=[cast.psykologi],
        named_roles=[Role.NURSE],
        other_participants="Mummo",
    )
    first, second = display.consents(case)
    assert (first.kind, second.pk) == ("expert_group", guardians.pk)
    assert sorted(first.member_names) == ["Kaisa Kuraattori", "Sanna Ohjaaja"]
    assert (first.guardian_name, first.recorder_name) == ("", "Kaisa Kuraattori")
    assert second.member_names == ["Pekka Psykologi"]
    assert (second.guardian_name, second.recorder_name) == ("Matti Huoltaja", "Sanna Ohjaaja")
    assert (first.assessor_name, second.assessor_name) == ("", "Kaisa Kuraattori")
    # Decrypted text and JSON as the ORM gives them.
    assert (second.capacity_assessment, second.other_participants) == (
        "Ei pysty arvioimaan.",
        "Mummo",
    )
    assert second.named_roles == [Role.NURSE]
    assert second.named_role_labels() == [str(Role(Role.NURSE).label)]
    student, guardian = Permissions(cast.student), Permissions(cast.guardian)
    for can in (student, guardian):  # the person's own facts, read once per request
        can.own_student, can.guarded_student_ids, can._guardian_blocks  # noqa: B018
    with django_assert_num_queries(0):
        assert second.case is case
        assert student.withdraw_own_consent(first) and student.withdraw_own_consent(second)
        assert guardian.withdraw_own_consent(second) and not guardian.withdraw_own_consent(first)


def test_consents_of_a_case_without_any(cast):
    case = open_aino_case(cast)
    case.consents.update(case=None)
    assert display.consents(case) == []


def test_prohibitions_are_this_cases_and_the_whole_students_newest_first(cast):
    case = open_aino_case(cast)
    other = open_aino_case(cast, members=[cast.kuraattori])
    own = prohibit(cast, case, reason="Tämän asian.")
    prohibit(cast, other, reason="Toisen asian.")
    whole = prohibit(cast, reason="Kaikkien asioiden.")
    actions.lift_prohibition(own, by=cast.kuraattori)
    onni_prohibited_case(cast)  # another student's prohibition
    rows = display.prohibitions(case)
    assert [p.pk for p in rows] == [whole.pk, own.pk]
    assert [p.reason for p in rows] == ["Kaikkien asioiden.", "Tämän asian."]
    assert [p.assessor_name for p in rows] == ["Pekka Psykologi", "Pekka Psykologi"]
    assert rows[0].case_id is None and rows[0].lifted_at is None
    assert rows[1].case_id == case.pk and rows[1].lifted_at is not None


def test_members_without_role_are_those_the_access_rules_find(cast):
    """The case page reads the memberships once and finds in them the members who lost
    access with their role (LAW.md L-906-4): the same ones as `without_role_on`, the rule
    the access checks use; the members still in a role are not named."""
    from datetime import timedelta

    from .matrix import _member_whose_role_ended

    case = cast.case = open_aino_case(cast)
    ended = _member_whose_role_ended(cast)
    rows = display.expert_group(case, roles_on=cast.today)
    without = display.members_without_role(rows, cast.today)
    rule = list(case.memberships.without_role_on(cast.today).order_by("pk"))
    assert [m.pk for m in without] == [m.pk for m in rule] == [ended.pk]
    assert without[0].member_name == "Nelli Nuoriso"
    # With the role given back, the worker has access again and is not named.
    ended.user.role_assignments.update(valid_until=cast.today + timedelta(days=1))
    rows = display.expert_group(case, roles_on=cast.today)
    assert display.members_without_role(rows, cast.today) == []
    assert not case.memberships.without_role_on(cast.today).exists()
    # Rows read without a day say nothing about roles.
    assert display.members_without_role(display.expert_group(case), cast.today) == []
