"""The per-person facts are cached, and no write can leave a stale copy in use.

`access.facts` keeps each person's facts under a token that database triggers change
in the transaction of every write to the tables the facts come from. These tests write
to each of those tables in every way the code base does (the ORM, bulk operations,
raw SQL) and check the token changed; check that the facts read only those tables; and
follow a person through changes that must show at once.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opiskeluhuolto.access import facts, for_user
from opiskeluhuolto.access.models import AccessRestriction
from opiskeluhuolto.access.permissions import Permissions
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.cases.models import ExpertGroupMembership, GuardianProhibition
from opiskeluhuolto.meetings.models import Group, Membership
from opiskeluhuolto.organisation.models import (
    CalendarPeriod,
    Guardianship,
    Provider,
    Role,
    RoleAssignment,
    SchoolYear,
    Student,
    StudentGroup,
)
from opiskeluhuolto.surveys.models import ResultCount

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (the resolver is kept per user object)."""
    return User.objects.get(pk=user.pk)


def test_the_migrations_trigger_exactly_the_tables_the_facts_name():
    from importlib import import_module

    tables = []
    for name in (
        "0001_facts_version",
        "0002_calendar_triggers",
        "0004_survey_results_triggers",
        "0005_access_refusals",
    ):
        tables += import_module(f"opiskeluhuolto.access.migrations.{name}").TABLES
    assert tuple(tables) == facts.TABLES


def _tables_read(ctx: CaptureQueriesContext) -> set[str]:
    """The tables the captured queries read, in the ORM's SQL and in plain SQL."""
    return {
        t for q in ctx.captured_queries for t in re.findall(r'(?:FROM|JOIN) "?(\w+)"?', q["sql"])
    }


@pytest.mark.parametrize("member", ["admin", "rehtori", "kuraattori", "student", "guardian"])
def test_the_facts_read_no_table_without_a_trigger(cast, member):
    can = Permissions(cast.member(member))
    with CaptureQueriesContext(connection) as ctx:
        for name in facts.FACTS:
            getattr(can, name)
    tables = _tables_read(ctx)
    assert tables, "the facts were read from nowhere?"
    allowed = set(facts.TABLES) | set(facts.FIXED_JOINS)
    assert tables <= allowed, tables - allowed


def test_a_second_request_reads_only_the_token(cast):
    first = for_user(fresh(cast.kuraattori))
    assert first.grants
    for name in facts.FACTS:  # the first request asked for every fact
        getattr(first, name)
    user = fresh(cast.kuraattori)
    with CaptureQueriesContext(connection) as ctx:
        again = for_user(user)
        values = {name: getattr(again, name) for name in facts.FACTS}
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]
    assert values["grants"] == first.grants


def test_a_request_that_asks_for_no_fact_reads_nothing(cast):
    """The answer API of surveys: signed in is its whole policy, no fact is needed."""
    user = fresh(cast.student)
    with CaptureQueriesContext(connection) as ctx:
        can = for_user(user)
        assert can.is_authenticated
    assert ctx.captured_queries == []


def test_a_fact_not_cached_is_computed_alone_and_kept(cast):
    """A person not seen before: the one fact asked for costs the token and its own
    query, not all the facts'; the next request has it from the cache."""
    student = cast.student
    user = fresh(student)
    with CaptureQueriesContext(connection) as ctx:
        own = for_user(user).own_student
    assert own is not None and own.user_id == student.pk
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert len(sqls) == 2 and "access_factsversion" in sqls[0], sqls
    assert "organisation_student" in sqls[1], sqls
    user = fresh(student)
    with CaptureQueriesContext(connection) as ctx:
        again = for_user(user).own_student
    assert len(ctx.captured_queries) == 1  # the token
    assert again.pk == own.pk


def test_a_fact_read_after_a_write_in_a_transaction_is_not_kept(cast):
    """A fact computed after its own request wrote a fact table, inside a transaction
    that is then rolled back, must not stay cached under the token still current."""
    from django.db import transaction

    user = cast.kuraattori
    before = for_user(fresh(user)).group_roles
    from django.core.cache import cache

    cache.clear()
    group = Group.objects.create(
        provider=cast.provider, institution=cast.lukio, kind=Group.Kind.WELFARE, name="Uusi"
    )
    token_before = facts.token()

    class Rollback(Exception):
        pass

    with pytest.raises(Rollback), transaction.atomic():
        can = for_user(fresh(user))
        assert can.grants  # the token is read before the write
        Membership.objects.create(group=group, user=user, role=Membership.Role.MEMBER)
        assert group.pk in can.group_roles  # read inside the transaction: not kept
        raise Rollback
    assert facts.token() == token_before
    assert for_user(fresh(user)).group_roles == before


