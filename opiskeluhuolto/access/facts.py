"""The per-person facts the resolver is built on, cached between requests.

Every signed-in page needs the same few facts about its user: role assignments, the
own student record, the students guarded, expert-group and welfare-group memberships,
the registers held. Read with the ORM they cost six to nine queries on every page.
They change rarely, so `restore` keeps them in the cache, each fact under a key made of
its name, the person, the day (validity and age are by day) and `FactsVersion.token`
(read once per request, when the first fact is asked for; a request reads and computes
only the facts it asks for: `fact`), which the
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
from functools import cached_property
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
    "own_refused_case_ids",
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
    "organisation_campus",
    "organisation_studentgroup",
    "surveys_resultcount",
    "access_accessrestriction",
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
    """Let `can`'s facts come from the cache: nothing is read until a fact is first
    asked for (`fact`); then the token and every fact cached under it are read at once,
    and a fact missing there is computed when asked and cached alone. A request that asks
    for no fact (the answer API of surveys) costs nothing; one that asks for one fact of a
    person not seen before computes that fact only."""
    if can.is_authenticated:
        can.__dict__["_facts_pending"] = True


def _load(can: Permissions) -> None:
    """The token and every fact cached under it, once per resolver, on the first fact."""
    if not can.__dict__.pop("_facts_pending", False):
        return
    current = token()
    if current is None:
        return
    can.facts_token = current
    keys = {_key(can, name, current): name for name in FACTS}
    for key, value in cache.get_many(list(keys)).items():
        can.__dict__.setdefault(keys[key], value)


def current(can: Permissions) -> int | None:
    """The token `can`'s facts are read under (read once per resolver, with the facts
    cached under it, as when a fact is first asked for), or None."""
    _load(can)
    return can.facts_token


def _key(can: Permissions, name: str, current: int) -> str:
    return f"access-facts:{can.user.pk}:{can.today.isoformat()}:{current}:{name}"


def keys(can: Permissions) -> list[str]:
    """The cache keys of `can`'s facts under the token they were restored with."""
    current = can.facts_token
    return [] if current is None else [_key(can, name, current) for name in FACTS]


def _still_current(can: Permissions, current: int) -> bool:
    """Whether a fact just computed may be kept under `current`. Outside a transaction
    every read sees committed rows, at least as new as the token. Inside one, this
    request may have written a fact table (its trigger changed the token, visible to this
    transaction only): a fact read then may be rolled back, so it is kept only when the
    token is still the one the facts were restored with. The test case's own wrapping
    transaction (marked `_from_testcase` by Django) counts as none, as for `on_commit`."""
    if any(not getattr(a, "_from_testcase", False) for a in connection.atomic_blocks):
        return token() == current
    return True


class fact[T](cached_property[T]):
    """A resolver property holding a fact read from the database (one of FACTS): with
    `restore`, read from the cache, or computed and cached alone when missing there.
    Without `restore` (a resolver for one day, the register's gate) it is a plain
    `cached_property`. Written here because the cache must be consulted per fact and
    under the token, which `functools.cached_property` has no hook for."""

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        name = self.attrname
        _load(instance)
        if name in instance.__dict__:
            return instance.__dict__[name]
        value = self.func(instance)
        instance.__dict__[name] = value
        current = instance.facts_token
        if current is not None and _still_current(instance, current):
            cache.set(_key(instance, name, current), value, TIMEOUT)
        return value


def cached[T](can: Permissions, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept under the token `can`'s facts were restored with, so that it is
    never older than those facts. Only for values read from TABLES alone (a test for each
    use checks the tables its queries read). Without a token, computed every time."""
    _load(can)
    current = getattr(can, "facts_token", None)
    if current is None:
        return compute()
    key = f"access-cached:{name}:{current}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
