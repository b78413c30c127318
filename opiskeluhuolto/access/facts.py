"""The per-person facts the resolver is built on, cached between requests.

Every signed-in page needs the same few facts about its user: role assignments, the
own student record, the students guarded, expert-group and welfare-group memberships,
the registers held. Read with the ORM they cost six to nine queries on every page.
They change rarely, so `restore` keeps them in the cache under a key made of the
person, the day (validity and age are by day) and `FactsVersion.token`, which the
database changes in the same transaction as any write to the tables they come from
(migration 0001's triggers). A reader therefore never gets facts older than the token it
read: after a write commits, the next request reads the new token and recomputes.

The institution tables have triggers too (migration 0002): the own student comes with
its institution, and data read only from TABLES can be kept under the same token with
`cached` (the booking pages keep the school calendars they count working days with).
Decisions that write, such as a request's legal deadline, read the calendar from the
database.

The gate of the welfare register (`records.reading`) does not use this: it builds a
fresh resolver on every read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import connection

if TYPE_CHECKING:
    from .permissions import Permissions

#: The resolver's cached properties that hold facts read from the database.
FACTS = (
    "grants",
    "own_student",
    "guarded_student_ids",
    "student_institution_ids",
    "member_case_ids",
    "responsible_case_ids",
    "register_provider_ids",
    "_guardian_blocks",
    "group_roles",
)

#: The tables FACTS are read from, and the data kept with `cached`; each has a trigger
#: that changes the token.
TABLES = (
    "organisation_roleassignment",
    "organisation_student",
    "organisation_guardianship",
    "organisation_provider",
    "cases_expertgroupmembership",
    "cases_guardianprohibition",
    "meetings_membership",
    "organisation_institution",
    "organisation_schoolyear",
    "organisation_calendarperiod",
)

#: Tables the facts join only for columns fixed when their rows are written, so they need
#: no trigger: a case's institution is set when it is opened, before its first membership
#: (the membership's own write changes the token), and never changes.
FIXED_JOINS = ("cases_case",)

TIMEOUT = 3600


def token() -> int | None:
    """The current token; None if the row is missing (then nothing is cached).

    Plain SQL: this runs on every signed-in request, and building the same one-row query
    through the ORM costs several times more than running it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM access_factsversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def restore(can: Permissions) -> None:
    """Fill `can`'s facts from the cache, or compute them all and cache them."""
    if not can.is_authenticated:
        return
    current = token()
    if current is None:
        return
    can.facts_token = current
    key = f"access-facts:{can.user.pk}:{can.today.isoformat()}:{current}"
    facts = cache.get(key)
    if facts is None:
        cache.set(key, {name: getattr(can, name) for name in FACTS}, TIMEOUT)
    else:
        can.__dict__.update(facts)


def cached[T](can: Permissions, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept under the token `can`'s facts were restored with, so that it is
    never older than those facts. Only for values read from TABLES alone (a test for each
    use checks the tables its queries read). Without a token, computed every time."""
    current = getattr(can, "facts_token", None)
    if current is None:
        return compute()
    key = f"access-cached:{name}:{current}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
