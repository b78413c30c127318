"""Every URL and API operation that takes an object id, asked by every role at every distance.

The permission matrix (test_matrix.py) asks each URL as each member of the cast; it
could not see a youth worker reading the student directory or a kuraattori of another
campus cancelling a booking, because its cast had nobody standing at those distances.
Here every staff role is held at every position of `distance_rules.STAFF_POSITIONS`
(Aino's campus, her institution, the provider, the lukio's other campus, another
institution, another provider of the county, a provider elsewhere), and students and
guardians stand at every distance from Aino. The expected answer comes from the rule
table `distance_rules.RULES` (docs/access-rules.md), never from the code under test:
404 where the table says no, anything but 404 (and never a server error) where it
says yes.

The objects are the permission matrix's own (each app's `tests/matrix.py` `setup`), built
once per module in a transaction that is rolled back at the end; each request runs in a
savepoint that is rolled back too, so a POST (cancel, publish, close) changes nothing
for the next viewer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from opiskeluhuolto.access.matrix import all_rows, setup_cast
from opiskeluhuolto.checks import EXEMPT_MODULE_PREFIXES, EXEMPT_ROUTE_PREFIXES, iter_patterns
from opiskeluhuolto.organisation.models import (
    Campus,
    Guardianship,
    Institution,
    Provider,
    RoleAssignment,
    Student,
    StudentGroup,
)
from opiskeluhuolto.testing.world import facts_of, keep_facts, module_world

from . import distance_rules as rules

# The marker makes pytest-django create the test database; each test's own transaction
# is a savepoint inside the module's world.
pytestmark = pytest.mark.django_db

# --- which URLs take an object id ------------------------------------------------------


def id_url_names() -> set[str]:
    """URL patterns with a path parameter (an id, a slug, a token), from the URLconf."""
    names = set()
    for route, name, namespace, callback in iter_patterns():
        if route.startswith(EXEMPT_ROUTE_PREFIXES) or (namespace or "").startswith("admin"):
            continue
        if (getattr(callback, "__module__", "") or "").startswith(EXEMPT_MODULE_PREFIXES):
            continue
        if "<" in route:
            names.add(name)
    return names


def api_id_operations() -> set[tuple[str, str]]:
    """(method, url name) of every API operation with a path parameter, from the OpenAPI schema."""
    from opiskeluhuolto.api.urls import api

    found = set()
    prefix = reverse("api:api-root")
    for path, item in api.get_openapi_schema()["paths"].items():
        if "{" not in path:
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        match = resolve(prefix.rstrip("/") + "/" + concrete.removeprefix(prefix).lstrip("/"))
        for method in item:
            found.add((method.lower(), f"{match.namespace}:{match.url_name}"))
    return found


def test_every_id_url_has_a_rule():
    missing = id_url_names() - set(rules.URLS)
    assert not missing, f"URLs with an id missing from distance_rules.URLS: {sorted(missing)}"
    unknown = set(rules.URLS) - id_url_names()
    assert not unknown, f"distance_rules.URLS names unknown URLs: {sorted(unknown)}"
    for name, capability in rules.URLS.items():
        assert capability in rules.RULES, (name, capability)


def test_every_api_operation_with_an_id_is_asked():
    asked = {(row_method(name), name) for name in rules.URLS if name.startswith("api:")}
    missing = api_id_operations() - asked
    assert not missing, f"API operations with an id not in the distance test: {sorted(missing)}"


# --- the world ---------------------------------------------------------------------------

_ROWS = defaultdict(list)
for _row in all_rows():
    _ROWS[_row.url_name].append(_row)


def chosen_row(name: str):
    """The matrix row whose object the distance test asks about: a POST row when the view
    takes POST (a GET answers 405 before the object is fetched), else the first row."""
    rows = _ROWS[name]
    posts = [r for r in rows if r.method == "post"]
    return posts[0] if posts else rows[0]


def row_method(name: str) -> str:
    row = chosen_row(name)
    if row.method == "delete":
        return "delete"
    if row.method == "post" or 405 in row.expect.values():
        return "post"
    return "get"


def _user(username: str):
    from opiskeluhuolto.accounts.models import User

    user = User(username=username, first_name=username, last_name="Testi")
    user.set_unusable_password()  # no hashing: the world is built fast, sign-in is forced
    user.save()
    return user


def _student(user, institution, campus, group, first: str, born: date) -> Student:
    return Student.objects.create(
        user=user,
        institution=institution,
        campus=campus,
        group=group,
        first_name=first,
        last_name="Etäinen",
        date_of_birth=born,
    )


def _regional_group(cast, neighbour, members) -> None:
    """The county's regional cooperation group with Aino's provider and the neighbour, every
    viewer at the county distance a member: the group shares only communal content, so it
    gives none of them anything of Aino's (issue 20)."""
    from opiskeluhuolto.meetings import hierarchy
    from opiskeluhuolto.meetings.models import Membership

    # The matrix's regional group, with its regional plan (meetings/tests/matrix.py).
    regional = cast.regional_group
    hierarchy.set_member_providers(regional, [neighbour], by=None)
    Membership.objects.bulk_create(
        Membership(group=regional, user=user, role=Membership.Role.MEMBER) for user in members
    )


