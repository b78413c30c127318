"""Anonymity by construction, proven on the database tables themselves (docs/surveys.md).

The properties are read from the live schema (Django's introspection of the test
database, SQLite or PostgreSQL), not from the model classes, so a migration that adds
a linking column fails here.
"""

from __future__ import annotations

import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from opiskeluhuolto.surveys import actions
from opiskeluhuolto.surveys.models import Answer, Invitation, Response, SurveyEvent, TextAnswer

from .conftest import full_answers, mixed

ANSWER_SIDE = {
    "surveys_response": {"id", "survey_id", "campus_id", "student_group_id"},
    "surveys_answer": {"id", "response_id", "question_id", "value"},
    "surveys_textanswer": {"id", "question_id", "text", "screening"},
    # The pending pool (actions.mixing): a sent sheet until it is mixed.
    "surveys_pendingsheet": {
        "id",
        "survey_id",
        "campus_id",
        "student_group_id",
        "answers",
        "texts",
    },
}
PERSON_SIDE = {
    "surveys_invitation": {"id", "survey_id", "user_id", "has_answered", "draft", "emailed"}
}
TIME_TYPES = ("date", "time", "timestamp", "interval")


def columns(table: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        return {
            c.name: str(c.type_code).lower() if connection.vendor == "sqlite" else c.type_code
            for c in connection.introspection.get_table_description(cursor, table)
        }


def relations(table: str) -> dict[str, str]:
    """column → the table it references, from the database's foreign keys."""
    with connection.cursor() as cursor:
        return {
            col: ref[1]
            for col, ref in connection.introspection.get_relations(cursor, table).items()
        }


def column_types(table: str) -> dict[str, str]:
    """column → its declared SQL type, from the database catalogue."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'PRAGMA table_info("{table}")')
            return {row[1]: row[2].lower() for row in cursor.fetchall()}
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return {name: kind.lower() for name, kind in cursor.fetchall()}


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(ANSWER_SIDE))
def test_answer_side_has_only_the_allowed_columns(table):
    """No person, session, IP address or time column: exactly the listed columns."""
    assert set(columns(table)) == ANSWER_SIDE[table]


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(ANSWER_SIDE) + sorted(PERSON_SIDE))
def test_no_time_column_on_either_side(table):
    types = column_types(table)
    assert not [c for c, t in types.items() if any(word in t for word in TIME_TYPES)], types


@pytest.mark.django_db
def test_person_side_columns_and_no_answer_content():
    assert set(columns("surveys_invitation")) == PERSON_SIDE["surveys_invitation"]


@pytest.mark.django_db
def test_no_foreign_key_joins_the_two_sides():
    user_table = apps.get_model("accounts", "User")._meta.db_table
    for table in ANSWER_SIDE:
        targets = set(relations(table).values())
        assert user_table not in targets, table
        assert "django_session" not in targets
        assert "surveys_invitation" not in targets
    assert not set(relations("surveys_invitation").values()) & set(ANSWER_SIDE)
    # Only the named-response table of non-anonymous surveys may point to both.
    for model in apps.get_models():
        table = model._meta.db_table
        if table == "surveys_namedresponse":
            continue
        targets = (
            set(relations(table).values())
            if table in connection.introspection.table_names()
            else set()
        )
        assert not ({user_table, "surveys_invitation"} & targets and set(ANSWER_SIDE) & targets), (
            table
        )


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(ANSWER_SIDE))
def test_answer_side_keys_are_random_not_a_sequence(table):
    """The primary keys are random UUIDs: no sequence to match with the order of answering."""
    types = column_types(table)
    assert "int" not in types["id"], types["id"]


@pytest.mark.django_db
def test_answering_writes_no_link_and_no_time(open_survey, sv):
    events_before = SurveyEvent.objects.count()
    for i, user in enumerate(sv.users[:6]):
        actions.submit(open_survey, user, full_answers(open_survey, i), today=sv.today)
    assert actions.mix(open_survey.pk) == 6
    assert Response.objects.filter(survey=open_survey).count() == 6
    assert Invitation.objects.filter(survey=open_survey, has_answered=True).count() == 6
    # Nothing about the answering was recorded elsewhere (no event, no draft left).
    assert SurveyEvent.objects.count() == events_before
    assert not Invitation.objects.filter(survey=open_survey).exclude(draft={}).exists()
    for r in Response.objects.filter(survey=open_survey):
        assert isinstance(r.pk, uuid.UUID) and r.pk.version == 4
    # Free text cannot be tied to the other answers of its respondent.
    assert TextAnswer.objects.filter(question__survey=open_survey).count() == 6
    assert {f.name for f in TextAnswer._meta.concrete_fields} == {
        "id",
        "question",
        "text",
        "screening",
    }
    # No answer row names a user, an invitation or a session.
    for row in Answer.objects.filter(question__survey=open_survey).values():
        assert not (set(row) & {"user_id", "invitation_id", "session_key"}), row
    # What a response does carry is the breakdown unit only: the students' campus.
    campuses = set(Response.objects.filter(survey=open_survey).values_list("campus_id", flat=True))
    assert campuses == {sv.students[0].campus_id}


@pytest.mark.django_db
def test_a_survey_too_small_to_be_anonymous_is_refused(sv, cast):
    survey = actions.create_from_template(
        "safety", sv.group, by=sv.kuraattori, institution=cast.lukio
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    with pytest.raises(ValidationError, match="vähintään 5"):
        actions.open_survey(survey, by=sv.kuraattori, invitees=sv.users[:4], today=sv.today)
    survey.refresh_from_db()
    assert survey.status == "draft" and not survey.invitations.exists()


@pytest.mark.django_db
def test_a_non_anonymous_survey_says_so_and_links_only_in_its_own_table(sv, cast):
    from opiskeluhuolto.surveys.models import NamedResponse

    survey = actions.create_from_template(
        "event_feedback", sv.group, by=sv.kuraattori, is_anonymous=False, institution=cast.lukio
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    survey = actions.open_survey(survey, by=sv.kuraattori, invitees=sv.users[:3], today=sv.today)
    actions.submit(survey, sv.users[0], full_answers(survey), today=sv.today)
    named = NamedResponse.objects.get(survey=survey)
    assert named.user == sv.users[0]
    assert not survey.is_anonymous


@pytest.mark.django_db
def test_anonymous_surveys_never_get_named_responses(open_survey, sv):
    from opiskeluhuolto.surveys.models import NamedResponse

    actions.submit(open_survey, sv.users[0], full_answers(open_survey), today=sv.today)
    assert not NamedResponse.objects.filter(survey=open_survey).exists()


@pytest.mark.django_db
def test_the_starting_year_breakdown_adds_no_column_to_the_answer_side():
    """The starting year of a response is read from its group's name at read time: no
    year column (which, with a small year, could single out a respondent's row beyond
    the group already stored) on the response or the stored counts."""
    for table in ("surveys_response", "surveys_resultcount"):
        assert not [c for c in columns(table) if "year" in c], table


def test_a_response_to_a_survey_not_for_students_carries_no_campus_or_group(sv, cast):
    """Only a students' survey's response carries the breakdown units, read within its
    insert: a person with a student record answering a staff survey leaves them empty."""
    from opiskeluhuolto.surveys.models import Survey

    survey = actions.create_from_template(
        "bullying", sv.group, by=sv.kuraattori, institution=cast.lukio, audience="staff"
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.OPEN)
    survey.refresh_from_db()
    user = sv.users[0]  # a student: has a campus and a group
    assert sv.students[0].campus_id is not None and sv.students[0].group_id is not None
    Invitation.objects.create(survey=survey, user=user)
    actions.submit(survey, user, full_answers(survey), today=sv.today)
    response = Response.objects.get(survey=mixed(survey))
    assert (response.campus_id, response.student_group_id) == (None, None)


# --- breakdown cells: no stored campus or group narrower than SMALL_CELL invitees ---------
def _stored_cells_and_invitees(survey) -> tuple[set, dict]:
    """The (campus, group) values the survey's responses carry, and for each value the
    number of invitees whose student record (read now) would carry it: a response with
    that value was written by one of them. A value with neither a campus nor a group is
    carried by everyone whose campus or group was not stored."""
    from opiskeluhuolto.organisation.models import Student

    stored = set(
        Response.objects.filter(survey=survey).values_list("campus_id", "student_group_id")
    )
    invitees = list(Invitation.objects.filter(survey=survey).values_list("user_id", flat=True))
    record = {
        s.user_id: (s.campus_id, s.group_id) for s in Student.objects.filter(user_id__in=invitees)
    }
    carriers: dict = {}
    for uid in invitees:
        campus, group = record.get(uid, (None, None))
        if (campus, group) in stored:
            key = (campus, group)
        elif (campus, None) in stored and campus is not None:
            key = (campus, None)
        else:
            key = (None, None)
        carriers[key] = carriers.get(key, 0) + 1
    return stored, carriers


def _answer_all(survey, sv):
    for i, user in enumerate(sv.users):
        actions.submit(survey, user, full_answers(survey, i), today=sv.today)
    assert actions.mix(survey.pk) == len(sv.users)


@pytest.mark.django_db
def test_a_group_with_fewer_invitees_than_the_minimum_is_never_stored(open_survey, sv):
    """24B has 3 invitees (and 24A 7): no response carries 24B, whose has_answered rows
    would name its writers. Nor 24A: the responses without a group would then come from
    24B's three alone. Every stored value is shared by at least SMALL_CELL invitees."""
    from opiskeluhuolto.surveys.models import SMALL_CELL

    assert Invitation.objects.filter(survey=open_survey).count() == 11  # and cast.student
    _answer_all(open_survey, sv)
    stored, carriers = _stored_cells_and_invitees(open_survey)
    assert sv.other_group.pk not in {g for _c, g in stored}
    assert stored == {(sv.students[0].campus_id, None)}
    assert all(n >= SMALL_CELL for n in carriers.values()), carriers


def _open(sv, cast):
    """The bullying survey for the lukio's students, opened now (after the test has set
    the students' campuses and groups)."""
    survey = actions.create_from_template(
        "bullying", sv.group, by=sv.kuraattori, institution=cast.lukio
    )
    actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])
    return actions.open_survey(survey, by=sv.kuraattori, today=sv.today)


