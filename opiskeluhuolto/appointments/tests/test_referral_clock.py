"""Every request on the §15 clock (LAW.md L-15-1, L-15-5): the student's own request for
help and a staff referral made with the student start it like any request; only contacts
by others may be closed as advice only or obviously unnecessary; every request, however
closed, stays in the compliance figures."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from opiskeluhuolto.appointments import actions
from opiskeluhuolto.appointments.models import AppointmentRequest
from opiskeluhuolto.appointments.notifications import requests_to_warn
from opiskeluhuolto.appointments.reports import compliance_summary
from opiskeluhuolto.cases import actions as cases
from opiskeluhuolto.organisation.models import Role

from .conftest import at

pytestmark = pytest.mark.django_db
NOV = date(2026, 11, 1)


def _self_referral(cast):
    return cases.file_referral(
        cast.aino, by=cast.student, channel="self", reason="Haluaisin jutella jonkun kanssa."
    )


def test_the_students_own_request_for_help_starts_the_clock(cast):
    referral = _self_referral(cast)
    req = referral.discussion_request
    assert req is not None and req.student == cast.aino
    assert req.requested_by == AppointmentRequest.RequestedBy.STUDENT
    assert req.service == Role.SOCIAL_WORKER
    # Monday 9.11.2026: the 7th working day after it.
    assert req.deadline == date(2026, 11, 18)


def test_a_staff_referral_with_the_student_starts_the_clock_and_one_without_does_not(cast):
    together = cases.file_referral(
        cast.aino, by=cast.teacher, channel="staff", reason="Sovittu yhdessä.", with_student=True
    )
    assert together.discussion_request.requested_by == "staff"
    assert together.discussion_request.made_with_student
    alone = cases.file_referral(cast.aino, by=cast.teacher, channel="staff", reason="Huoli.")
    assert alone.discussion_request is None  # the §16 notice to the student instead
    assert alone.student_notice_due is not None


def test_a_referral_request_is_warned_about_before_its_deadline(cast, time_machine):
    referral = _self_referral(cast)
    time_machine.move_to(at(date(2026, 11, 17), 8), tick=False)
    assert referral.discussion_request in requests_to_warn(date(2026, 11, 17))


def test_the_students_own_request_is_not_closed_as_advice_or_unnecessary(cast):
    referral = _self_referral(cast)
    for reason in ("advice_only", "unnecessary"):
        with pytest.raises(ValidationError):
            actions.close_request(referral.discussion_request, reason=reason, actor=cast.kuraattori)
        with pytest.raises(ValidationError):
            cases.close_referral(referral, by=cast.kuraattori, reason=reason)
    # The student may withdraw it; it is then closed with that reason.
    closed = actions.close_request(
        referral.discussion_request, reason="withdrawn", actor=cast.kuraattori
    )
    assert closed.status == AppointmentRequest.Status.CLOSED


def test_a_guardians_request_may_be_closed_as_advice_only(cast):
    req = actions.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by="guardian",
        channel="phone",
        actor=cast.kuraattori,
    )
    assert actions.close_request(req, reason="advice_only", actor=cast.kuraattori).deadline_met


def test_a_referral_closed_as_advice_closes_its_request(cast):
    referral = cases.file_referral(
        cast.onni, by=cast.guardian_onni, channel="guardian", reason="Huoli pojasta."
    )
    cases.close_referral(referral, by=cast.kuraattori, reason="advice_only")
    referral.discussion_request.refresh_from_db()
    assert referral.discussion_request.status == AppointmentRequest.Status.CLOSED


def test_closed_requests_stay_in_the_compliance_figures(cast, time_machine):
    on_time = actions.create_request(
        cast.onni,
        service=Role.SOCIAL_WORKER,
        requested_by="other",
        channel="phone",
        actor=cast.kuraattori,
        requester_description="nuorisotyöntekijä",
    )
    actions.close_request(on_time, reason="unnecessary", actor=cast.kuraattori)
    late = _self_referral(cast).discussion_request
    time_machine.move_to(at(date(2026, 11, 20), 8), tick=False)
    actions.close_request(late, reason="withdrawn", actor=cast.kuraattori)
    rows = compliance_summary(institution_ids=[cast.lukio.pk], start=NOV, end=date(2026, 11, 30))
    assert [(r["total"], r["met"]) for r in rows] == [(2, 1)]
