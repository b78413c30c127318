"""`lib.compiled.get` gives the objects the ORM's `select_related(...).get(pk=...)` gives."""

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
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