@pytest.mark.django_db
def test_groups_of_at_least_the_minimum_keep_their_breakdown(sv, cast):
    """Invited: 24A 6, 24B 5: each response carries its campus and group."""
    from opiskeluhuolto.surveys.models import SMALL_CELL

    from .conftest import five_and_five

    five_and_five(sv)
    survey = _open(sv, cast)
    _answer_all(survey, sv)
    campus = sv.students[0].campus_id
    stored, carriers = _stored_cells_and_invitees(survey)
    assert stored == {(campus, sv.students[0].group_id), (campus, sv.other_group.pk)}
    assert all(n >= SMALL_CELL for n in carriers.values()), carriers
    assert Response.objects.filter(survey=survey, student_group=sv.other_group).count() == 5


@pytest.mark.django_db
def test_a_campus_with_fewer_invitees_than_the_minimum_is_never_stored(sv, cast):
    """Three invitees on another campus: their campus is not stored, and since the
    responses without a campus would then come from those three alone, no campus is."""
    from opiskeluhuolto.organisation.models import Campus, Student

    elsewhere = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
    Student.objects.filter(pk__in=[s.pk for s in sv.students[7:]]).update(campus=elsewhere)
    survey = _open(sv, cast)
    _answer_all(survey, sv)
    stored, _carriers = _stored_cells_and_invitees(survey)
    assert stored == {(None, None)}


