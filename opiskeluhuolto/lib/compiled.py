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

from django.db import connections, router
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