def test_without_the_token_row_nothing_is_cached(cast):
    from opiskeluhuolto.access.models import FactsVersion

    FactsVersion.objects.all().delete()
    assert facts.token() is None
    for_user(fresh(cast.kuraattori))
    user = fresh(cast.kuraattori)
    with CaptureQueriesContext(connection) as ctx:
        for_user(user).grants  # noqa: B018
    assert len(ctx.captured_queries) == 2  # the token, then the grants themselves


def _writes(cast):
    """(label, a function that writes one fact table) for every table and write kind."""
    from opiskeluhuolto.cases.tests.story import onni_prohibited_case, open_aino_case

    aino, kuraattori = cast.aino, cast.kuraattori
    open_aino_case(cast)
    onni_prohibited_case(cast)
    group = Group.objects.create(
        provider=cast.provider, institution=cast.lukio, kind=Group.Kind.WELFARE, name="Ryhmä"
    )
    return [
        (
            "role assignment: save",
            lambda: RoleAssignment.objects.filter(user=kuraattori).first().save(),
        ),
        (
            "role assignment: bulk update",
            lambda: RoleAssignment.objects.filter(user=kuraattori).update(valid_until=None),
        ),
        (
            "role assignment: delete",
            lambda: RoleAssignment.objects.filter(user=cast.teacher).delete(),
        ),
        ("student: save", lambda: aino.save()),
        (
            "student: bulk create",
            lambda: Student.objects.bulk_create(
                [
                    Student(
                        institution=aino.institution,
                        first_name="Uusi",
                        last_name="Oppilas",
                        date_of_birth=aino.date_of_birth,
                    )
                ]
            ),
        ),
        ("guardianship: delete", lambda: Guardianship.objects.filter(student=aino).delete()),
        (
            "guardianship: create",
            lambda: Guardianship.objects.create(student=cast.eero, guardian=cast.guardian),
        ),
        (
            "provider: update",
            lambda: Provider.objects.filter(pk=cast.provider.pk).update(
                register_responsible=kuraattori
            ),
        ),
        ("expert group: update", lambda: ExpertGroupMembership.objects.update(ended_on=None)),
        ("prohibition: update", lambda: GuardianProhibition.objects.update(lifted_at=None)),
        (
            "refusal of access: create",
            lambda: AccessRestriction.objects.create(
                student=cast.onni,
                person=cast.guardian_onni,
                ground="tsl34_health",
                recorded_by=cast.admin,
            ),
        ),
        ("refusal of access: end", lambda: AccessRestriction.objects.update(ended_at=None)),
        (
            "welfare group: create",
            lambda: Membership.objects.create(
                group=group, user=cast.nurse, role=Membership.Role.MEMBER
            ),
        ),
        ("institution: save", lambda: cast.lukio.save()),
        (
            "school year: bulk update",
            lambda: SchoolYear.objects.filter(pk=cast.school_year.pk).update(name="2099–2100"),
        ),
        (
            "calendar period: create",
            lambda: CalendarPeriod.objects.create(
                school_year=cast.school_year,
                kind=CalendarPeriod.Kind.DAY_OFF,
                name="Vapaapäivä",
                starts_on=cast.today,
                ends_on=cast.today,
            ),
        ),
        (
            "calendar period: delete",
            lambda: CalendarPeriod.objects.filter(kind=CalendarPeriod.Kind.DAY_OFF).delete(),
        ),
        (
            "raw SQL",
            lambda: connection.cursor().execute(
                "UPDATE organisation_student SET first_name = first_name"
            ),
        ),
        ("campus: save", lambda: cast.lukio_campus.save()),
        (
            "student group: rename",
            lambda: StudentGroup.objects.filter(pk=cast.group.pk).update(name="25A"),
        ),
        (
            "result count: create",
            lambda: ResultCount.objects.create(survey=_survey(cast, group), value=1, n=5),
        ),
        ("result count: delete", lambda: ResultCount.objects.all().delete()),
    ]


def _survey(cast, group):
    from opiskeluhuolto.surveys.models import Survey

    return Survey.objects.create(
        provider=cast.provider, owner_group=group, title={"fi": "Kysely"}, audience="students"
    )


def test_every_kind_of_write_to_a_fact_table_changes_the_token(cast):
    writes = _writes(cast)
    assert ExpertGroupMembership.objects.exists() and GuardianProhibition.objects.exists()
    for label, write in writes:
        before = facts.token()
        write()
        assert facts.token() != before, label


def test_writes_elsewhere_leave_the_token(cast):
    before = facts.token()
    User.objects.filter(pk=cast.teacher.pk).update(first_name="Toinen")
    Group.objects.create(
        provider=cast.provider, institution=cast.lukio, kind=Group.Kind.WELFARE, name="Toinen"
    )
    assert facts.token() == before


