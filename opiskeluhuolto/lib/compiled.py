"""Queries compiled by the ORM once, with placeholder values, then run as plain SQL.

Compiling a queryset costs CPU on every call, often more than running it (issue 21, item
3): `Model.objects.select_related(...).get(pk=...)` for a case with its student,
institution, provider and campus (the fetch every case page starts with,
`access.cases.get_case`) was about 1.5 ms a request; the student's bookings page's three
querysets about 1.3 ms (bench/README.md, "The student's bookings page's CPU"). Django has
no prepared or cached querysets: every evaluation adds the filters, resolves the joins and
writes the SQL again. So this module offers one mechanism for it:

- `template(queryset, sentinels)`: the queryset, built with sentinel values where the
  real values go, compiled once; `Template.params(*values)` puts the real values in the
  sentinels' places, by position (`access.member_cases`, the register's gate).
  `placeholder(i, kind)` gives sentinels for ints, dates and datetimes.
- `get(model, pk, select)`: a fetch by primary key with `select_related`, compiled by
  `template` with a placeholder key; on each call it runs the SQL and builds the objects
  with the ORM's own row-to-object code (`Model.from_db` and the `select_related`
  populators), as `QuerySet.get` does.
- `rows(key, model, build, *values)`: a `values()` / `values_list()` queryset compiled by
  `template` once per key (with typed placeholders), its rows converted per call as
  `ValuesIterable` / `ValuesListIterable` do, with the compiler's converters (the booking
  pages' own lists).
- `filtered(key, model, q, then, *values)`: `rows` of a filter (an access scope) split
  into its shape and its ints, compiled once per shape (the staff work list); a filter
  it cannot take apart (an `Exists`) is `NotCompilable`, for the caller's ORM path.
  Its plans are compiled twice, with two sets of placeholders: a placeholder the ORM
  changed on its way to the SQL is a ValueError, not a constant (`_check_changed`).
- `raw(model, sql, params)`: `RawQuerySet`'s column layout worked out once per query shape.

`lib/tests/test_compiled.py` and `appointments/tests/test_compiled_lists.py` check them
against the ORM on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections, router
from django.db.models import Model, Q, QuerySet
from django.db.models.query import (
    DEFAULT_FETCH_MODE,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler

_PK = -987654320  # a placeholder no real row has
_CONSTANT = -1  # the slot of a parameter that is a constant of the query, no placeholder
_INT = -987_654_000  # typed placeholders (`placeholder`) no real row has
_TIME = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
_DAY = date(1901, 2, 3)
#: A second set of typed placeholders (`placeholder(..., second=True)`), for the second
#: compilation that tells a placeholder the ORM changed from a constant (`_values_plan`).
_INT_2 = -986_654_000
_TIME_2 = datetime(1902, 3, 4, 5, 6, 7, tzinfo=UTC)
_DAY_2 = date(1902, 3, 4)
_BIG = 2**63  # the database's 64-bit integers: SQLite cannot even be sent a larger one


class NotCompilable(Exception):
    """A filter `filtered` does not take apart (an `Exists`, an expression): the caller
    runs it through the ORM instead."""


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


def template(
    queryset: QuerySet[Any, Any], sentinels: Sequence[Any], *, strict: bool = True
) -> Template:
    """`queryset`, built with `sentinels` where the real values go, compiled on its
    database (`queryset.db`); cache the result (per alias) and call `params` per run.

    A parameter equal to a sentinel, as given or as the driver gets it (a date is a
    string on SQLite), is that sentinel's slot; any other is a constant of the query.
    So a sentinel must be a value no constant has, and reach the SQL unchanged (not
    `__contains`'s "%x%"): one that does not, or two that look alike, are a ValueError.
    With `strict=False` a sentinel may be missing: a filter's branch that matches nothing
    (a guardian's, for no children) is left out by the ORM with its values; but a changed
    one is then taken for a constant, so compile again with other sentinels and compare
    (`_check_changed`, which `rows` does). A queryset
    that matches nothing whatever the values (`pk__in=[]`) raises `EmptyResultSet`."""
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
    if missing and strict:
        raise ValueError(f"sentinels {sorted(missing)} did not reach the SQL unchanged")
    return Template(sql, tuple(slots), len(forms), alias, compiler)


def placeholder(i: int, kind: type, *, second: bool = False) -> Any:
    """The `i`-th sentinel of `kind` (int, date or datetime) for `template`: values no
    real row has, each `i` its own; with `second`, another set, none equal to the first's
    (for i < 1000)."""
    if kind is int:
        return (_INT_2 if second else _INT) - i
    if kind is datetime:
        return (_TIME_2 if second else _TIME) + timedelta(microseconds=i + 1)
    if kind is date:
        return (_DAY_2 if second else _DAY) + timedelta(days=i)
    raise TypeError(f"no placeholder for {kind.__name__}")


def _converters(compiler: SQLCompiler, expressions: list) -> tuple:
    """(position, converters, expression) of each column that has converters."""
    return tuple(
        (pos, tuple(convs), expression)
        for pos, (convs, expression) in compiler.get_converters(expressions).items()
    )


def _convert(row: list, converters: tuple, connection) -> list:
    """`row` with its columns converted in place, as the ORM's `apply_converters` does."""
    for pos, convs, expression in converters:
        value = row[pos]
        for converter in convs:
            value = converter(value, expression, connection)
        row[pos] = value
    return row


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
    converters = _converters(compiler, [s[0] for s in select_cols[: compiler.col_count]])
    klass_info = compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [f[0].target.attname for f in select_cols[start:end]]
    return query, converters, klass_info, select_cols, (start, end), init_list


def get(model, pk, select: tuple[str, ...] = ()):
    """`model.objects.select_related(*select).get(pk=pk)`, compiled once: the object, or
    `model.DoesNotExist` (ValueError or TypeError for a key that is no integer)."""
    pk = int(pk)
    if not -_BIG <= pk < _BIG:  # no row has it; SQLite's driver raises OverflowError
        raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
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
    row = _convert(list(rows[0]), converters, connection)
    obj = model.from_db(alias, init_list, row[start:end], fetch_mode=DEFAULT_FETCH_MODE)
    for populator in get_related_populators(klass_info, select_cols, alias, DEFAULT_FETCH_MODE):
        populator.populate(row, obj)
    return obj


@lru_cache(maxsize=64)
def _values_plan(
    key: Hashable, build: Callable[..., QuerySet], kinds: tuple[type, ...], alias: str, strict: bool
):
    sentinels = [placeholder(i, kind) for i, kind in enumerate(kinds)]
    queryset = build(*sentinels).using(alias)
    query = queryset.query
    try:
        compiled = template(queryset, sentinels, strict=strict)
    except EmptyResultSet:
        return None
    except ValueError:
        raise ValueError(
            f"{key!r}: a placeholder is missing from the SQL or made no parameter"
        ) from None
    if not strict:
        _check_changed(key, compiled, build, kinds, alias)
    compiler = compiled.compiler
    converters = _converters(compiler, [s[0] for s in compiler.select[: compiler.col_count]])
    if queryset._iterable_class is ValuesIterable:
        names = tuple(
            query.selected or (*query.extra_select, *query.values_select, *query.annotation_select)
        )
    elif queryset._iterable_class is ValuesListIterable:
        names = None
    else:
        raise TypeError(f"{key!r}: only values() and values_list() querysets are compiled here")
    return compiled, converters, compiler.col_count, names


def _check_changed(key: Hashable, compiled: Template, build, kinds, alias: str) -> None:
    """With `strict=False` a placeholder that reached the SQL changed (an int compared
    with a CharField becomes a string, `__contains` makes "%x%" of it) would be taken for a
    constant of the query, and the real value ignored: silently wrong rows. So the query
    is compiled again with other placeholders: a parameter that differs between the two
    but has no slot is such a placeholder (one the ORM dropped with its branch is in
    neither, and stays legal). Django has no way to ask which parameter came from which
    value, hence the second compilation."""
    sentinels = [placeholder(i, kind, second=True) for i, kind in enumerate(kinds)]
    try:
        _, params = build(*sentinels).using(alias).query.get_compiler(alias).as_sql()
    except EmptyResultSet:
        params = None
    if params is None or len(params) != len(compiled.slots):
        raise ValueError(f"{key!r}: the query's shape depends on the placeholders' values")
    for p, (at, _, constant) in zip(params, compiled.slots, strict=True):
        if at == _CONSTANT and not (type(p) is type(constant) and p == constant):
            raise ValueError(f"{key!r}: a placeholder reached the SQL changed ({constant!r})")


def rows(key: Hashable, model, build: Callable[..., QuerySet], *values, strict=True) -> list:
    """`list(build(*values))` for a `build` returning a `values()` (dicts) or
    `values_list()` (tuples) queryset of `model`, compiled once per `key`, the values'
    types and database. `build` must give the same query for any values of the same
    types but for the values themselves, each int, datetime or date a parameter of its
    own; the same `key` must always come with the same `build`."""
    if any(type(v) is int and not -_BIG <= v < _BIG for v in values):
        # No row has such a key, and the SQL cannot carry it (SQLite's driver raises
        # OverflowError, through the ORM too): the values are keys, so no rows.
        return []
    kinds = tuple(datetime if isinstance(v, datetime) else type(v) for v in values)
    alias = router.db_for_read(model)
    plan = _values_plan(key, build, kinds, alias, strict)
    if plan is None:  # the filters match nothing whatever the values (e.g. `pk__in=[]`)
        return []
    query, converters, width, names = plan
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(query.sql, query.params(*values))
        fetched = cursor.fetchall()
    out = []
    for row in fetched:
        row = _convert(list(row[:width]), converters, connection)
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
            raise NotCompilable(f"{child!r}: only lookups and Q objects are taken apart")
        lookup, value = child
        if type(value) is int:
            values.append(value)
            children.append((lookup, int))
        elif isinstance(value, list | tuple | set | frozenset) and value:
            if not all(type(v) is int for v in value):
                raise NotCompilable(f"{lookup}: only lists of ints are taken out of a filter")
            # An `__in`'s (or a set's) order means nothing, a `__range`'s does.
            in_order = lookup.endswith("__in") or isinstance(value, set | frozenset)
            values.extend(sorted(value) if in_order else value)
            children.append((lookup, int, len(value)))
        elif isinstance(value, str | bool | None | list | tuple | set | frozenset):
            # A constant (a role, say, or an empty list): part of the query's shape.
            children.append((lookup, type(value), tuple(value) if type(value) is list else value))
        else:
            raise NotCompilable(f"{lookup}: {type(value).__name__} is not taken out of a filter")
    return (q.connector, q.negated, tuple(children))


def _rebuild(shape, values) -> Q:
    """The filter `_shape` took apart, with `values` (an iterator) put back."""
    connector, negated, children = shape
    q = Q()
    q.connector, q.negated = connector, negated
    for child in children:
        if len(child) == 3 and child[0] in (Q.AND, Q.OR, Q.XOR) and type(child[1]) is bool:
            q.children.append(_rebuild(child, values))
        elif len(child) == 2:
            q.children.append((child[0], next(values)))
        elif len(child) == 3 and child[1] is int:
            q.children.append((child[0], [next(values) for _ in range(child[2])]))
        else:
            q.children.append((child[0], list(child[2]) if child[1] is list else child[2]))
    return q


@lru_cache(maxsize=64)  # as `_values_plan`, whose key it is part of
def _builder(model, shape: Hashable, then: Callable[..., QuerySet], limit: int | None, n: int):
    def build(*args):
        filtered_q = _rebuild(shape, iter(args[:n]))
        return then(model.objects.filter(filtered_q), *args[n:])[:limit]

    return build


def filtered(
    key: Hashable, model, q: Q, then: Callable[..., QuerySet], *values, limit: int | None = None
) -> list:
    """`rows` of `then(model.objects.filter(q), *values)`: the filter (an access scope,
    say, whose ints are a person's keys) compiled once per its shape (`_shape`); `then` a
    module-level function adding what the page asks (a values query). The ints of `q`
    and `values` are parameters; its strings, and a `then`'s constants, are part of
    the query, as is `limit` (the number of rows: a LIMIT is no parameter). A filter with
    what `_shape` does not take apart (an `Exists`, an expression) is `NotCompilable`: the
    caller runs it through the ORM."""
    q_values: list[int] = []
    shape = _shape(q, q_values)
    full_key = (key, model, shape, then, limit)
    build = _builder(model, shape, then, limit, len(q_values))
    return rows(full_key, model, build, *q_values, *values, strict=False)


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
    converters = _converters(compiler, cols)
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
        values = _convert(list(values), converters, connection)
        obj = model.from_db(
            alias, init_names, [values[p] for p in init_pos], fetch_mode=DEFAULT_FETCH_MODE
        )
        for column, pos in extra:
            setattr(obj, column, values[pos])
        objects.append(obj)
    return objects
