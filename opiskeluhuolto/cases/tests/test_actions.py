"""Referral, consent, case and prohibition rules (LAW.md L-16-*, L-19-*, L-18-1, L-GDPR-8)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from opiskeluhuolto.cases import actions, expert_groups
from opiskeluhuolto.cases.models import Case, Consent, ExpertGroupMembership, Referral
from opiskeluhuolto.lib.workdays import nth_working_day_after

from .story import meeting, onni_prohibited_case, open_aino_case, prohibit_onni_guardian

pytestmark = pytest.mark.django_db


def test_referral_without_student_records_notice_deadline_from_school_calendar(cast):
    referral = actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="Huoli")
    expected = nth_working_day_after(cast.lukio.school_calendar(), referral.received_on, 7)
    assert referral.student_notice_due == expected
    assert referral.needs_student_notice
    actions.record_student_notice(referral, by=cast.kuraattori, method="kasvokkain")
    referral.refresh_from_db()
    assert referral.student_notified_by == cast.kuraattori and not referral.needs_student_notice
    with pytest.raises(ValidationError):
        actions.record_student_notice(referral, by=cast.kuraattori, method="again")


def test_referral_deadline_skips_christmas_break(cast):
    year = cast.school_year
    # The cast's autumn term ends 21.12.; the next working day after is in January.
    with time_machine.travel(date(year.starts_on.year, 12, 18), tick=False):
        referral = actions.file_referral(
            cast.aino,
            by=cast.teacher,
            channel="staff",
            reason="Huoli",
            received_on=date(year.starts_on.year, 12, 18),
        )
    assert referral.student_notice_due.year == year.starts_on.year + 1


def test_referral_with_student_has_no_notice_due(cast):
    referral = actions.file_referral(
        cast.aino, by=cast.teacher, channel="staff", reason="x", with_student=True
    )
    assert referral.student_notice_due is None and not referral.needs_student_notice


def test_guardian_notice_is_mailed_after_commit(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = actions.file_referral(
            cast.aino, by=cast.teacher, channel="staff", reason="Huoli"
        )
    assert referral.guardian_notice == Referral.GuardianNotice.SENT
    assert [m.to for m in mailoutbox] == [[cast.guardian.email]]
    assert "Huoli" not in mailoutbox[0].body  # no confidential content in the notice
    assert "Aino" in mailoutbox[0].body


def test_guardian_notice_suppressed_by_prohibition(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    onni_prohibited_case(cast)
    with django_capture_on_commit_callbacks(execute=True):
        referral = actions.file_referral(
            cast.onni, by=cast.teacher, channel="staff", reason="Uusi huoli"
        )
    assert referral.guardian_notice == Referral.GuardianNotice.SUPPRESSED
    assert mailoutbox == []


def test_a_prohibition_recorded_after_the_notice_was_queued_stops_it(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    """L-16-3 at sending time: the notice is queued when the referral commits; a §18(2)
    prohibition recorded before the task runs still stops it (the task rechecks)."""
    with django_capture_on_commit_callbacks(execute=False) as queued:
        referral = actions.file_referral(
            cast.onni, by=cast.teacher, channel="staff", reason="Huoli jaksamisesta"
        )
    assert referral.guardian_notice == Referral.GuardianNotice.SENT and len(queued) == 1
    assert cast.onni.guardianships.filter(guardian__email__gt="").exists()  # would be mailed
    prohibit_onni_guardian(cast)
    for send in queued:
        send()  # the task runs now, after the prohibition
    assert mailoutbox == []
    referral.refresh_from_db()
    assert referral.guardian_notice == Referral.GuardianNotice.SUPPRESSED
    assert referral.guardian_notice_at is None  # no time of a notice that was never sent


def test_a_guardian_whose_access_is_refused_is_not_told(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    """L-16-3 "unless another law": a guardian whose access to the student's data the
    register refused (tietosuojalaki 34 §, L-GDPR-5) gets no notice; ended, the next does."""
    from opiskeluhuolto.access.models import AccessRestriction, Ground

    refusal = AccessRestriction.objects.create(
        student=cast.aino, person=cast.guardian, ground=Ground.HEALTH, recorded_by=cast.rehtori
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="Huoli")
    assert mailoutbox == []
    AccessRestriction.objects.filter(pk=refusal.pk).update(ended_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="Huoli 2")
    assert [m.to for m in mailoutbox] == [[cast.guardian.email]]


def test_a_guardian_refused_one_matter_is_told_of_a_new_contact(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    """A refusal of one matter (a data request answered in part, L-GDPR-5) withholds that
    matter only: a new contact is no part of it, so the guardian is told (L-16-3)."""
    from opiskeluhuolto.access.models import AccessRestriction, Ground

    case = open_aino_case(cast)
    mailoutbox.clear()
    AccessRestriction.objects.create(
        student=cast.aino,
        person=cast.guardian,
        case=case,
        ground=Ground.HEALTH,
        recorded_by=cast.rehtori,
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="Huoli")
    assert [m.to for m in mailoutbox] == [[cast.guardian.email]]


def test_students_wish_holds_notice_until_assessed(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = actions.file_referral(
            cast.aino,
            by=cast.teacher,
            channel="staff",
            reason="x",
            student_wishes_no_guardian_notice=True,
        )
    assert referral.guardian_notice == Referral.GuardianNotice.PENDING and mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        actions.release_guardian_notice(referral, by=cast.kuraattori)
    assert len(mailoutbox) == 1


def test_adult_and_self_referral_have_no_guardian_notice(cast):
    adult = actions.file_referral(
        cast.eero, by=cast.kuraattori, channel="staff", reason="x", with_student=True
    )
    own = actions.file_referral(
        cast.aino, by=cast.student, channel="self", reason="Haluaisin jutella"
    )
    assert adult.guardian_notice == own.guardian_notice == Referral.GuardianNotice.NOT_APPLICABLE
    assert own.with_student


def test_only_the_student_self_refers(cast):
    with pytest.raises(ValidationError) as e:
        actions.file_referral(cast.aino, by=cast.teacher, channel="self", reason="x")
    assert "channel" in e.value.message_dict


def test_external_referral_names_the_professional(cast):
    with pytest.raises(ValidationError) as e:
        actions.file_referral(cast.aino, by=cast.kuraattori, channel="external", reason="x")
    assert "referrer_description" in e.value.message_dict
    r = actions.file_referral(
        cast.aino,
        by=cast.kuraattori,
        channel="external",
        reason="x",
        referrer_description="Nuorisotyö, Jari",
    )
    assert r.channel == "external"


def test_missing_reason_is_refused(cast):
    with pytest.raises(ValidationError) as e:
        actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="  ")
    assert "reason" in e.value.message_dict


def test_case_has_members_from_consent_and_one_responsible(cast):
    case = open_aino_case(cast)
    members = {m.user for m in case.memberships.all()}
    assert members == {cast.kuraattori, cast.supervisor}
    assert case.responsible(cast.today) == cast.kuraattori
    assert case.record.subject == "Opiskelujen tukeminen"
    assert case.record.student_hetu == cast.aino.hetu
    assert "Matti" in case.record.guardians


def _referral_with_consent(cast):
    """A teacher's referral of Aino and her written consent naming the kuraattori."""
    referral = actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="x")
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        kind="expert_group",
        given_by="student",
        how="written",
        given_on=cast.today,
        named_members=[cast.kuraattori],
    )
    return referral, consent


