"""The whole access policy on one screen: URL × cast member → status.

Fails when a URL pattern of the project has no row, so every new view must
state who may reach it.

The cast and every app's matrix objects are built once per module (and per xdist worker)
in a transaction rolled back at its end; each row runs in a savepoint of its own that is
rolled back after it, so every row meets the world as freshly built, whatever the rows
before it posted. Each member of each row still signs in on a fresh client.
"""

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access.matrix import all_rows
from opiskeluhuolto.checks import EXEMPT_MODULE_PREFIXES, EXEMPT_ROUTE_PREFIXES, iter_patterns
from opiskeluhuolto.testing.cast import MEMBERS
from opiskeluhuolto.testing.world import build_matrix_world, keep_facts, module_world

ROWS = all_rows()


def project_url_names() -> set[str]:
    names = set()
    for route, name, namespace, callback in iter_patterns():
        if route.startswith(EXEMPT_ROUTE_PREFIXES) or (namespace or "").startswith("admin"):
            continue
        module = getattr(callback, "__module__", "") or ""
        if module.startswith(EXEMPT_MODULE_PREFIXES):
            continue
        assert name, f"URL /{route} has no name; every URL needs one for the matrix"
        names.add(name)
    # The API's root and schema are part of ninja itself, not our views.
    return names - {"api:api-root", "api:openapi-json"}


def test_every_url_has_a_row():
    listed = {row.url_name for row in ROWS}
    missing = project_url_names() - listed
    assert not missing, f"URLs missing from the permission matrix: {sorted(missing)}"


def test_rows_name_real_urls_and_known_members():
    names = project_url_names()
    for row in ROWS:
        assert row.url_name in names, f"matrix row for unknown URL {row.url_name}"
        assert set(row.expect) <= set(MEMBERS) | {"*"}, row.url_name
        assert "*" in row.expect or set(MEMBERS) <= set(row.expect), row.url_name


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast with every app's matrix objects, once per module, rolled back at the end,
    and its members' access facts as it stands."""
    with module_world(django_db_blocker, build_matrix_world) as built:
        yield built


@pytest.fixture
def world_cast(world, _fast_and_quiet):
    """The world's cast, each test starting with its members' facts in the (emptied) cache."""
    cast, facts = world
    keep_facts(facts)
    return cast


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method.upper()} {r.url_name}")
def test_matrix(row, world_cast):
    cast = world_cast
    url = reverse(row.url_name, kwargs=row.kwargs(cast))
    wrong = []
    for member in MEMBERS:
        client = Client()
        user = cast.member(member)
        if user is not None:
            client.force_login(user)
        response = getattr(client, row.method)(url, data=row.data(cast))
        expected = row.status_for(member)
        if response.status_code != expected:
            wrong.append(f"{member}: expected {expected}, got {response.status_code}")
    assert not wrong, f"{row.method.upper()} {url}: " + "; ".join(wrong)