def test_a_new_role_shows_at_the_next_request(cast):
    teacher = cast.teacher
    assert not for_user(fresh(teacher)).has_role(Role.SOCIAL_WORKER)
    RoleAssignment.objects.create(
        user=teacher,
        role=Role.SOCIAL_WORKER,
        provider=cast.provider,
        institution=cast.lukio,
        valid_from=cast.today,
    )
    assert for_user(fresh(teacher)).has_role(Role.SOCIAL_WORKER)


def test_an_ended_role_goes_at_the_next_request(cast):
    kuraattori = cast.kuraattori
    assert for_user(fresh(kuraattori)).has_role(Role.SOCIAL_WORKER)
    RoleAssignment.objects.filter(user=kuraattori, role=Role.SOCIAL_WORKER).update(
        valid_until=cast.today - timedelta(days=1)
    )
    assert not for_user(fresh(kuraattori)).has_role(Role.SOCIAL_WORKER)


def test_a_removed_guardianship_goes_at_the_next_request(cast):
    guardian = cast.guardian
    assert cast.aino.pk in for_user(fresh(guardian)).guarded_student_ids
    Guardianship.objects.filter(student=cast.aino, guardian=guardian).delete()
    assert cast.aino.pk not in for_user(fresh(guardian)).guarded_student_ids


def test_a_student_turning_18_leaves_the_guardian_the_next_day(cast):
    """Age is by day: the day is part of the key, with no write at all."""
    guardian, aino = cast.guardian, cast.aino
    birthday_18 = aino.date_of_birth.replace(year=aino.date_of_birth.year + 18)
    with time_machine.travel(birthday_18 - timedelta(days=1), tick=False):
        assert aino.pk in for_user(fresh(guardian)).guarded_student_ids
    with time_machine.travel(birthday_18, tick=False):
        assert aino.pk not in for_user(fresh(guardian)).guarded_student_ids


def test_a_token_read_inside_a_writing_transaction_is_the_new_one(cast):
    """The triggers run in the writer's transaction: the writer itself never sees its
    old facts (a request that changes a role and then renders the page)."""
    from django.db import transaction

    teacher = cast.teacher
    for_user(fresh(teacher))
    with transaction.atomic():
        RoleAssignment.objects.create(
            user=teacher,
            role=Role.PRINCIPAL,
            provider=cast.provider,
            institution=cast.lukio,
            valid_from=cast.today,
        )
        assert for_user(fresh(teacher)).has_role(Role.PRINCIPAL)


def test_the_own_institution_comes_with_the_facts_and_a_change_shows_at_once(cast):
    assert for_user(fresh(cast.student)).own_student  # the first request caches it
    can = for_user(fresh(cast.student))
    assert can.grants == ()  # the token read and the cached facts restored
    with CaptureQueriesContext(connection) as ctx:
        assert can.own_student.institution.slug == cast.lukio.slug
    assert len(ctx.captured_queries) == 0
    cast.lukio.slug = "uusi-nimi"
    cast.lukio.save()
    assert for_user(fresh(cast.student)).own_student.institution.slug == "uusi-nimi"


def test_cached_values_are_computed_once_per_token(cast):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert facts.cached(for_user(fresh(cast.kuraattori)), "n", compute) == 1
    assert facts.cached(for_user(fresh(cast.student)), "n", compute) == 1  # same token
    cast.lukio.save()
    assert facts.cached(for_user(fresh(cast.kuraattori)), "n", compute) == 2
    assert facts.cached(Permissions(cast.kuraattori), "n", compute) == 3  # no token: no cache


def test_a_school_calendar_kept_with_the_facts_changes_at_the_next_request(cast):
    """The booking pages keep the calendars under the facts' token (appointments.display)."""
    from opiskeluhuolto.appointments.display import Calendars

    def calendar():  # as the next request sees it
        return Calendars(for_user(fresh(cast.student))).of(cast.lukio)

    day_off = (cast.today, cast.today)
    assert day_off not in calendar().days_off
    with CaptureQueriesContext(connection) as ctx:
        kept = calendar()
    assert not any("organisation_calendarperiod" in q["sql"] for q in ctx.captured_queries)
    assert kept == cast.lukio.school_calendar()
    period = CalendarPeriod.objects.create(
        school_year=cast.school_year,
        kind=CalendarPeriod.Kind.DAY_OFF,
        name="Vapaapäivä",
        starts_on=cast.today,
        ends_on=cast.today,
    )
    assert day_off in calendar().days_off
    period.delete()
    assert day_off not in calendar().days_off


def test_a_kept_school_calendar_reads_only_tables_with_a_trigger(cast):
    with CaptureQueriesContext(connection) as ctx:
        cast.lukio.school_calendar()
    tables = _tables_read(ctx)
    assert tables and tables <= set(facts.TABLES), tables - set(facts.TABLES)
