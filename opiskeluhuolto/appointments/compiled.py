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
from django.db.models import Q, QuerySet
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
def _plan(
    key: Hashable, build: Callable[..., QuerySet], kinds: tuple[type, ...], alias: str, strict: bool
):
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
    # `strict`: every value is a parameter. A filter's branch that matches nothing (a
    # guardian's, for no children) is left out by the ORM with its values.
    if strict and {s for s in slots if s is not None} != set(range(len(kinds))):
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


def rows(key: Hashable, model, build: Callable[..., QuerySet], *values, strict=True) -> list:
    """`list(build(*values))` for a `build` returning a `values()` (dicts) or
    `values_list()` (tuples) queryset of `model`, compiled once per `key`, the values'
    types and database. `build` must give the same query for any values of the same
    types but for the values themselves, each int, datetime or date a parameter of its
    own; the same `key` must always come with the same `build`."""
    kinds = tuple(datetime if isinstance(v, datetime) else type(v) for v in values)
    alias = router.db_for_read(model)
    plan = _plan(key, build, kinds, alias, strict)
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


def _shape(q: Q, values: list) -> Hashable:
    """`q`'s structure with each int value (alone or in a list or set) taken out into
    `values`, in order: two filters of the same shape compile to the same SQL."""
    children: list[Hashable] = []
    for child in q.children:
        if isinstance(child, Q):
            children.append(_shape(child, values))
            continue
        if not isinstance(child, tuple):
            raise TypeError(f"{child!r}: only lookups and Q objects are taken apart")
        lookup, value = child
        if type(value) is int:
            values.append(value)
            children.append((lookup, int))
        elif isinstance(value, list | tuple | set | frozenset) and value:
            if not all(type(v) is int for v in value):
                raise TypeError(f"{lookup}: only lists of ints are taken out of a filter")
            values.extend(sorted(value))
            children.append((lookup, int, len(value)))
        elif isinstance(value, str | bool | None | list | tuple | set | frozenset):
            # A constant (a role, say, or an empty list): part of the query's shape.
            children.append((lookup, type(value), tuple(value) if type(value) is list else value))
        else:
            raise TypeError(f"{lookup}: {type(value).__name__} is not taken out of a filter")
    return (q.connector, q.negated, tuple(children))


def _rebuild(shape, values) -> Q:
    """The filter `_shape` took apart, with `values` (an iterator) put back."""
    connector, negated, children = shape
    q = Q()
    q.connector, q.negated = connector, negated
    for child in children:
        if len(child) == 3 and child[0] in (Q.AND, Q.OR):
            q.children.append(_rebuild(child, values))
        elif len(child) == 2:
            q.children.append((child[0], next(values)))
        elif len(child) == 3 and child[1] is int:
            q.children.append((child[0], [next(values) for _ in range(child[2])]))
        else:
            q.children.append((child[0], list(child[2]) if child[1] is list else child[2]))
    return q


_builders: dict[Hashable, Callable[..., QuerySet]] = {}


def filtered(
    key: Hashable, model, q: Q, then: Callable[..., QuerySet], *values, limit: int | None = None
) -> list:
    """`rows` of `then(model.objects.filter(q), *values)`: the filter (an access scope,
    say, whose ints are a person's keys) compiled once per its shape (`_shape`); `then` a
    module-level function adding what the page asks (a values query). The ints of `q`
    and `values` are parameters; its strings, and a `then`'s constants, are part of
    the query, as is `limit` (the number of rows: a LIMIT is no parameter)."""
    q_values: list[int] = []
    shape = _shape(q, q_values)
    full_key = (key, shape, then, limit)
    build = _builders.get(full_key)
    if build is None:
        n = len(q_values)

        def build(*args):
            filtered_q = _rebuild(shape, iter(args[:n]))
            return then(model.objects.filter(filtered_q), *args[n:])[:limit]

        build = _builders.setdefault(full_key, build)
    return rows(full_key, model, build, *q_values, *values, strict=False)
