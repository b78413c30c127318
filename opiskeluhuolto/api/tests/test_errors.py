"""Bad input to the API gets a 4xx with a JSON error, never a 500 or an HTML page."""

from __future__ import annotations

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

pytestmark = pytest.mark.django_db

POSTS = ["/api/v1/appointments/requests", "/api/v1/appointments/bookings"]

MALFORMED = [
    ("multipart/form-data", b"service=kuraattori"),  # no boundary
    ("multipart/form-data; boundary=zz", b"not multipart at all"),
    ("multipart/form-data; boundary=zz", b'--zz\r\nContent-Disposition: form-data; name="x"\r\n'),
    ("application/x-www-form-urlencoded", b"service=kuraattori"),
    ("application/json", b"{not json"),
    ("application/json", b"\xff\xfe\x00"),
    ("application/json", b"[1, 2]"),
    ("application/json", b'{"service": 5, "professional_id": "x", "starts_at": "eilen"}'),
    ("text/plain", b"hello"),
]


def _client_with_csrf(user) -> tuple[Client, str]:
    """A browser-like client: CSRF checks on, a CSRF cookie and the matching header."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(user)
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return client, token


@pytest.mark.parametrize(("content_type", "body"), MALFORMED)
def test_malformed_bodies_get_a_json_client_error(cast, content_type, body):
    client, token = _client_with_csrf(cast.student)
    for url in POSTS:
        response = client.generic(
            "POST", url, body, content_type=content_type, headers={"X-CSRFToken": token}
        )
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response["Content-Type"] == "application/json; charset=utf-8", url
        assert isinstance(response.json()["detail"], str), url


def test_invalid_input_names_the_fields(cast):
    client, token = _client_with_csrf(cast.student)
    response = client.post(
        "/api/v1/appointments/bookings",
        {"professional_id": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "The request is not valid."
    assert set(body["errors"]) == {"body.professional_id", "body.starts_at"}
    assert all(isinstance(m, str) for messages in body["errors"].values() for m in messages)


def test_invalid_query_parameters_name_the_fields(client, cast):
    client.force_login(cast.kuraattori)
    response = client.get("/api/v1/appointments/requests", {"open_only": "perhaps"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["query.open_only"]


def test_staff_without_totp_get_json_403_from_the_api(client, cast, settings):
    settings.REQUIRE_STAFF_MFA = True
    client.force_login(cast.kuraattori)
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403
    assert "TOTP" in response.json()["detail"]
    # The pages still lead to setting it up.
    assert client.get("/").status_code == 302
