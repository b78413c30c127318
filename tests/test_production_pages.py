"""Every page renders under the production settings (DEBUG=false, manifest static files).

Run by `.ci/run` in a pass of its own, after `collectstatic`, with DEBUG=false and test
secrets; other runs deselect it (conftest.py). Production serves static files through
whitenoise's CompressedManifestStaticFilesStorage, which refuses a `{% static %}` that
`collectstatic` did not put in the manifest ("Missing staticfiles manifest entry"), so a
template naming a missing file fails here instead of with a 500 in production.

The pages are the GET rows of the permission matrix, each rendered for every member of
the cast that the matrix says may open it (every main role, and the sign-in pages for
the anonymous visitor).
"""

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.access.matrix import all_rows
from opiskeluhuolto.testing.cast import MEMBERS
from opiskeluhuolto.testing.world import build_matrix_world, keep_facts, module_world

pytestmark = pytest.mark.production_settings

PAGES = [
    row
    for row in all_rows()
    if row.method == "get" and any(row.status_for(m) == 200 for m in MEMBERS)
]


def test_the_settings_are_production_ones():
    assert not settings.DEBUG
    assert "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]
    # The manifest is there: collectstatic ran into STATIC_ROOT before this pass.
    assert staticfiles_storage.hashed_files, "no staticfiles manifest: run collectstatic first"


def test_a_missing_static_file_fails_the_render():
    from django.template import Context, Template

    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        Template("{% load static %}{% static 'no/such/file.css' %}").render(Context())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The cast with every app's matrix objects, built once for the module and rolled
    back at its end (as in access/tests/test_matrix.py): each test rolls back its own
    writes, so every page renders against the same world as if built for it alone."""
    with module_world(django_db_blocker, build_matrix_world) as built:
        yield built


@pytest.fixture
def world_cast(world, _fast_and_quiet):
    cast, facts = world
    keep_facts(facts)
    return cast


@pytest.mark.django_db
@pytest.mark.parametrize("row", PAGES, ids=lambda r: r.url_name)
def test_page_renders_for_everyone_who_may_open_it(row, world_cast):
    cast = world_cast
    url = reverse(row.url_name, kwargs=row.kwargs(cast))
    readers = [m for m in MEMBERS if row.status_for(m) == 200]
    wrong = []
    for member in readers:
        client = Client()
        user = cast.member(member)
        if user is not None:
            client.force_login(user)
        # secure: production redirects plain HTTP to HTTPS (SECURE_SSL_REDIRECT).
        response = client.get(url, data=row.data(cast), secure=True)
        if response.status_code != 200:
            wrong.append(f"{member}: {response.status_code}")
    assert not wrong, f"GET {url}: " + "; ".join(wrong)
