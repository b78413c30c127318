"""Written, specified consent (issue 14 item 3; LAW.md L-19-1, L-19-2, L-22-2, L-GDPR-8).

Members come only from a written consent naming each of them; an oral consent is recorded
as a note and grants nothing, neither members nor a basis for disclosure; a guardian's
consent rests on a capacity assessment recorded by a welfare professional.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.cases import actions, expert_groups
from opiskeluhuolto.cases.models import Case, Consent
from opiskeluhuolto.records import actions as record_actions
from opiskeluhuolto.records.models import Disclosure

from .story import open_aino_case

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _participants(cast, case, how, members):
    return expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="participants",
        given_by="student",
        how=how,
        given_on=cast.today,
        named_members=members,
    )


def test_an_oral_consent_adds_no_member(cast):
    case = open_aino_case(cast)
    oral = _participants(cast, case, "oral", [cast.psykologi])
    assert not oral.is_written
    with pytest.raises(ValidationError) as e:
        expert_groups.add_members(case, by=cast.kuraattori, consent=oral, members=[cast.psykologi])
    assert "how" in e.value.message_dict
    assert not case.memberships.filter(user=cast.psykologi).exists()
    written = _participants(cast, case, "written", [cast.psykologi])
    expert_groups.add_members(case, by=cast.kuraattori, consent=written, members=[cast.psykologi])
    assert case.memberships.active_on(cast.today).filter(user=cast.psykologi).exists()


def test_an_electronic_identified_consent_is_written(cast):
    case = open_aino_case(cast)
    consent = _participants(cast, case, "electronic", [cast.psykologi])
    expert_groups.add_members(case, by=cast.kuraattori, consent=consent, members=[cast.psykologi])
    assert case.memberships.filter(user=cast.psykologi).exists()


def test_a_case_is_not_opened_on_an_oral_consent(cast):
    referral = actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="x")
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        kind="expert_group",
        given_by="student",
        how="oral",
        given_on=cast.today,
        named_members=[cast.kuraattori],
    )
    with pytest.raises(ValidationError) as e:
        expert_groups.open_case(
            referral,
            by=cast.kuraattori,
            subject="x",
            background="x",
            consent=consent,
            members=[cast.kuraattori],
            responsible=cast.kuraattori,
        )
    assert "how" in e.value.message_dict
    assert not Case.objects.exists()


def test_an_oral_consent_is_no_basis_for_disclosure(cast):
    case = open_aino_case(cast)
    oral = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        case=case,
        kind="disclosure",
        given_by="student",
        how="oral",
        given_on=cast.today,
        recipient="Nuorisoasema",
    )
    with pytest.raises(ValidationError) as e:
        record_actions.disclose(
            case,
            by=cast.kuraattori,
            recipient="Nuorisoasema",
            data_items="Tapaamiset",
            basis="consent",
            consent=oral,
        )
    assert "consent" in e.value.message_dict
    assert not Disclosure.objects.exists()


def test_the_page_records_an_oral_consent_as_a_note_only(cast):
    case = open_aino_case(cast)
    data = {
        "kind": "participants",
        "given_by": "student",
        "how": "oral",
        "given_on": cast.today.isoformat(),
        "named_members": [cast.psykologi.pk],
    }
    kaisa = client_for(cast.kuraattori)
    r = kaisa.post(reverse("cases:add_consent", args=[case.pk]), data, follow=True)
    assert r.status_code == 200 and "merkitty muistiinpanoksi" in r.text
    assert Consent.objects.filter(case=case, how="oral").exists()
    assert not case.memberships.filter(user=cast.psykologi).exists()
    assert "muistiinpano: ei anna oikeuksia" in r.text  # the consent list says so too
    # A written consent naming the psychologist adds her.
    r = kaisa.post(reverse("cases:add_consent", args=[case.pk]), {**data, "how": "written"})
    assert r.status_code == 302
    assert case.memberships.active_on(cast.today).filter(user=cast.psykologi).exists()


def test_the_capacity_assessment_is_recorded_by_a_welfare_professional(cast):
    """LAW.md L-GDPR-8: the guardian consents only on a welfare professional's assessment."""
    case = open_aino_case(cast)
    base = dict(
        case=case,
        kind="participants",
        given_by="guardian",
        guardian=cast.guardian,
        capacity_assessment="Ei pysty arvioimaan suostumuksen merkitystä.",
        how="written",
        given_on=cast.today,
        named_members=[cast.psykologi],
    )
    with pytest.raises(ValidationError) as e:
        expert_groups.give_consent(cast.aino, recorded_by=cast.supervisor, **base)
    assert "capacity_assessed_by" in e.value.message_dict
    with pytest.raises(ValidationError):
        expert_groups.give_consent(
            cast.aino, recorded_by=cast.supervisor, capacity_assessed_by=cast.teacher, **base
        )
    consent = expert_groups.give_consent(
        cast.aino, recorded_by=cast.supervisor, capacity_assessed_by=cast.kuraattori, **base
    )
    assert (consent.recorded_by, consent.capacity_assessed_by) == (cast.supervisor, cast.kuraattori)