@pytest.mark.parametrize("background", ["", "   \n "])
def test_a_case_is_not_opened_without_its_background(cast, background):
    """LAW.md L-20-1 (377/2022): the record holds the matter's background."""
    referral, consent = _referral_with_consent(cast)
    with pytest.raises(ValidationError) as e:
        expert_groups.open_case(
            referral,
            by=cast.kuraattori,
            subject="Jaksaminen",
            background=background,
            consent=consent,
            members=[cast.kuraattori],
            responsible=cast.kuraattori,
        )
    assert e.value.message_dict["background"] == [
        "Kirjoita asian tausta: lyhyesti, mikä on johtanut asian vireille tuloon."
    ]
    assert not Case.objects.exists()
    referral.refresh_from_db()
    assert referral.status == Referral.Status.OPEN


def test_the_background_is_kept_trimmed_on_the_case_and_its_record(cast):
    case = open_aino_case(cast)
    assert case.background == "Opettaja on huolissaan Ainon poissaoloista ja jaksamisesta."
    assert case.record.background == case.background
    referral, consent = _referral_with_consent(cast)
    padded = expert_groups.open_case(
        referral,
        by=cast.kuraattori,
        subject="Jaksaminen",
        background="  Väsymystä aamuisin.\n ",
        consent=consent,
        members=[cast.kuraattori],
        responsible=cast.kuraattori,
    )
    assert padded.background == padded.record.background == "Väsymystä aamuisin."


