"""Attachments of a version: uploaded to a draft (size and type checked, nothing stored
when refused), downloaded with the version's audience, removed only from a draft."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opiskeluhuolto.procedures import actions, attachments
from opiskeluhuolto.procedures.models import Attachment

from .helpers import STEPS, bullying_procedure, welfare_group

pytestmark = pytest.mark.django_db


def _pdf(name="ohje.pdf", content=b"%PDF-1.4 ohje"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _draft(procedure, by):
    from datetime import timedelta

    from django.utils import timezone

    return actions.add_version(
        procedure,
        steps=STEPS,
        review_on=timezone.localdate() + timedelta(days=100),
        change_note="Liite lisätty.",
        by=by,
    )


def test_upload_to_a_draft_download_with_the_audience_and_publish(cast, client):
    procedure = bullying_procedure(cast)
    draft = _draft(procedure, cast.rehtori)
    client.force_login(cast.rehtori)
    url = reverse("procedures:attachment_add", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"file": _pdf(), "title": "Yhteystiedot"})
    assert response.status_code == 302
    attachment = draft.attachments.get()
    assert attachment.title == "Yhteystiedot" and attachment.filename == "ohje.pdf"
    assert attachment.added_by == cast.rehtori and attachment.size == 13
    # Stored under a random name, not the uploaded one.
    assert "ohje" not in attachment.file.name and default_storage.exists(attachment.file.name)
    download = reverse("procedures:attachment", args=[attachment.pk])
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 ohje"
    assert 'filename="ohje.pdf"' in response["Content-Disposition"]
    # A draft's attachment is read only by those who manage the procedure.
    client.force_login(cast.teacher)
    assert client.get(download).status_code == 404
    actions.approve(draft, by=cast.kuraattori)
    actions.publish(draft, by=cast.rehtori)
    # Published: the version's audience (public here) reads it, signed in or not.
    assert client.get(download).status_code == 200
    client.logout()
    assert client.get(download).status_code == 200


def test_a_staff_procedures_attachment_is_not_for_students_or_other_units(cast, client):
    procedure = bullying_procedure(cast)
    procedure.audience = ["staff"]
    procedure.save()
    attachment = Attachment.objects.create(
        version=procedure.current(), title="Liite", file=_pdf(), filename="ohje.pdf"
    )
    download = reverse("procedures:attachment", args=[attachment.pk])
    client.force_login(cast.student)
    assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302  # to sign in
    client.force_login(cast.teacher)
    assert client.get(download).status_code == 200


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("virus.exe", b"MZ"), "Tämän tyyppistä tiedostoa ei voi liittää"),
        (SimpleUploadedFile("tyhja.pdf", b""), "tyhjä"),
        (None, "Valitse liitettävä tiedosto"),
    ],
)
def test_a_refused_upload_says_why_in_finnish_and_stores_nothing(cast, client, upload, message):
    procedure = bullying_procedure(cast)
    draft = _draft(procedure, cast.rehtori)
    client.force_login(cast.rehtori)
    data = {"title": "x"} if upload is None else {"file": upload}
    response = client.post(reverse("procedures:attachment_add", args=[draft.pk]), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Attachment.objects.exists()


def test_size_limit_comes_from_the_settings(cast, client, settings):
    settings.PROCEDURE_ATTACHMENT_MAX_MB = 1
    procedure = bullying_procedure(cast)
    draft = _draft(procedure, cast.rehtori)
    client.force_login(cast.rehtori)
    big = _pdf(content=b"x" * (1024 * 1024 + 1))
    response = client.post(
        reverse("procedures:attachment_add", args=[draft.pk]),
        {"file": big},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert response.status_code == 400
    assert "Filen är för stor: högst 1 MB." in response.text
    assert not Attachment.objects.exists()


def test_removed_only_from_a_draft_by_those_who_manage_it(cast, client):
    procedure = bullying_procedure(cast)
    published = Attachment.objects.create(
        version=procedure.current(), title="Liite", file=_pdf(), filename="ohje.pdf"
    )
    # A new draft starts with the current version's attachments (the same file).
    draft = _draft(procedure, cast.rehtori)
    carried = draft.attachments.get()
    assert carried.file.name == published.file.name
    client.force_login(cast.teacher)
    remove = reverse("procedures:attachment_remove", args=[carried.pk])
    assert client.post(remove).status_code == 404
    client.force_login(cast.rehtori)
    # From the published version: refused, it stays readable.
    client.post(reverse("procedures:attachment_remove", args=[published.pk]))
    assert Attachment.objects.filter(pk=published.pk).exists()
    # From the draft: removed; the file stays, the published version still refers to it.
    with_commit = client.post(remove)
    assert with_commit.status_code == 302
    assert not Attachment.objects.filter(pk=carried.pk).exists()
    assert default_storage.exists(published.file.name)


def test_a_removed_files_storage_is_freed_when_no_version_refers_to_it(
    cast, django_capture_on_commit_callbacks
):
    procedure = bullying_procedure(cast)
    draft = _draft(procedure, cast.rehtori)
    attachment = attachments.add(draft, upload=_pdf(), by=cast.rehtori)
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        actions.discard_draft(draft)
    assert not default_storage.exists(name)
    assert welfare_group(cast)  # the procedure and its group stay
