"""Nothing behind sign-in is stored by a browser or a proxy: `Cache-Control: no-store`.

Walks every URL of the permission matrix (which has a row for every URL of the project,
pages and API alike) and requests each one as a signed-in member of the cast: whatever the
policy answers (the page, JSON, a PDF, a CSV, a calendar file, a redirect after a POST, or
404) must carry no-store when the view's policy is not public. The header is set by the
policies themselves (lib/confidential.py), so a new view cannot forget it.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from opiskeluhuolto.access.matrix import all_rows, setup_cast
from opiskeluhuolto.access.policies import POLICY_ATTR
from opiskeluhuolto.api.urls import api
from opiskeluhuolto.lib.apierrors import operations
from opiskeluhuolto.testing.cast import MEMBERS

pytestmark = pytest.mark.django_db

#: Public addresses that still answer with personal data.
PUBLIC_BUT_CONFIDENTIAL = {"appointments:feed", "incidents:anonymous", "api:incidents-anonymous"}


def _api_policies() -> dict[str, str]:
    return {
        f"api:{op.url_name}": op.auth_callbacks[0].policy for op in operations(api) if op.url_name
    }


def _policy(row, url: str, api_policies: dict[str, str]) -> str:
    if row.url_name.startswith("api:"):
        return api_policies[row.url_name]
    return getattr(resolve(url).func, POLICY_ATTR)


def _member(row) -> str:
    """A signed-in member the row lets through if there is one, otherwise any signed-in one."""
    signed_in = [m for m in MEMBERS if m != "anonymous"]
    allowed = [m for m in signed_in if row.status_for(m) in (200, 302)]
    return (allowed or signed_in)[0]


def test_every_confidential_response_says_no_store(cast):
    setup_cast(cast)
    api_policies = _api_policies()
    rows = sorted(all_rows(), key=lambda r: r.method != "get")  # state changes last
    checked, wrong = 0, []
    for row in rows:
        url = reverse(row.url_name, kwargs=row.kwargs(cast))
        policy = _policy(row, url, api_policies)
        if policy == "public" and row.url_name not in PUBLIC_BUT_CONFIDENTIAL:
            continue
        client = Client()
        client.force_login(cast.member(_member(row)))
        response = getattr(client, row.method)(url, data=row.data(cast))
        checked += 1
        if "no-store" not in response.get("Cache-Control", ""):
            wrong.append(f"{row.method.upper()} {url} ({policy}, {response.status_code})")
    assert checked > 100
    assert not wrong, wrong


def test_public_pages_may_be_cached(client):
    """Only confidential answers are marked: the public welfare pages are not."""
    response = client.get(reverse("front:accessibility"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
