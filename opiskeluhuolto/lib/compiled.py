"""One object by primary key with `select_related`, its SQL compiled by the ORM once.

`Model.objects.select_related(...).get(pk=...)` compiles its query on every call: for a
case with its student, institution, provider and campus (the fetch every case page starts
with, `access.cases.get_case`) that was about 1.5 ms of CPU a request, more than running
the query (issue 21, item 3). `get` compiles the same queryset once per model, relations
and database (with a placeholder key), keeps its SQL, column converters and the ORM's map
of which columns make which object, and on each call runs the SQL and builds the objects
with the ORM's own row-to-object code (`Model.from_db` and the `select_related`
populators), as `QuerySet.get` does. Nothing but the primary key varies between calls;
`lib/tests/test_compiled.py` checks the objects against the ORM's on both databases.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from django.db.models import Model
from django.db.models.query import DEFAULT_FETCH_MODE, get_related_populators

_PK = -987654320  # a placeholder no real row has


@lru_cache(maxsize=32)
def _compiled(model, select: tuple[str, ...], alias: str):
    queryset = model.objects.using(alias).filter(pk=_PK)
    if select:
        queryset = queryset.select_related(*select)
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()  # fills compiler.select and klass_info
    slots = tuple(p == _PK for p in params)
    if sum(slots) != 1:  # the placeholder must be the only parameter of its value
        raise ValueError(f"cannot compile a fetch of {model.__name__} by its key")
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
    return sql, tuple(params), slots, converters, klass_info, select_cols, (start, end), init_list


def get(model, pk, select: tuple[str, ...] = ()):
    """`model.objects.select_related(*select).get(pk=pk)`, compiled once: the object, or
    `model.DoesNotExist` (ValueError or TypeError for a key that is no integer)."""
    pk = int(pk)
    alias = router.db_for_read(model)
    sql, params, slots, converters, klass_info, select_cols, (start, end), init_list = _compiled(
        model, tuple(select), alias
    )
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk if slot else p for p, slot in zip(params, slots, strict=True)])
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
