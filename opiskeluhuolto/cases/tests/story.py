"""The welfare story on the test cast, built through the real actions.

Aino (16) is referred by Teemu (teacher, without her); she consents to an expert
group of Kaisa (kuraattori, responsible) and Sanna (her group supervisor); Kalle
(kuraattori at another institution) is not in it. Kaisa records a meeting.
Onni (15) has a case with a guardian prohibition covering all his matters.
"""

from __future__ import annotations

from opiskeluhuolto.cases import actions, expert_groups
from opiskeluhuolto.records import actions as record_actions


def open_aino_case(
    cast,
    *,
    members=None,
    responsible=None,
    reason="Poissaoloja ja väsymystä.",
    subject="Opiskelujen tukeminen",
    background="Opettaja on huolissaan Ainon poissaoloista ja jaksamisesta.",
):
    referral = actions.file_referral(cast.aino, by=cast.teacher, channel="staff", reason=reason)
    members = members or [cast.kuraattori, cast.supervisor]
    consent = expert_groups.give_consent(
        cast.aino,
        recorded_by=cast.kuraattori,
        kind="expert_group",
        given_by="student",
        how="written",
        given_on=cast.today,
        named_members=members,
    )
    return expert_groups.open_case(
        referral,
        by=cast.kuraattori,
        subject=subject,
        background=background,
        consent=consent,
        members=members,
        responsible=responsible or cast.kuraattori,
    )


def meeting(case, by, **overrides):
    values = {
        "kind": "meeting",
        "meeting_date": case.opened_on,
        "participants": [
            {"name": "Kaisa Kuraattori", "position": "kuraattori"},
            {"name": "Aino Opiskelija", "position": "opiskelija"},
        ],
        "decisions": "Aino tapaa kuraattoria viikoittain.",
        "plan": "Tapaamiset maanantaisin.",
        "implementers": "Kaisa Kuraattori",
        "followers": "Sanna Ohjaaja",
        "follow_up_on": case.opened_on,
    }
    values.update(overrides)
    return record_actions.add_entry(case, by=by, **values)


def onni_prohibited_case(cast):
    referral = actions.file_referral(
        cast.onni,
        by=cast.teacher,
        channel="staff",
        reason="Huoli kotitilanteesta.",
        with_student=True,
    )
    consent = expert_groups.give_consent(
        cast.onni,
        recorded_by=cast.kuraattori,
        kind="expert_group",
        given_by="student",
        how="written",
        given_on=cast.today,
        named_members=[cast.kuraattori],
    )
    case = expert_groups.open_case(
        referral,
        by=cast.kuraattori,
        subject="Kotitilanne",
        background="Onni kertoi opettajalle huolesta kotona.",
        consent=consent,
        members=[cast.kuraattori],
        responsible=cast.kuraattori,
    )
    prohibit_onni_guardian(cast)
    return case


def prohibit_onni_guardian(cast, case=None):
    """Onni's §18(2) prohibition (L-18-1), assessed by Kaisa: covering all his matters, or
    only `case`."""
    return prohibit_guardian(cast, cast.onni, case)


def prohibit_guardian(cast, student, case=None):
    """A minor's §18(2) prohibition of her guardians (L-18-1), assessed by Kaisa: covering
    all her matters, or only `case`."""
    return actions.record_prohibition(
        student,
        by=cast.kuraattori,
        reason="Painava syy: perheen tilanne.",
        assessed_by=cast.kuraattori,
        assessor_profession="kuraattori (sosiaalityöntekijä)",
        assessment="Kielto ei ole vastoin opiskelijan etua.",
        decided_on=cast.today,
        case=case,
    )
