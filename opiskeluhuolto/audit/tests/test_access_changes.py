"""Each kind of change of the access rules writes exactly one audit event with its before
and after state, in the transaction of the action (ARCHITECTURE.md decision 10)."""

from __future__ import annotations

from datetime import date

import pytest

from opiskeluhuolto import audit
from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.cases import actions as case_actions
from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.cases.tests.story import open_aino_case
from opiskeluhuolto.meetings import actions as meeting_actions
from opiskeluhuolto.organisation import actions as org_actions

pytestmark = pytest.mark.django_db


def _new(since: int, kind: str | None = None):
    rows = AuditEvent.objects.filter(pk__gt=since).order_by("pk")
    return list(rows.filter(kind=kind) if kind else rows)


def _mark() -> int:
    last = AuditEvent.objects.order_by("-pk").first()
    return last.pk if last else 0


def test_assigning_a_role(cast):
    mark = _mark()
    assignment = org_actions.assign_role(
        cast.teacher,
        role="study_counsellor",
        provider=cast.provider,
        institution=cast.lukio,
        valid_from=date(2026, 8, 1),
        by=cast.admin,
    )
    [event] = _new(mark)
    assert event.kind == audit.Kind.ROLE_ADDED
    assert (event.object_type, event.object_id) == ("organisation.roleassignment", assignment.pk)
    assert (event.actor_id, event.provider_id_ref, event.before) == (
        cast.admin.pk,
        cast.provider.pk,
        None,
    )
    assert event.after == {
        "user": cast.teacher.pk,
        "role": "study_counsellor",
        "provider": cast.provider.pk,
        "institution": cast.lukio.pk,
        "campus": None,
        "valid_from": "2026-08-01",
        "valid_until": None,
        "employer": None,
    }


def test_linking_a_guardian_once(cast):
    mark = _mark()
    org_actions.link_guardian(cast.eero, cast.guardian, by=cast.admin)
    org_actions.link_guardian(cast.eero, cast.guardian, by=cast.admin)  # already linked
    [event] = _new(mark)
    assert event.kind == audit.Kind.GUARDIANSHIP_ADDED
    assert event.student_id_ref == cast.eero.pk
    assert event.after == {"student": cast.eero.pk, "guardian": cast.guardian.pk}


def test_giving_and_withdrawing_a_consent(cast):
    case = open_aino_case(cast)
    mark = _mark()
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        kind="disclosure",
        given_by="student",
        how="written",
        given_on=cast.today,
        case=case,
        recipient="Nuorisoasema",
        scope="Tapaamisten ajat.",
    )
    [given] = _new(mark)
    assert given.kind == audit.Kind.CONSENT_GIVEN and given.before is None
    assert given.after["consent"]["kind"] == "disclosure"
    assert given.after["consent"]["withdrawn_on"] is None
    assert "Tapaamisten" not in str(given.after)  # free text stays out of the trail
    mark = _mark()
    expert_groups.withdraw_consent(consent, by=cast.kuraattori)
    [withdrawn] = _new(mark)
    assert withdrawn.kind == audit.Kind.CONSENT_WITHDRAWN
    assert withdrawn.before["consent"]["withdrawn_on"] is None
    assert withdrawn.after["consent"]["withdrawn_on"] == cast.today.isoformat()
    assert withdrawn.student_id_ref == cast.aino.pk


def test_withdrawing_the_expert_group_consent_shows_the_group_ending(cast):
    case = open_aino_case(cast)
    consent = case.consents.get(kind="expert_group")
    mark = _mark()
    expert_groups.withdraw_consent(consent, by=cast.kuraattori)
    [event] = _new(mark)
    assert [m["user"] for m in event.before["expert_group"]] == sorted(
        [cast.kuraattori.pk, cast.supervisor.pk]
    )
    assert event.after["expert_group"] == []


def test_opening_a_case_and_changing_its_expert_group(cast):
    mark = _mark()
    case = open_aino_case(cast)
    opened = _new(mark, audit.Kind.EXPERT_GROUP_CHANGED)
    assert len(opened) == 1
    assert opened[0].before == [] and len(opened[0].after) == 2
    assert opened[0].object_type == "cases.case" and opened[0].object_id == case.pk

    mark = _mark()
    expert_groups.set_responsible(case, by=cast.kuraattori, user=cast.supervisor)
    [moved] = _new(mark)
    responsible = lambda state: [m["user"] for m in state if m["responsible"]]  # noqa: E731
    assert responsible(moved.before) == [cast.kuraattori.pk]
    assert responsible(moved.after) == [cast.supervisor.pk]

    mark = _mark()
    expert_groups.close_case(case, by=cast.kuraattori)
    [closed] = _new(mark)
    assert closed.kind == audit.Kind.EXPERT_GROUP_CHANGED
    assert len(closed.before) == 2 and closed.after == []