@pytest.mark.django_db
def test_the_cells_are_fixed_with_the_invitations_when_the_survey_opens(open_survey, sv):
    """24B (3 invitees at opening) grown to 5 afterwards is still not stored: the values
    a response may carry are fixed with the audience, and a later move cannot widen them."""
    from opiskeluhuolto.organisation.models import Student
    from opiskeluhuolto.surveys.models import BreakdownCell

    campus = sv.students[0].campus_id
    cells = set(
        BreakdownCell.objects.filter(survey=open_survey).values_list(
            "campus_id", "student_group_id"
        )
    )
    assert cells == {(campus, None)}
    Student.objects.filter(pk__in=[sv.students[5].pk, sv.students[6].pk]).update(
        group=sv.other_group
    )
    _answer_all(open_survey, sv)
    assert set(
        Response.objects.filter(survey=open_survey).values_list("campus_id", "student_group_id")
    ) == {(campus, None)}


@pytest.mark.django_db
def test_the_cells_follow_the_rule_for_any_sizes():
    """`cells.kept_cells` on made-up invitees: every value a response may then carry is
    carried by none or at least SMALL_CELL invitees, and nothing big enough is lost
    when there is no remainder to protect."""
    import itertools

    from opiskeluhuolto.surveys.cells import kept_cells
    from opiskeluhuolto.surveys.models import SMALL_CELL

    for sizes in itertools.product([0, 1, 3, 4, 5, 6, 9], repeat=4):
        records = [
            key
            for key, n in zip([(1, 10), (1, 11), (2, 20), (None, None)], sizes, strict=True)
            for _ in range(n)
        ]
        if len(records) < SMALL_CELL:
            continue
        campuses, groups = kept_cells(records)
        carried: dict = {}
        for campus, group in records:
            key = (
                (campus, group)
                if (campus, group) in groups
                else (campus, None)
                if campus in campuses
                else (None, None)
            )
            carried[key] = carried.get(key, 0) + 1
        assert all(n >= SMALL_CELL for n in carried.values()), (sizes, carried)
        if all(n == 0 or n >= SMALL_CELL for n in sizes):
            assert groups == {
                k for k, n in zip([(1, 10), (1, 11), (2, 20)], sizes[:3], strict=True) if n
            }, sizes


