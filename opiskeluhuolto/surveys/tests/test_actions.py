"""The survey rules, called directly: building, audience, window, answering, release."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from opiskeluhuolto.surveys import actions, library
from opiskeluhuolto.surveys.models import (
    Answer,
    Invitation,
    PendingSheet,
    Response,
    Survey,
    TextAnswer,
)

from .conftest import full_answers, mixed

pytestmark = pytest.mark.django_db


def test_every_template_builds_in_three_languages(sv, cast):
    for key in library.TEMPLATES:
        survey = actions.create_from_template(
            key, sv.group, by=sv.kuraattori, institution=cast.lukio
        )
        assert survey.questions.count() >= 3
        for q in survey.questions.all():
            assert all(q.text.get(lang) for lang in ("fi", "sv", "en")), (key, q.text)
        assert all(survey.title.get(lang) for lang in ("fi", "sv", "en"))


def test_a_template_question_feeds_an_existing_indicator(sv, cast):
    from opiskeluhuolto.meetings import goals

    indicator = goals.create_indicator(
        cast.provider, by=sv.admin, code="kiusatuksi-kk", name="Kiusattu kuukauden aikana",
        direction="lower", target=10, source="own",
    )  # fmt: skip
    survey = actions.create_from_template("bullying", sv.group, by=sv.kuraattori)
    q = survey.questions.get(position=1)
    assert q.indicator == indicator and q.indicator_values == [2, 3, 4]


def test_a_question_needs_text_and_options(sv):
    survey = actions.create_survey(
        sv.group, by=sv.kuraattori, title={"fi": "Oma"}, audience="students"
    )
    with pytest.raises(ValidationError) as e:
        actions.add_question(
            survey, kind="choice", text={"fi": ""}, options=[{"value": 1, "fi": "a"}]
        )
    assert set(e.value.message_dict) == {"text", "options"}
    assert not survey.questions.exists()


def test_audience_students_guardians_staff(sv, cast):
    survey = actions.create_survey(
        sv.group, by=sv.kuraattori, title={"fi": "x"}, audience="students", institution=cast.lukio
    )
    students = set(actions.audience_users(survey))
    assert set(sv.users) <= students and cast.users["student"] in students
    assert cast.users["adult"] not in students  # Eero studies at the amis
    survey.student_group = sv.other_group
    assert set(actions.audience_users(survey)) == set(sv.users[7:])
    survey.student_group, survey.audience = None, "guardians"
    guardians = set(actions.audience_users(survey))
    assert cast.users["guardian"] in guardians and cast.users["guardian_onni"] in guardians
    survey.audience = "staff"
    staff = set(actions.audience_users(survey))
    assert cast.users["kuraattori"] in staff and cast.users["external"] not in staff
    assert cast.users["student"] not in staff


def test_results_date_from_the_clock_text():
    assert actions.results_date("aikaisintaan marraskuussa", date(2026, 10, 31)) == date(
        2026, 11, 1
    )
    assert actions.results_date("aikaisintaan tammikuussa", date(2026, 12, 7)) == date(2027, 1, 1)
    assert actions.results_date("syksyllä", date(2027, 4, 30)) == date(2027, 9, 1)
    assert actions.results_date("", date(2027, 2, 12)) == date(2027, 2, 26)


def test_window_from_a_clock_item(sv, cast):
    from opiskeluhuolto.annualclock import actions as clock_actions

    clock = clock_actions.create_clock(
        by=sv.admin, provider=cast.provider, name="Vuosikello", kind="welfare"
    )
    item = clock_actions.add_item(
        clock, by=sv.admin, title="Huoltajakysely", type="survey", kind="weeks",
        first_week=43, last_week=44, results_due="aikaisintaan marraskuussa",
    )  # fmt: skip
    survey = actions.create_from_template("guardian", sv.group, by=sv.kuraattori)
    actions.window_from_item(survey, item, today=date(2026, 9, 1))
    assert (survey.opens_on, survey.closes_on) == (date(2026, 10, 19), date(2026, 11, 1))
    assert survey.results_on == date(2026, 11, 2)  # the day after, already in November
    assert survey.clock_item == item


def test_answer_once(open_survey, sv):
    actions.submit(open_survey, sv.users[0], full_answers(open_survey), today=sv.today)
    with pytest.raises(actions.AlreadyAnswered):
        actions.submit(open_survey, sv.users[0], full_answers(open_survey), today=sv.today)
    assert PendingSheet.objects.filter(survey=open_survey).count() == 1
    assert Response.objects.filter(survey=mixed(open_survey)).count() == 1


def test_save_and_continue(open_survey, sv):
    q1 = open_survey.questions.get(position=1)
    actions.save_draft(open_survey, sv.users[0], {str(q1.pk): 2}, today=sv.today)
    assert actions.draft_of(open_survey, sv.users[0]) == {str(q1.pk): 2}
    assert not Response.objects.filter(survey=open_survey).exists()
    assert not PendingSheet.objects.exists()
    actions.submit(open_survey, sv.users[0], full_answers(open_survey), today=sv.today)
    assert actions.draft_of(open_survey, sv.users[0]) == {}


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda a, qs: a.pop(str(qs[0].pk)), "missing"),
        (lambda a, qs: a.update({str(qs[0].pk): 9}), "outside"),
        (lambda a, qs: a.update({str(qs[0].pk): "kolme"}), "not a number"),
        (lambda a, qs: a.update({"99999": 1}), "unknown"),
    ],
)
def test_bad_answers_store_nothing(open_survey, sv, change, field):
    answers = full_answers(open_survey)
    change(answers, list(open_survey.questions.all()))
    with pytest.raises(ValidationError) as e:
        actions.submit(open_survey, sv.users[0], answers, today=sv.today)
    assert e.value.message_dict, field
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert not PendingSheet.objects.exists()
    assert not TextAnswer.objects.exists()
    assert not Invitation.objects.filter(has_answered=True).exists()


def test_after_the_window_and_not_invited(open_survey, sv, cast):
    with pytest.raises(actions.NotOpen):
        actions.submit(
            open_survey,
            sv.users[0],
            full_answers(open_survey),
            today=sv.window[1] + timedelta(days=1),
        )
    with pytest.raises(actions.NotInvited):
        actions.submit(open_survey, cast.users["adult"], full_answers(open_survey), today=sv.today)
    assert not Response.objects.exists()
    assert not PendingSheet.objects.exists()


def test_open_for_lists_only_unanswered_open_surveys(open_survey, sv):
    assert list(actions.open_for(sv.users[0], today=sv.today)) == [open_survey]
    actions.submit(open_survey, sv.users[0], full_answers(open_survey), today=sv.today)
    assert not actions.open_for(sv.users[0], today=sv.today).exists()
    assert not actions.open_for(sv.users[1], today=sv.window[1] + timedelta(days=1)).exists()


def test_release_not_before_the_date_then_evidence(open_survey, sv, cast):
    from opiskeluhuolto.meetings import goals, inbox
    from opiskeluhuolto.meetings.models import DataPoint

    indicator = goals.create_indicator(
        cast.provider, by=sv.admin, code="kiusatuksi-kk", name="Kiusattu", direction="lower",
        target=10, source="own",
    )  # fmt: skip
    q1 = open_survey.questions.get(position=1)
    q1.indicator, q1.indicator_values = indicator, [2, 3, 4]
    q1.save()
    for i, user in enumerate(sv.users):
        actions.submit(open_survey, user, full_answers(open_survey, i % 2), today=sv.today)
    with pytest.raises(ValidationError):
        actions.release(open_survey, by=sv.kuraattori, today=sv.today)  # still open
    day_before = open_survey.results_on - timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.release(open_survey, by=sv.kuraattori, today=day_before)
    released = actions.release_due(today=open_survey.results_on)
    assert [s.pk for s in released] == [open_survey.pk]
    point = DataPoint.objects.get(indicator=indicator)
    assert point.respondents == 10 and point.value == 50.0  # option 2 = "once or twice"
    proposal = inbox.pending(sv.group).get()
    assert proposal.key == f"surveys:{open_survey.pk}" and "Kiusaamiskysely" in proposal.title


def test_close_deletes_drafts(open_survey, sv):
    q1 = open_survey.questions.get(position=1)
    actions.save_draft(open_survey, sv.users[0], {str(q1.pk): 2}, today=sv.today)
    actions.close_survey(open_survey, by=sv.kuraattori, today=sv.today)
    assert actions.draft_of(open_survey, sv.users[0]) == {}
    assert Survey.objects.get(pk=open_survey.pk).status == "closed"


def test_feedback_survey_for_another_app(sv, cast):
    survey = actions.create_feedback_survey(
        sv.group, by=sv.kuraattori, title={"fi": "Palaute: Hyvinvointi virtaa -viikko"},
        invitees=sv.users[:6], opens_on=sv.window[0], closes_on=sv.window[1],
    )  # fmt: skip
    assert survey.status == "open" and survey.invited_count == 6 and survey.audience == "listed"
    assert survey.results_on == sv.window[1] + timedelta(days=7)
    with pytest.raises(ValidationError):
        actions.create_feedback_survey(
            sv.group, by=sv.kuraattori, title={"fi": "Pieni"}, invitees=sv.users[:2],
            opens_on=sv.window[0], closes_on=sv.window[1],
        )  # fmt: skip


def test_invitations_are_emailed_once(open_survey, sv, mailoutbox):
    from opiskeluhuolto.surveys.tasks import send_invitations

    sent = send_invitations.call(open_survey.pk)
    assert sent >= 10 and len(mailoutbox) == sent
    assert all(len(m.to) == 1 for m in mailoutbox)
    assert send_invitations.call(open_survey.pk) == 0


def test_invitations_are_in_each_persons_language_finnish_by_default(open_survey, sv, mailoutbox):
    from opiskeluhuolto.announcements.models import Preference
    from opiskeluhuolto.surveys.tasks import send_invitations

    Preference.objects.create(user=sv.users[0], language="sv")
    Preference.objects.create(user=sv.users[1], language="en")
    send_invitations.call(open_survey.pk)
    by_address = {m.to[0]: m for m in mailoutbox}
    swedish, english = by_address[sv.users[0].email], by_address[sv.users[1].email]
    assert swedish.subject.startswith("Enkät: ") and "Du är inbjuden" in swedish.body
    assert swedish.subject != f"Enkät: {open_survey.title['fi']}"  # the Swedish title
    assert english.subject.startswith("Survey: ") and "You are invited" in english.body
    finnish = by_address[sv.users[2].email]  # chose nothing
    assert finnish.subject.startswith("Kysely: ") and "Sinut on kutsuttu" in finnish.body


def test_the_window_closing_by_itself_deletes_drafts_too(open_survey, sv):
    from opiskeluhuolto.surveys.models import SurveyEvent

    q1 = open_survey.questions.get(position=1)
    actions.save_draft(open_survey, sv.users[0], {str(q1.pk): 2}, today=sv.today)
    day_after = sv.window[1] + timedelta(days=1)
    assert actions.close_past_windows(today=sv.window[1]) == []  # the last day: still open
    assert actions.draft_of(open_survey, sv.users[0]) != {}
    actions.release_due(today=day_after)
    assert Survey.objects.get(pk=open_survey.pk).status == "closed"
    assert actions.draft_of(open_survey, sv.users[0]) == {}
    assert SurveyEvent.objects.filter(survey=open_survey, verb="survey.close").count() == 1
    assert actions.close_past_windows(today=day_after) == []  # closed once
