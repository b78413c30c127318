"""A `values()` / `values_list()` query of the booking pages compiled by the ORM once and
run again with new values.

The student's bookings page built and compiled three ORM querysets on every visit (their
coming bookings, their open requests, the free times' versions): ≈ 1.3 ms of CPU a
request, more than running them (issue 21, item 3; bench/README.md, "The student's
bookings page's CPU"). `lib.compiled.get` compiles only a fetch by primary key, and Django
has no prepared queryset: every evaluation adds the filters, resolves the joins and
writes the SQL again. `rows` builds the queryset once with placeholder values, keeps the
SQL, the parameters, where each placeholder went (adapted as the database wants it) and
the columns' converters, and then per call runs the SQL with the new values and converts
the rows as `ValuesIterable` / `ValuesListIterable` do. The query's shape (its filters,
joins and ordering) must not depend on the values: a caller keys each shape
(`appointments/tests/test_compiled_lists.py` checks the SQL and rows against the ORM's).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.query import ValuesIterable, ValuesListIterable

_INT = -987_654_000  # placeholders no real key has
_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
_DAY = date(1901, 2, 3)


def _placeholder(i: int, kind: type, connection) -> tuple[Any, Any, Callable[[Any], Any]]:
    """(placeholder, its value as a compiled query holds it, adapting a real value)."""
    if kind is int:
        return _INT - i, _INT - i, int
    if kind is datetime:
        value = _TIME + timedelta(microseconds=i + 1)
        adapt = connection.ops.adapt_datetimefield_value
        return value, adapt(value), adapt
    if kind is date:
        day = _DAY + timedelta(days=i)
        adapt = connection.ops.adapt_datefield_value
        return day, adapt(day), adapt
    raise TypeError(f"no placeholder for {kind.__name__}")


@lru_cache(maxsize=64)
def _plan(key: Hashable, build: Callable[..., QuerySet], kinds: tuple[type, ...], alias: str):
    connection = connections[alias]
    placeholders = [_placeholder(i, kind, connection) for i, kind in enumerate(kinds)]
    queryset = build(*[p[0] for p in placeholders])
    query = queryset.query
    compiler = query.get_compiler(alias)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    held = [p[1] for p in placeholders]
    slots = tuple(held.index(p) if p in held else None for p in params)
    if {s for s in slots if s is not None} != set(range(len(kinds))):
        raise ValueError(f"{key!r}: a placeholder is missing from the SQL or made no parameter")
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    converters = tuple(
        (pos, tuple(convs), expression)
        for pos, (convs, expression) in compiler.get_converters(fields).items()
    )
    if queryset._iterable_class is ValuesIterable:
        names = tuple(
            query.selected or (*query.extra_select, *query.values_select, *query.annotation_select)
        )
    elif queryset._iterable_class is ValuesListIterable:
        names = None
    else:
        raise TypeError(f"{key!r}: only values() and values_list() querysets are compiled here")
    adapt = tuple(p[2] for p in placeholders)
    return sql, tuple(params), slots, adapt, converters, compiler.col_count, names


def rows(key: Hashable, model, build: Callable[..., QuerySet], *values) -> list:
    """`list(build(*values))` for a `build` returning a `values()` (dicts) or
    `values_list()` (tuples) queryset of `model`, compiled once per `key`, the values'
    types and database. `build` must give the same query for any values of the same
    types but for the values themselves, each int, datetime or date a parameter of its
    own; the same `key` must always come with the same `build`."""
    kinds = tuple(datetime if isinstance(v, datetime) else type(v) for v in values)
    alias = router.db_for_read(model)
    plan = _plan(key, build, kinds, alias)
    if plan is None:  # the filters match nothing whatever the values (e.g. `pk__in=[]`)
        return []
    sql, params, slots, adapt, converters, width, names = plan
    connection = connections[alias]
    args = [p if s is None else adapt[s](values[s]) for p, s in zip(params, slots, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        fetched = cursor.fetchall()
    out = []
    for row in fetched:
        row = list(row[:width])
        for pos, convs, expression in converters:
            value = row[pos]
            for converter in convs:
                value = converter(value, expression, connection)
            row[pos] = value
        out.append(dict(zip(names, row, strict=True)) if names else tuple(row))
    return out
