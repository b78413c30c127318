"""The SQL of "the case ids of a user's expert-group memberships active on a day", the
one query `CaseRules.member_case_ids` runs on every request that asks about a case.

Compiled by the ORM once per database from `MembershipQuerySet.active_on` (the one
definition of an active membership) with placeholder values (`lib.compiled.template`,
the one mechanism for it), then run as plain SQL: compiling the queryset cost more CPU than running it (issue 21, item 3). Moved out of
`access.cases` to keep that module small.

Models are imported inside functions: this module is loaded with the `access` app,
before the app registry is ready.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from opiskeluhuolto.lib import compiled

_USER, _DAY = -987654321, date(1, 1, 2)  # placeholders no real row or day has


@lru_cache(maxsize=8)
def _compiled_member_cases(alias: str) -> compiled.Template:
    """The SQL of "the case ids of a user's memberships active on a day", compiled by the
    ORM from `MembershipQuerySet.active_on` with placeholder values (`lib.compiled`)."""
    from opiskeluhuolto.cases.models import ExpertGroupMembership

    return compiled.template(
        ExpertGroupMembership.objects.using(alias)
        .filter(user_id=_USER)
        .active_on(_DAY)
        .values_list("case_id", flat=True),
        (_USER, _DAY),
    )


def member_cases_sql(alias: str, user_id: int, day: date) -> tuple[str, list[Any]]:
    """The SQL and parameters that `member_case_ids` runs: one definition, `active_on`."""
    query = _compiled_member_cases(alias)
    return query.sql, query.params(user_id, day)
