from datetime import date, timedelta
from types import SimpleNamespace

import pytest


@pytest.fixture
def sv(cast):
    """The lukio's welfare group and ten more lukio students with accounts, in groups 24A
    and 24B, so that surveys reach the small-cell threshold."""
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.meetings import actions as meeting_actions
    from opiskeluhuolto.meetings.models import Group
    from opiskeluhuolto.organisation import actions
    from opiskeluhuolto.organisation.models import StudentGroup

    admin = cast.users["admin"]
    group = meeting_actions.create_group(
        by=admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Etu-Töölön lukion opiskeluhuoltoryhmä",
        institution=cast.lukio,
        campus=cast.lukio_campus,
        chair=cast.users["rehtori"],
    )
    meeting_actions.add_member(group, by=admin, user=cast.users["kuraattori"], role="secretary")
    other = StudentGroup.objects.create(
        institution=cast.lukio, campus=cast.lukio_campus, name="24B"
    )
    students = []
    for i in range(10):
        user = User.objects.create_user(
            username=f"opisk{i}", password="x", email=f"o{i}@test.invalid"
        )
        students.append(
            actions.enrol_student(
                user=user,
                institution=cast.lukio,
                campus=cast.lukio_campus,
                group=cast.group if i < 7 else other,
                first_name=f"Opiskelija{i}",
                last_name="Testi",
                date_of_birth=date(2008, 1, 1 + i),
            )
        )
    today = cast.today
    return SimpleNamespace(
        group=group,
        other_group=other,
        students=students,
        users=[s.user for s in students],
        today=today,
        window=(today - timedelta(days=1), today + timedelta(days=6)),
        admin=admin,
        kuraattori=cast.users["kuraattori"],
    )


@pytest.fixture
def open_survey(sv, cast):
    """The bullying survey from its template, for the lukio's students, open now."""
    from opiskeluhuolto.surveys import actions

    survey = actions.create_from_template(
        "bullying", sv.group, by=sv.kuraattori, institution=cast.lukio
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    return actions.open_survey(survey, by=sv.kuraattori, today=sv.today)


def full_answers(survey, pick=0) -> dict:
    """A valid answer to every question: the `pick`-th option, a number, a text."""
    out = {}
    for q in survey.questions.all():
        if q.kind in ("likert", "choice"):
            out[str(q.pk)] = q.option_values()[pick % len(q.option_values())]
        elif q.kind == "multi":
            out[str(q.pk)] = q.option_values()[:1]
        elif q.kind == "number":
            out[str(q.pk)] = q.minimum or 0
        else:
            out[str(q.pk)] = "Enemmän valvontaa välitunneilla."
    return out


def five_and_five(sv, survey=None) -> None:
    """Move two of 24A's students to 24B: 24B has 5 invitees, 24A 5 (6 with the cast's
    Aino), so an anonymous survey stores both groups (test_anonymity.py). `survey`, when
    already open: its breakdown cells fixed again, as if the students had been in these
    groups when it opened."""
    from opiskeluhuolto.organisation.models import Student
    from opiskeluhuolto.surveys.actions.running import _fix_breakdown_cells

    Student.objects.filter(pk__in=[sv.students[5].pk, sv.students[6].pk]).update(
        group=sv.other_group
    )
    if survey is not None:
        invitees = list(survey.invitations.values_list("user_id", flat=True))
        _fix_breakdown_cells(survey, invitees)


def mixed(survey):
    """The survey's waiting answer sheets written into the answer side now, whatever
    their number and with the breakdown units they wait with, as the mixer writes a
    full cell's batch (actions.mixing): for tests that read the answer side, and which
    cell a response carries, of a survey still open. (In a test's rolled-back
    transaction the mixer the answer's commit would enqueue never runs; closing would
    coarsen a cell of fewer than five, which these tests do not look at.)"""
    import random

    from django.db import transaction

    from opiskeluhuolto.surveys.actions import mixing
    from opiskeluhuolto.surveys.models import PendingSheet

    with transaction.atomic():
        rows = list(PendingSheet.objects.filter(survey_id=survey.pk))
        sheets = [mixing.Sheet(r.campus_id, r.student_group_id, r.answers) for r in rows]
        texts = [(qid, text, "pending") for r in rows for qid, text in r.texts]
        PendingSheet.objects.filter(pk__in=[r.pk for r in rows]).delete()
        random.Random(0).shuffle(sheets)
        mixing._write(survey, sheets, texts)
    return survey