@pytest.mark.django_db
def test_the_migration_nulls_stored_cells_that_break_the_rule(open_survey, sv):
    """Migration 0005: responses and stored counts written before the rule lose a group
    (and, with it, 24A: the remainder would be 24B's three) that too few invitees share;
    the campus, which all eleven share, stays."""
    import importlib

    from django.apps import apps as registry

    from opiskeluhuolto.surveys.models import ResultCount

    migration = importlib.import_module(
        "opiskeluhuolto.surveys.migrations.0005_response_breakdown_cells"
    )
    campus = sv.students[0].campus_id
    for student in sv.students:  # as the insert stored them before the rule
        Response.objects.create(survey=open_survey, campus_id=campus, student_group=student.group)
    ResultCount.objects.create(
        survey=open_survey, campus_id=campus, student_group=sv.other_group, n=3
    )
    assert Response.objects.filter(student_group=sv.other_group).count() == 3
    migration.forwards(registry, None)
    assert set(Response.objects.values_list("campus_id", "student_group_id")) == {(campus, None)}
    assert set(ResultCount.objects.values_list("campus_id", "student_group_id", "n")) == {
        (campus, None, 3)
    }


@pytest.mark.django_db
def test_the_migration_keeps_cells_that_follow_the_rule(open_survey, sv):
    import importlib

    from django.apps import apps as registry

    from .conftest import five_and_five

    migration = importlib.import_module(
        "opiskeluhuolto.surveys.migrations.0005_response_breakdown_cells"
    )
    five_and_five(sv)
    campus = sv.students[0].campus_id
    for student in sv.students:
        student.refresh_from_db()
        Response.objects.create(survey=open_survey, campus_id=campus, student_group=student.group)
    before = sorted(Response.objects.values_list("campus_id", "student_group_id"))
    migration.forwards(registry, None)
    assert sorted(Response.objects.values_list("campus_id", "student_group_id")) == before
    assert len({g for _c, g in before}) == 2