class World:
    """The cast with its objects, and one viewer per (role, position)."""

    def __init__(self, today: date):
        from opiskeluhuolto.testing.cast import build

        cast = build(today)
        setup_cast(cast)
        self.cast = cast
        county = cast.provider.wellbeing_county
        campus2 = Campus.objects.create(institution=cast.lukio, name="Toinen kampus")
        neighbour = Provider.objects.create(name="Läänin kaupunki", wellbeing_county=county)
        neighbour_inst = Institution.objects.create(
            provider=neighbour, name="Läänin lukio", slug="laani", level="upper_secondary"
        )
        units = {
            rules.CAMPUS: (cast.provider, cast.lukio, cast.lukio_campus),
            rules.INSTITUTION: (cast.provider, cast.lukio, None),
            rules.PROVIDER: (cast.provider, None, None),
            rules.OTHER_CAMPUS: (cast.provider, cast.lukio, campus2),
            rules.OTHER_INSTITUTION: (cast.provider, cast.amis, None),
            rules.COUNTY: (neighbour, neighbour_inst, None),
            rules.OTHER_PROVIDER: (cast.other_provider, cast.other_institution, None),
        }
        start = date(today.year - 1, 1, 1)
        #: (role or student/guardian, position) → user
        self.viewers: dict[tuple[str, str], object] = {}
        for role in rules.STAFF_ROLES:
            for position, (provider, inst, campus) in units.items():
                user = _user(f"{role}@{position}")
                RoleAssignment.objects.create(
                    user=user,
                    role=role,
                    provider=provider,
                    institution=inst,
                    campus=campus,
                    valid_from=start,
                )
                self.viewers[(role, position)] = user
        self.viewers[(rules.SUPERVISOR_OF_GROUP, rules.GROUP)] = cast.supervisor
        _regional_group(
            cast, neighbour, [self.viewers[(r, rules.COUNTY)] for r in rules.STAFF_ROLES]
        )
        minor = cast.aino.date_of_birth
        other_group = StudentGroup.objects.create(
            institution=cast.lukio, campus=cast.lukio_campus, name="24B"
        )
        far = _student(
            _user("student@other_provider"),
            cast.other_institution,
            None,
            None,
            "Kaukainen",
            minor,
        )
        students = {
            rules.OWN: cast.student,
            rules.GROUP: _student(
                _user("student@group"), cast.lukio, cast.lukio_campus, cast.group, "Luokka", minor
            ).user,
            rules.CAMPUS: _student(
                _user("student@campus"), cast.lukio, cast.lukio_campus, other_group, "Kampus", minor
            ).user,
            rules.OTHER_CAMPUS: _student(
                _user("student@other_campus"), cast.lukio, campus2, None, "Toinen", minor
            ).user,
            rules.OTHER_INSTITUTION: cast.adult,
            rules.OTHER_PROVIDER: far.user,
        }
        far_guardian = _user("guardian@other_provider")
        Guardianship.objects.create(student=far, guardian=far_guardian)
        guardians = {
            rules.OWN: cast.guardian,
            rules.GROUP: cast.guardian_onni,
            rules.OTHER_PROVIDER: far_guardian,
        }
        for position, user in students.items():
            self.viewers[(rules.STUDENT, position)] = user
        for position, user in guardians.items():
            self.viewers[(rules.GUARDIAN, position)] = user
        self.clients = {}
        for key, user in self.viewers.items():
            client = Client()
            client.force_login(user)  # type: ignore[arg-type]  # the cast's users
            self.clients[key] = client
        #: Every viewer's access facts as the world stands (`testing.world.facts_of`).
        self.facts = facts_of(self.viewers.values())


@pytest.fixture(scope="module")
def module_world_built(django_db_setup, django_db_blocker):
    """One world per module (and per xdist worker), rolled back at the end."""
    from django.utils import timezone

    with module_world(django_db_blocker, lambda: World(timezone.localdate())) as built:
        yield built


@pytest.fixture
def world(module_world_built, _fast_and_quiet):
    """The world, each test starting with its viewers' facts in the (emptied) cache."""
    keep_facts(module_world_built.facts)
    return module_world_built


def _ask(world, client, method: str, url: str, data: dict) -> int:
    with transaction.atomic():
        response = getattr(client, method)(url, data=data)
        transaction.set_rollback(True)
    if method != "get":
        # What was cached inside the rolled-back savepoint is gone with it; the world's
        # own facts are as they were.
        cache.clear()
        keep_facts(world.facts)
    return response.status_code


@pytest.mark.parametrize("name", sorted(rules.URLS))
def test_distance(name, world):
    capability = rules.URLS[name]
    table = rules.RULES[capability]
    row = chosen_row(name)
    method = row_method(name)
    cast = world.cast
    wrong = []
    url = reverse(name, kwargs=row.kwargs(cast))
    data = row.data(cast) if row.method == method else {}
    for (who, position), client in world.clients.items():
        status = _ask(world, client, method, url, data)
        allowed = position in table[who]
        if status >= 500 or (status == 404) == allowed:
            expected = "an answer" if allowed else "404"
            wrong.append(f"{who}@{position}: expected {expected}, got {status}")
    assert not wrong, f"{method.upper()} {url} ({capability}):\n  " + "\n  ".join(wrong)
