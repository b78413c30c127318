"""Queries compiled by the ORM once, with placeholder values, then run as plain SQL.

Compiling a queryset costs CPU on every call, often more than running it (issue 21, item
3): `Model.objects.select_related(...).get(pk=...)` for a case with its student,
institution, provider and campus (the fetch every case page starts with,
`access.cases.get_case`) was about 1.5 ms a request. Django has no prepared or cached
querysets, so this module offers one mechanism for it:

- `template(queryset, sentinels)`: the queryset, built with sentinel values where the
  real values go, compiled once; `Template.params(*values)` puts the real values in the
  sentinels' places, by position (`access.member_cases`, the register's gate).
- `get(model, pk, select)`: a fetch by primary key with `select_related`, compiled by
  `template` with a placeholder key; on each call it runs the SQL and builds the objects
  with the ORM's own row-to-object code (`Model.from_db` and the `select_related`
  populators), as `QuerySet.get` does.
- `raw(model, sql, params)`: `RawQuerySet`'s column layout worked out once per query shape.

`lib/tests/test_compiled.py` checks all three against the ORM on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import DEFAULT_FETCH_MODE, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

_PK = -987654320  # a placeholder no real row has
_CONSTANT = -1  # the slot of a parameter that is a constant of the query, no placeholder


class Template(NamedTuple):
    """A queryset's SQL compiled once, and where its placeholders' real values go."""

    sql: str
    #: For each parameter of `sql`: (the position of its value in `params(*values)`, or
    #: `_CONSTANT`; whether that value is adapted for the driver; the constant).
    slots: tuple[tuple[int, bool, Any], ...]
    arity: int
    alias: str
    #: The compiler, after `as_sql`: its `select`, `klass_info` and converters.
    compiler: SQLCompiler

    def params(self, *values: Any) -> list[Any]:
        """The parameters of `sql` with `values` where the sentinels were, in their order."""
        if len(values) != self.arity:
            raise TypeError(f"{self.arity} values expected, {len(values)} given")
        adapt = connections[self.alias].ops.adapt_unknown_value
        return [
            constant if at == _CONSTANT else adapt(values[at]) if adapted else values[at]
            for at, adapted, constant in self.slots
        ]


def template(queryset: QuerySet[Any, Any], sentinels: Sequence[Any]) -> Template:
    """`queryset`, built with `sentinels` where the real values go, compiled on its
    database (`queryset.db`); cache the result (per alias) and call `params` per run.

    A parameter equal to a sentinel, as given or as the driver gets it (a date is a
    string on SQLite), is that sentinel's slot; any other is a constant of the query.
    So a sentinel must be a value no constant has, and reach the SQL unchanged (not
    `__contains`'s "%x%"): one that does not, or two that look alike, are a ValueError."""
    alias = queryset.db
    ops = connections[alias].ops
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()  # also fills compiler.select and klass_info
    forms = [(s, ops.adapt_unknown_value(s)) for s in sentinels]
    if len({repr(f) for _, f in forms}) != len(forms):
        raise ValueError("the sentinels must differ from each other")
    slots = []
    for p in params:
        slot: tuple[int, bool, Any] = (_CONSTANT, False, p)
        for at, (given, adapted) in enumerate(forms):
            if type(p) is type(given) and p == given:
                slot = (at, False, None)
            elif type(p) is type(adapted) and p == adapted:
                slot = (at, True, None)
            else:
                continue
            break
        slots.append(slot)
    missing = set(range(len(forms))) - {at for at, _, _ in slots}
    if missing:
        raise ValueError(f"sentinels {sorted(missing)} did not reach the SQL unchanged")
    return Template(sql, tuple(slots), len(forms), alias, compiler)


@lru_cache(maxsize=32)
def _compiled(model, select: tuple[str, ...], alias: str):
    queryset = model.objects.using(alias).filter(pk=_PK)
    if select:
        queryset = queryset.select_related(*select)
    try:
        query = template(queryset, (_PK,))
    except ValueError:
        raise ValueError(f"cannot compile a fetch of {model.__name__} by its key") from None
    compiler = query.compiler
    select_cols = compiler.select
    converters = tuple(
        (pos, tuple(convs), expression)
        for pos, (convs, expression) in compiler.get_converters(
            [s[0] for s in select_cols[: compiler.col_count]]
        ).items()
    )
    klass_info = compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [f[0].target.attname for f in select_cols[start:end]]
    return query, converters, klass_info, select_cols, (start, end), init_list


def get(model, pk, select: tuple[str, ...] = ()):
    """`model.objects.select_related(*select).get(pk=pk)`, compiled once: the object, or
    `model.DoesNotExist` (ValueError or TypeError for a key that is no integer)."""
    pk = int(pk)
    alias = router.db_for_read(model)
    query, converters, klass_info, select_cols, (start, end), init_list = _compiled(
        model, tuple(select), alias
    )
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params(pk))
        rows = cursor.fetchall()
    if not rows:
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
    row = list(rows[0])
    for pos, convs, expression in converters:
        value = row[pos]
        for converter in convs:
            value = converter(value, expression, connection)
        row[pos] = value
    obj = model.from_db(alias, init_list, row[start:end], fetch_mode=DEFAULT_FETCH_MODE)
    for populator in get_related_populators(klass_info, select_cols, alias, DEFAULT_FETCH_MODE):
        populator.populate(row, obj)
    return obj


