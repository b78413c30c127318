"""The SQL of "the case ids of a user's expert-group memberships active on a day", the
one query `CaseRules.member_case_ids` runs on every request that asks about a case.

Compiled by the ORM once per database from `MembershipQuerySet.active_on` (the one
definition of an active membership) with placeholder values, then run as plain SQL:
compiling the queryset cost more CPU than running it (issue 21, item 3). Moved out of
`access.cases` to keep that module small.

Models are imported inside functions: this module is loaded with the `access` app,
before the app registry is ready.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django.db import connections

_USER, _DAY = -987654321, date(1, 1, 2)  # placeholders no real row or day has


@lru_cache(maxsize=8)
def _compiled_member_cases(alias: str) -> tuple[str, tuple]:
    """The SQL of "the case ids of a user's memberships active on a day", compiled by the
    ORM from `MembershipQuerySet.active_on` with placeholder values, and which parameter
    is the user, which the day (any other value is a constant of the definition)."""
    from opiskeluhuolto.cases.models import ExpertGroupMembership

    query = (
        ExpertGroupMembership.objects.using(alias)
        .filter(user_id=_USER)
        .active_on(_DAY)
        .values_list("case_id", flat=True)
        .query
    )
    sql, params = query.get_compiler(alias).as_sql()
    day = connections[alias].ops.adapt_datefield_value(_DAY)
    slots = tuple("user" if p == _USER else "day" if p == day else ("value", p) for p in params)
    return sql, slots


def member_cases_sql(alias: str, user_id: int, day: date) -> tuple[str, list]:
    """The SQL and parameters that `member_case_ids` runs: one definition, `active_on`."""
    sql, slots = _compiled_member_cases(alias)
    adapted = connections[alias].ops.adapt_datefield_value(day)
    params = [user_id if s == "user" else adapted if s == "day" else s[1] for s in slots]
    return sql, params