def test_adding_members_with_a_consent(cast):
    case = open_aino_case(cast, members=[cast.kuraattori])
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        kind="participants",
        given_by="student",
        how="written",
        given_on=cast.today,
        case=case,
        named_members=[cast.psykologi],
    )
    mark = _mark()
    expert_groups.add_members(case, by=cast.kuraattori, consent=consent, members=[cast.psykologi])
    [event] = _new(mark)
    assert [m["user"] for m in event.before] == [cast.kuraattori.pk]
    assert sorted(m["user"] for m in event.after) == sorted([cast.kuraattori.pk, cast.psykologi.pk])
    mark = _mark()
    expert_groups.add_members(case, by=cast.kuraattori, consent=consent, members=[cast.psykologi])
    assert _new(mark) == []  # nothing changed, nothing written


def test_recording_and_lifting_a_guardian_prohibition(cast):
    mark = _mark()
    prohibition = case_actions.record_prohibition(
        cast.onni,
        by=cast.kuraattori,
        reason="Painava syy.",
        assessed_by=cast.kuraattori,
        assessor_profession="kuraattori",
        assessment="Ei vastoin etua.",
        decided_on=cast.today,
    )
    [recorded] = _new(mark)
    assert recorded.kind == audit.Kind.PROHIBITION_RECORDED
    assert recorded.student_id_ref == cast.onni.pk and recorded.after["lifted_at"] is None
    assert "Painava" not in str(recorded.after)
    mark = _mark()
    case_actions.lift_prohibition(prohibition, by=cast.kuraattori)
    [lifted] = _new(mark)
    assert lifted.kind == audit.Kind.PROHIBITION_LIFTED
    assert lifted.before["lifted_by"] is None and lifted.after["lifted_by"] == cast.kuraattori.pk


def test_welfare_group_membership(cast):
    from opiskeluhuolto.meetings.models import Group

    group = meeting_actions.create_group(
        by=cast.admin,
        provider=cast.provider,
        kind=Group.Kind.THEME,
        name="Teemaryhmä",
    )
    mark = _mark()
    member = meeting_actions.add_member(group, by=cast.admin, user=cast.psykologi, role="member")
    [added] = _new(mark)
    after = {"group": group.pk, "user": cast.psykologi.pk, "role": "member"}
    assert added.kind == audit.Kind.WELFARE_GROUP_MEMBER_ADDED and added.after == after
    mark, member_id = _mark(), member.pk
    meeting_actions.remove_member(member, by=cast.admin)
    [removed] = _new(mark)
    assert removed.kind == audit.Kind.WELFARE_GROUP_MEMBER_REMOVED
    assert (removed.before, removed.after, removed.object_id) == (after, None, member_id)


def test_a_failed_action_leaves_no_event(cast):
    from django.core.exceptions import ValidationError

    mark = _mark()
    with pytest.raises(ValidationError):
        org_actions.assign_role(
            cast.teacher,
            role="teacher",
            provider=cast.provider,
            institution=cast.other_institution,  # another provider's
            valid_from=date(2026, 8, 1),
            by=cast.admin,
        )
    assert _new(mark) == []


def test_a_roster_import_writes_one_event_per_new_guardianship(cast, tmp_path):
    from opiskeluhuolto.imports import actions as import_actions
    from opiskeluhuolto.imports.tests.helpers import AINO, ROSTER_HEADER, give_learner_ids
    from opiskeluhuolto.organisation.models import Guardianship

    give_learner_ids(cast)
    born = f"{cast.aino.date_of_birth:%d.%m.%Y}"
    path = tmp_path / "roster.csv"
    path.write_text(
        ROSTER_HEADER
        + f"{AINO};Opiskelija;Aino;{born};24A;Etu-Töölö;läsnä;;;{cast.guardian.email}\n"
        + "1.2.246.562.24.30000000001;Uusi;Ulla;3.4.2010;25B;Etu-Töölö;läsnä;;;aiti@example.fi\n",
        encoding="utf-8",
    )
    run = import_actions.create_run(
        cast.lukio, kind="roster", path=path, file_name="roster.csv", user=cast.admin
    )
    mark = _mark()
    assert import_actions.run_import(run, today=cast.today).status == "succeeded", run.errors
    # Aino's guardian was linked already: only Ulla's new guardian is an event.
    [event] = _new(mark)
    link = Guardianship.objects.get(guardian__email="aiti@example.fi")
    assert (event.kind, event.source, event.object_id) == ("guardianship.add", "import", link.pk)
    assert (event.actor_id, event.provider_id_ref) == (cast.admin.pk, cast.provider.pk)
    assert event.after == {"student": link.student_id, "guardian": link.guardian_id}
    assert event.student_id_ref == link.student_id
