"""`lib.compiled`'s queries are the ORM's: `template`'s SQL and parameters, `get`'s and
`raw`'s objects."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from opiskeluhuolto.cases.models import Case
from opiskeluhuolto.cases.tests.story import open_aino_case
from opiskeluhuolto.lib import compiled
from opiskeluhuolto.organisation.models import Campus

SELECT = ("student", "institution__provider", "student__institution", "student__campus")


def _state(obj, path=()):
    """Every field value and every object the relations cached, recursively."""
    if obj is None:
        return {path: None}
    out = {path: (type(obj), {k: v for k, v in obj.__dict__.items() if k != "_state"})}
    out[path + ("db", "adding")] = (obj._state.db, obj._state.adding)
    for name, related in obj._state.fields_cache.items():
        out.update(_state(related, path + (name,)))
    return out


@pytest.mark.parametrize("with_campus", [False, True])
def test_the_objects_are_those_the_orm_gives(cast, with_campus):
    case = open_aino_case(cast)
    cast.aino.campus = (
        Campus.objects.create(institution=cast.aino.institution, name="Itä")
        if with_campus
        else None
    )
    cast.aino.save(update_fields=["campus"])
    expected = Case.objects.select_related(*SELECT).get(pk=case.pk)
    with CaptureQueriesContext(connection) as ctx:
        got = compiled.get(Case, case.pk, SELECT)
    assert len(ctx.captured_queries) == 1
    assert _state(got) == _state(expected)
    assert (got.student.campus is None) is not with_campus
    assert got.student.institution.pk == cast.aino.institution_id
    assert got.institution.provider.pk == case.institution.provider_id
    assert compiled.get(Case, str(case.pk), SELECT).pk == case.pk  # a key from a URL
    assert compiled.get(Case, case.pk).pk == case.pk  # no relations


def test_a_missing_or_malformed_key_is_what_the_orm_raises(cast):
    with pytest.raises(Case.DoesNotExist):
        compiled.get(Case, 987654321, SELECT)
    with pytest.raises(ValueError):
        compiled.get(Case, "abc", SELECT)
    with pytest.raises(TypeError):
        compiled.get(Case, None, SELECT)


def test_raw_gives_the_objects_raw_querysets_give(cast):
    """Converted fields (encrypted text, dates), an extra column as an attribute, the
    column order of the SQL not the model's, and no rows."""
    open_aino_case(cast)
    open_aino_case(cast)
    sql = (
        "SELECT opened_on, subject, id, status, 1 + id AS plus_one, student_id"
        " FROM cases_case WHERE student_id = %s ORDER BY id"
    )
    expected = list(Case.objects.raw(sql, [cast.aino.pk]))
    with CaptureQueriesContext(connection) as ctx:
        got = compiled.raw(Case, sql, [cast.aino.pk])
    assert len(ctx.captured_queries) == 1
    assert len(got) == len(expected) >= 2
    assert [_state(g) for g in got] == [_state(e) for e in expected]
    assert got[0].plus_one == got[0].pk + 1
    assert got[0].subject and not got[0].subject.startswith("fernet:")
    assert compiled.raw(Case, sql, [987654321]) == []
    with pytest.raises(FieldDoesNotExist):
        compiled.raw(Case, "SELECT subject FROM cases_case WHERE student_id = %s", [cast.aino.pk])


def _members_of(student, institution, day):
    """A query with three values, one of them twice, and constants between them."""
    return (
        Case.objects.filter(institution_id=institution, status=Case.Status.OPEN)
        .filter(Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day)))
        .filter(student_id=student)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def test_template_puts_each_value_in_its_own_slot(cast):
    """The SQL and parameters are those the ORM compiles for the real values: a value in
    another's slot (both are integers, the day's slots two) gives other parameters. The
    sentinels are given in another order than the SQL has them."""
    query = compiled.template(_members_of(-3, -2, date(1, 1, 3)), (date(1, 1, 3), -2, -3))
    assert query.arity == 3
    for student, institution, day in [(11, 22, date(2026, 3, 4)), (22, 11, date(2025, 1, 2))]:
        expected = _members_of(student, institution, day).query.get_compiler(query.alias)
        sql, params = expected.as_sql()
        assert (query.sql, query.params(day, institution, student)) == (sql, list(params))
    case = open_aino_case(cast)
    with connection.cursor() as cursor:
        for student, institution, day in [
            (cast.aino.pk, case.institution_id, cast.today),
            (cast.aino.pk, case.institution_id, cast.today - timedelta(days=1)),
            (cast.onni.pk, case.institution_id, cast.today),
        ]:
            cursor.execute(query.sql, query.params(day, institution, student))
            got = [pk for (pk,) in cursor.fetchall()]
            assert got == list(_members_of(student, institution, day))
    assert [case.pk] == list(_members_of(cast.aino.pk, case.institution_id, cast.today))
    with pytest.raises(TypeError):
        query.params(cast.today, case.institution_id)


