"""The anonymous report API's answers (LAW.md L-906-1, JulkL 24 §): what she wrote is
confidential, so no answer says it back, and none is stored by a browser or a proxy
(`Cache-Control: no-store`), the 400 of a body that cannot be read included."""

import json

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents/anonymous"
SECRET = "Minua kiusataan liikuntatunnilla, Ville tietää"


def _bodies(cast) -> list[tuple[int, dict]]:
    good = {
        "category": "harassment",
        "campus_id": cast.lukio_campus.pk,
        "occurred_at": timezone.now().isoformat(),
        "description": SECRET,
    }
    as_json = {"content_type": "application/json"}
    return [
        # A form post (no JSON) and broken JSON: 400, the body cannot be read.
        (400, {"data": {"description": SECRET}}),
        (
            400,
            {"data": "description=" + SECRET, "content_type": "application/x-www-form-urlencoded"},
        ),
        (400, {"data": json.dumps(good)[:-2], **as_json}),
        # Valid JSON that is not a valid report: 422, per field, never the values.
        (422, {"data": json.dumps({"description": SECRET}), **as_json}),
        (422, {"data": json.dumps({**good, "category": SECRET}), **as_json}),
        (422, {"data": json.dumps({**good, "occurred_at": SECRET}), **as_json}),
        (422, {"data": json.dumps({**good, "reporter": SECRET}), **as_json}),
        (422, {"data": json.dumps({**good, "description": [SECRET]}), **as_json}),
        (201, {"data": json.dumps(good), **as_json}),
    ]


def test_no_answer_echoes_the_description_and_none_is_stored(cast, client):
    for status, kwargs in _bodies(cast):
        r = client.post(URL, **kwargs)
        assert r.status_code == status, (status, r.content)
        assert SECRET not in r.content.decode(), r.content
        assert "Ville" not in r.content.decode()
        assert "no-store" in r.get("Cache-Control", ""), (status, r.get("Cache-Control"))
