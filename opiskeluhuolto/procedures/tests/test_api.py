"""`GET /api/v1/procedures` lists the current version's attachments to exactly those who may
download them (the version's audience), each with a download address that answers them, and
nothing of an attachment to anyone else; a draft's new file is not listed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opiskeluhuolto.procedures import actions, attachments

from .helpers import STEPS, bullying_procedure

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.4 yhteystiedot kriisitilanteessa"


def _published_with_attachment(cast, audience):
    """The lukio's bullying procedure for `audience`, version 2 published with a file."""
    procedure = bullying_procedure(cast)
    procedure.audience = audience
    procedure.save(update_fields=["audience"])
    draft = actions.add_version(
        procedure,
        steps=STEPS,
        review_on=timezone.localdate() + timedelta(days=200),
        change_note="Yhteystiedot liitteenä.",
        by=cast.rehtori,
    )
    upload = SimpleUploadedFile("yhteystiedot.pdf", CONTENT, content_type="application/pdf")
    attachment = attachments.add(draft, upload=upload, title="Yhteystiedot", by=cast.rehtori)
    actions.approve(draft, by=cast.kuraattori)
    actions.publish(draft, by=cast.rehtori)
    return procedure, attachment


def _listed(client, user, procedure_id):
    client.force_login(user)
    response = client.get("/api/v1/procedures")
    assert response.status_code == 200
    return response, [p for p in response.json() if p["id"] == procedure_id]


def test_a_reader_of_the_version_gets_its_attachments_and_the_address_answers(cast, client):
    procedure, attachment = _published_with_attachment(cast, ["staff", "students"])
    for reader in (cast.student, cast.teacher):
        _, listed = _listed(client, reader, procedure.pk)
        assert len(listed) == 1 and listed[0]["version"] == 2
        [item] = listed[0]["attachments"]
        assert item == {
            "id": attachment.pk,
            "title": "Yhteystiedot",
            "filename": "yhteystiedot.pdf",
            "size": len(CONTENT),
            "content_type": "application/pdf",
            "download_url": f"http://testserver/procedures/attachments/{attachment.pk}/",
        }
        download = client.get(item["download_url"])
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == CONTENT


@pytest.mark.parametrize(
    "audience, outsider",
    [
        (["staff"], "student"),  # a staff procedure: not for the lukio's own student
        (["staff", "students"], "adult"),  # the vocational institution's student
        (["staff", "students"], "guardian"),  # guardians are not in the audience
        (["staff", "students"], "outsider"),  # staff of another provider
    ],
)
def test_no_trace_of_the_attachment_for_someone_outside_the_audience(
    cast, client, audience, outsider
):
    procedure, attachment = _published_with_attachment(cast, audience)
    response, listed = _listed(client, cast.member(outsider), procedure.pk)
    assert listed == []
    text = response.content.decode()
    assert "yhteystiedot.pdf" not in text and f"/attachments/{attachment.pk}/" not in text
    download = client.get(f"/procedures/attachments/{attachment.pk}/")
    assert download.status_code == 404
    # The same list and file for one who may: the test above can fail.
    _, listed = _listed(client, cast.teacher, procedure.pk)
    assert [a["id"] for a in listed[0]["attachments"]] == [attachment.pk]


def test_a_drafts_new_file_is_not_listed_until_published(cast, client):
    procedure, published = _published_with_attachment(cast, ["staff", "students"])
    draft = actions.add_version(
        procedure,
        steps=STEPS,
        review_on=timezone.localdate() + timedelta(days=200),
        change_note="Uusi liite.",
        by=cast.rehtori,
    )
    upload = SimpleUploadedFile("luonnos.pdf", b"%PDF-1.4 luonnos")
    attachments.add(draft, upload=upload, by=cast.rehtori)
    for reader in (cast.teacher, cast.rehtori):  # even for the draft's manager
        _, listed = _listed(client, reader, procedure.pk)
        assert listed[0]["version"] == 2
        assert [a["filename"] for a in listed[0]["attachments"]] == ["yhteystiedot.pdf"]
    actions.approve(draft, by=cast.kuraattori)
    actions.publish(draft, by=cast.rehtori)
    _, listed = _listed(client, cast.student, procedure.pk)
    assert sorted(a["filename"] for a in listed[0]["attachments"]) == [
        "luonnos.pdf",
        "yhteystiedot.pdf",
    ]


def _queries(client) -> int:
    client.get("/api/v1/procedures")  # the access facts are cached after the first
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/procedures")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("reader", ["teacher", "student"])
def test_the_list_asks_as_many_queries_for_one_procedure_as_for_three(cast, client, reader):
    _published_with_attachment(cast, ["staff", "students"])
    client.force_login(cast.member(reader))
    one = _queries(client)
    for _ in range(2):
        _published_with_attachment(cast, ["staff", "students"])
    assert len(client.get("/api/v1/procedures").json()) == 3
    assert _queries(client) == one