def test_a_sentinel_the_sql_does_not_carry_unchanged_is_refused(cast):
    with pytest.raises(ValueError):  # __contains makes "%x%" of it
        compiled.template(Case.objects.filter(initiator__contains="§sentinel§"), ("§sentinel§",))
    with pytest.raises(ValueError):  # two sentinels alike: whose slot is it?
        compiled.template(Case.objects.filter(student_id=-5, institution_id=-5), (-5, -5))


def test_typed_placeholders_and_a_sentinel_the_orm_left_out(cast):
    """`placeholder` gives distinct sentinels per kind and position; with `strict=False` a
    sentinel the ORM left out (a branch that matches nothing) is no error, and its value
    goes nowhere; a query that matches nothing whatever the values is `EmptyResultSet`."""
    kinds = (int, int, date, datetime, datetime)
    sentinels = [compiled.placeholder(i, kind) for i, kind in enumerate(kinds)]
    assert len(set(sentinels)) == len(kinds)
    assert [type(s) for s in sentinels] == list(kinds)
    with pytest.raises(TypeError):
        compiled.placeholder(0, str)
    student, institution = sentinels[:2]
    left_out = Case.objects.filter(Q(student_id=student) | Q(pk__in=[], institution_id=institution))
    with pytest.raises(ValueError):
        compiled.template(left_out, (student, institution))
    query = compiled.template(left_out, (student, institution), strict=False)
    case = open_aino_case(cast)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params(cast.aino.pk, case.institution_id))
        assert [pk for pk, *_ in cursor.fetchall()] == [case.pk]
    with pytest.raises(EmptyResultSet):
        compiled.template(Case.objects.filter(pk__in=[], student_id=student), (student,))


# --- filtered: what it refuses, and what it must not get wrong ------------------------


def _pks(queryset):
    return queryset.order_by("pk").values_list("pk")


def test_a_placeholder_the_orm_changed_is_refused_not_a_constant(cast):
    """An int compared with a CharField reaches the SQL as a string: with `strict=False`
    it would be a constant of the query and the real value ignored."""
    open_aino_case(cast)
    with pytest.raises(ValueError):
        compiled.filtered("changed", Case, Q(initiator=5), _pks)
    # A branch the ORM dropped with its value stays legal.
    q = Q(student_id=cast.aino.pk) | Q(pk__in=[], institution_id=cast.aino.institution_id)
    assert compiled.filtered("dropped", Case, q, _pks) == list(_pks(Case.objects.filter(q)))


def test_filtered_answers_as_the_orm_for_models_ranges_and_xor(cast):
    case = open_aino_case(cast)
    campus = Campus.objects.create(institution=cast.aino.institution, name="Itä")
    # The same key, shape and `then` for two models: each its own query.
    assert compiled.filtered("same", Case, Q(pk=case.pk), _pks) == [(case.pk,)]
    assert compiled.filtered("same", Campus, Q(pk=campus.pk), _pks) == [(campus.pk,)]
    for q in (
        Q(pk__range=(case.pk, case.pk - 1)),  # an empty range stays empty
        Q(pk__range=(case.pk - 1, case.pk)),
        Q(Q(pk=case.pk) ^ Q(student_id=cast.aino.pk)),
        Q(Q(pk=case.pk + 1) ^ Q(student_id=cast.aino.pk)),
    ):
        expected = list(_pks(Case.objects.filter(q)))
        assert compiled.filtered("orm", Case, q, _pks) == expected, q
    assert compiled._builder.cache_info().maxsize == 64


def test_an_exists_in_a_scope_is_not_compilable(cast):
    from django.db.models import Exists, OuterRef

    case = open_aino_case(cast)
    q = Q(Exists(Case.objects.filter(pk=OuterRef("pk"))), student_id=cast.aino.pk)
    with pytest.raises(compiled.NotCompilable):
        compiled.filtered("exists", Case, q, _pks)
    with pytest.raises(compiled.NotCompilable):
        compiled.filtered("expr", Case, Q(pk=F("pk")), _pks)
    assert [(case.pk,)] == list(_pks(Case.objects.filter(q)))


def test_a_key_too_big_for_the_database_is_no_row(cast, client):
    case = open_aino_case(cast)
    with pytest.raises(Case.DoesNotExist):
        compiled.get(Case, 10**20, SELECT)
    with pytest.raises(Case.DoesNotExist):
        compiled.get(Case, -(10**20))
    assert compiled.filtered("big", Case, Q(pk=10**20), _pks) == []
    assert compiled.filtered("big", Case, Q(pk=case.pk), _pks) == [(case.pk,)]
    client.force_login(cast.kuraattori)
    assert client.get(f"/records/cases/{case.pk}/").status_code == 200
    assert client.get("/records/cases/99999999999999999999/").status_code == 404
