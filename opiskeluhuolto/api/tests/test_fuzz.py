"""The whole API fuzzed with schemathesis, in process (WSGI, no server), as the cast.

Every operation of the OpenAPI document gets valid and invalid requests generated from
its schema, and requests with the ids of real objects (those the permission matrix
builds), each signed in as a kuraattori, a student and a guardian, with
a session and a CSRF token as a browser has. No answer may be a server error or differ
from the document (status code, content type, body schema). The number of examples is
kept small so the whole run stays well under two minutes.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from opiskeluhuolto.access.matrix import all_rows, setup_cast
from opiskeluhuolto.wsgi import application

pytestmark = pytest.mark.django_db

MEMBERS = ("kuraattori", "student", "guardian")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 4


def _real_ids(cast) -> dict[str, int]:
    """Path parameters of the API's matrix rows: ids of objects that exist."""
    ids: dict[str, int] = {}
    for row in all_rows():
        if row.url_name.startswith("api:"):
            for name, value in row.kwargs(cast).items():
                ids.setdefault(name, value)
    return ids


def _signed_in(user) -> tuple[dict, dict]:
    client = Client()
    client.force_login(user)
    token = _get_new_csrf_string()
    cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}
    return cookies, {"X-CSRFToken": token}


def _fuzz(strategy, cookies: dict, headers: dict) -> None:
    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same requests on every run: a failure is reproducible
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.fixture
def keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, which would end
    the test's transaction on PostgreSQL; Django's test client disconnects it the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_api_answers_as_documented(cast, keep_the_test_connection):
    setup_cast(cast)
    ids = _real_ids(cast)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    failures = []
    for member in MEMBERS:
        cookies, headers = _signed_in(cast.member(member))
        for operation in operations:
            strategies = [
                operation.as_strategy(GenerationMode.POSITIVE),
                operation.as_strategy(GenerationMode.NEGATIVE),
            ]
            path = [p.name for p in operation.path_parameters]
            if path and all(name in ids for name in path):
                known = {name: ids[name] for name in path}
                strategies.append(operation.as_strategy(path_parameters=known))
            for strategy in strategies:
                try:
                    _fuzz(strategy, cookies, headers)
                except Exception as e:  # noqa: BLE001 - every failure is reported at the end
                    failures.append(f"{member} {operation.label}: {e}")
    assert not failures, "\n\n".join(failures)
