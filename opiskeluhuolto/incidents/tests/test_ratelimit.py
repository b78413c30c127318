"""Anonymous reports cannot be flooded: a few per client in the window, then 429 with a
message in the reporter's language; the client's address is stored nowhere in the
incident tables (issue 17)."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.incidents.models import Incident
from opiskeluhuolto.procedures.tests.helpers import bullying_procedure

pytestmark = pytest.mark.django_db


def _body(cast):
    return {
        "category": "bullying",
        "campus": cast.lukio_campus.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "description": "Minua kiusataan.",
    }


def test_the_form_refuses_a_flood_with_429_in_the_readers_language(cast, client, settings):
    settings.INCIDENT_ANONYMOUS_RATE = 2
    bullying_procedure(cast)
    url = reverse("incidents:anonymous", args=[cast.lukio.slug])
    # A refused (invalid) report does not count.
    assert client.post(url, {**_body(cast), "category": ""}).status_code == 200
    for _ in range(2):
        assert client.post(url, _body(cast), REMOTE_ADDR="10.0.0.7").status_code == 200
    page = client.post(url, _body(cast), REMOTE_ADDR="10.0.0.7")
    assert page.status_code == 429
    assert "Tältä laitteelta on juuri lähetetty monta ilmoitusta" in page.text
    swedish = client.post(url, _body(cast), REMOTE_ADDR="10.0.0.7", HTTP_ACCEPT_LANGUAGE="sv")
    assert swedish.status_code == 429 and 'lang="sv"' in swedish.text
    assert Incident.objects.count() == 2
    # Another client is not affected.
    assert client.post(url, _body(cast), REMOTE_ADDR="10.0.0.8").status_code == 200
    assert Incident.objects.count() == 3


def test_the_api_answers_429_and_no_address_is_stored(cast, client, settings):
    settings.INCIDENT_ANONYMOUS_RATE = 1
    bullying_procedure(cast)
    url = reverse("api:incidents-anonymous")
    body = {
        "category": "bullying",
        "campus_id": cast.lukio_campus.pk,
        "occurred_at": timezone.now().isoformat(),
        "description": "Kiusaamista.",
    }
    first = client.post(url, body, content_type="application/json", REMOTE_ADDR="10.1.2.3")
    assert first.status_code == 201
    second = client.post(url, body, content_type="application/json", REMOTE_ADDR="10.1.2.3")
    assert second.status_code == 429 and second.json()["detail"]
    incident = Incident.objects.get()
    row = json.dumps(
        {f.attname: str(getattr(incident, f.attname)) for f in Incident._meta.concrete_fields}
    )
    assert "10.1.2.3" not in row
    assert not any("ip" in f.name.split("_") for f in Incident._meta.get_fields())