@lru_cache(maxsize=64)
def _layout(model, columns: tuple[str, ...], alias: str):
    """What `RawModelIterable` works out for every query: which columns are the model's
    fields (and their converters), which are extra attributes."""
    connection = connections[alias]
    name = connection.introspection.identifier_converter
    model_fields = {name(f.column): f for f in model._meta.fields}
    init_fields = [f for column, f in model_fields.items() if column in columns]
    if any(f.attname not in {g.attname for g in init_fields} for f in model._meta.pk_fields):
        raise FieldDoesNotExist("Raw query must include the primary key")
    init_names = [f.attname for f in init_fields]
    init_pos = tuple(columns.index(name(f.column)) for f in init_fields)
    extra = tuple((c, pos) for pos, c in enumerate(columns) if c not in model_fields)
    # As RawModelIterable: a compiler only for its converters, None for a column no field has.
    compiler = connection.ops.compiler("SQLCompiler")(None, connection, alias)  # type: ignore[arg-type]
    fields = [model_fields.get(c) for c in columns]
    cols = [f.get_col(f.model._meta.db_table) if f else None for f in fields]
    converters = tuple(
        (pos, tuple(convs), expression)
        for pos, (convs, expression) in compiler.get_converters(cols).items()  # type: ignore[arg-type]
    )
    return init_names, init_pos, extra, converters


def raw[M: Model](model: type[M], sql: str, params=()) -> list[M]:
    """`list(model.objects.raw(sql, params))`, the columns' meaning worked out once per
    query shape: `RawQuerySet` resolves which column is which field, and builds their
    converters, again on every query (about 0.2 ms each; the register's gate runs four
    on every read of a case)."""
    alias = router.db_for_read(model)
    connection = connections[alias]
    adapt = connection.ops.adapt_unknown_value
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(adapt(p) for p in params))
        name = connection.introspection.identifier_converter
        columns = tuple(name(c[0]) for c in cursor.description)
        rows = cursor.fetchall()
    if not rows:
        return []
    init_names, init_pos, extra, converters = _layout(model, columns, alias)
    objects = []
    for values in rows:
        values = list(values)
        for pos, convs, expression in converters:
            value = values[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            values[pos] = value
        obj = model.from_db(
            alias, init_names, [values[p] for p in init_pos], fetch_mode=DEFAULT_FETCH_MODE
        )
        for column, pos in extra:
            setattr(obj, column, values[pos])
        objects.append(obj)
    return objects