def test_member_outside_consent_is_refused(cast):
    referral, consent = _referral_with_consent(cast)
    with pytest.raises(ValidationError) as e:
        expert_groups.open_case(
            referral,
            by=cast.kuraattori,
            subject="x",
            background="x",
            consent=consent,
            members=[cast.kuraattori, cast.psykologi],
            responsible=cast.kuraattori,
        )
    assert "ei ole nimettynä suostumuksessa" in e.value.message_dict["members"][0]
    assert not Case.objects.exists()


def test_a_role_in_the_consent_grants_nothing(cast):
    """LAW.md L-19-1: members by name; a role beside the names lets no holder of it in."""
    case = open_aino_case(cast)
    base = dict(
        recorded_by=cast.kuraattori,
        case=case,
        kind="participants",
        given_by="student",
        how="written",
        given_on=cast.today,
    )
    with pytest.raises(ValidationError) as e:
        expert_groups.give_consent(cast.aino, named_roles=["psychologist"], **base)
    assert "named_members" in e.value.message_dict
    consent = expert_groups.give_consent(
        cast.aino, named_members=[cast.nurse], named_roles=["psychologist"], **base
    )
    with pytest.raises(ValidationError):
        expert_groups.add_members(
            case, by=cast.kuraattori, consent=consent, members=[cast.psykologi]
        )
    expert_groups.add_members(case, by=cast.kuraattori, consent=consent, members=[cast.nurse])
    assert {m.user for m in case.memberships.active_on(cast.today)} == {
        cast.kuraattori,
        cast.supervisor,
        cast.nurse,
    }


def test_guardian_consent_needs_recorded_capacity_assessment_not_age(cast):
    kwargs = dict(
        recorded_by=cast.kuraattori,
        kind="expert_group",
        given_by="guardian",
        guardian=cast.guardian,
        how="written",
        given_on=cast.today,
        named_members=[cast.kuraattori],
    )
    with pytest.raises(ValidationError) as e:
        expert_groups.give_consent(cast.aino, **kwargs)
    assert "capacity_assessment" in e.value.message_dict
    c = expert_groups.give_consent(
        cast.aino, capacity_assessment="Ei kykene arvioimaan merkitystä.", **kwargs
    )
    assert c.capacity_assessed_by == cast.kuraattori
    # A person who is not the student's guardian cannot consent for her.
    with pytest.raises(ValidationError) as e:
        expert_groups.give_consent(
            cast.aino, capacity_assessment="x", **{**kwargs, "guardian": cast.guardian_onni}
        )
    assert "guardian" in e.value.message_dict


def test_unspecified_consent_is_refused(cast):
    with pytest.raises(ValidationError) as e:
        expert_groups.give_consent(
            cast.aino,
            recorded_by=cast.kuraattori,
            kind="expert_group",
            given_by="student",
            how="written",
            given_on=cast.today,
        )
    assert "named_members" in e.value.message_dict


