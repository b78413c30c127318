"""The case API's read in the log (LAW.md L-906-1, L-906-8): "who has read my data" says
that the case was read through the API, as it says for the record's API; the row's
purpose is the case page's, marked as the API's."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from opiskeluhuolto.records.models import AccessLogEntry

from .story import open_aino_case

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@override_settings(LANGUAGE_CODE="fi")
def test_the_case_apis_read_says_to_the_student_that_it_was_through_the_api(cast):
    case = open_aino_case(cast)
    r = _client(cast.kuraattori).get(reverse("api:cases-detail", kwargs={"case_id": case.pk}))
    assert r.status_code == 200
    row = AccessLogEntry.objects.get(actor_id=cast.kuraattori.pk, case_id_ref=case.pk)
    assert row.action == AccessLogEntry.Action.API_READ
    assert row.purpose == "case page (API)"
    page = _client(cast.student).get(reverse("records:my_log")).content.decode()
    # Kaisa's row, in Finnish: who, in what role, what was read and how.
    assert "Kaisa Kuraattori" in page
    assert "luki rajapinnan kautta: opiskeluhuoltokertomus" in page