def test_transfer_consent_names_another_provider(cast):
    base = dict(
        recorded_by=cast.kuraattori,
        kind="transfer",
        given_by="student",
        how="written",
        given_on=cast.today,
    )
    with pytest.raises(ValidationError):
        expert_groups.give_consent(cast.aino, **base)
    with pytest.raises(ValidationError):
        expert_groups.give_consent(cast.aino, recipient_provider=cast.provider, **base)
    c = expert_groups.give_consent(cast.aino, recipient_provider=cast.other_provider, **base)
    assert c.recipient == cast.other_provider.name


def test_withdrawal_ends_memberships_closes_case_and_blocks_entries(cast):
    case = open_aino_case(cast)
    consent = case.consents.get()
    expert_groups.withdraw_consent(consent, by=cast.kuraattori)
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED
    assert not ExpertGroupMembership.objects.filter(case=case).active_on(cast.today).exists()
    with pytest.raises(ValidationError):
        meeting(case, cast.kuraattori)
    with pytest.raises(ValidationError):
        expert_groups.withdraw_consent(consent, by=cast.kuraattori)
    assert Consent.objects.get(pk=consent.pk).withdrawal_recorded_by == cast.kuraattori


def test_withdrawing_participant_consent_ends_only_its_memberships(cast):
    case = open_aino_case(cast)
    extra = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="participants",
        given_by="student",
        how="written",
        given_on=cast.today,
        named_members=[cast.psykologi],
    )
    expert_groups.add_members(case, by=cast.kuraattori, consent=extra, members=[cast.psykologi])
    expert_groups.withdraw_consent(extra, by=cast.kuraattori)
    active = {m.user for m in case.memberships.active_on(cast.today)}
    assert active == {cast.kuraattori, cast.supervisor}


def test_prohibition_requires_a_social_or_health_professional(cast):
    base = dict(
        by=cast.kuraattori,
        reason="syy",
        assessor_profession="opettaja",
        assessment="arvio",
        decided_on=cast.today,
    )
    with pytest.raises(ValidationError) as e:
        actions.record_prohibition(cast.aino, assessed_by=cast.teacher, **base)
    assert "assessed_by" in e.value.message_dict
    with pytest.raises(ValidationError):
        actions.record_prohibition(cast.eero, assessed_by=cast.kuraattori, **base)  # adult


def test_close_case_ends_access(cast):
    case = open_aino_case(cast)
    expert_groups.close_case(case, by=cast.kuraattori)
    assert not case.memberships.active_on(cast.today).exists()
    with pytest.raises(ValidationError):
        expert_groups.close_case(case, by=cast.kuraattori)


def test_membership_ended_yesterday_is_not_active_today(cast):
    case = open_aino_case(cast)
    m = case.memberships.get(user=cast.supervisor)
    ExpertGroupMembership.objects.filter(pk=m.pk).update(ended_on=cast.today - timedelta(days=1))
    assert not case.memberships.active_on(cast.today).filter(user=cast.supervisor).exists()


def test_close_referral_needs_a_reason_and_happens_once(cast):
    referral = actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="x")
    with pytest.raises(ValidationError):
        actions.close_referral(referral, by=cast.kuraattori, reason="")
    actions.close_referral(referral, by=cast.kuraattori, reason="advice_only")
    referral.refresh_from_db()
    assert referral.status == "closed" and referral.closed_by == cast.kuraattori
    with pytest.raises(ValidationError):
        actions.close_referral(referral, by=cast.kuraattori, reason="unnecessary")


def test_responsible_person_changes_with_history(cast):
    case = open_aino_case(cast)
    expert_groups.set_responsible(case, by=cast.kuraattori, user=cast.supervisor)
    assert case.responsible(cast.today) == cast.supervisor
    current = case.memberships.active_on(cast.today)
    assert {m.user for m in current} == {cast.kuraattori, cast.supervisor}
    assert current.filter(is_responsible=True).count() == 1
    assert case.memberships.filter(ended_on=cast.today).count() == 2  # the history stays
    with pytest.raises(ValidationError):
        expert_groups.set_responsible(case, by=cast.supervisor, user=cast.psykologi)
