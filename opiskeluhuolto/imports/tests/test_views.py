"""The upload page and the progress display (htmx polling of the import run)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opiskeluhuolto.imports.models import ImportRun, count_marks

from .conftest import marks
from .helpers import AINO

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path
    return tmp_path


def upload(client, cast, text: str, name: str = "wilma.csv"):
    return client.post(
        reverse("imports:index"),
        {
            "institution": cast.lukio.pk,
            "kind": "attendance",
            "file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv"),
        },
    )


def test_upload_runs_the_import_in_a_task_and_shows_progress(
    client, learners, upload_dir, django_capture_on_commit_callbacks
):
    client.force_login(learners.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, learners, marks(f"{AINO};16.11.2026;1;ENA01;X"))
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    assert run.status == ImportRun.Status.SUCCEEDED
    assert count_marks() == 1
    assert list(upload_dir.iterdir()) == []  # the uploaded copy is gone
    partial = client.get(reverse("imports:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert 'id="run-status"' in html and "<html" not in html
    assert "hx-trigger" not in html  # finished: polling stops


def test_a_running_import_polls_and_a_bad_file_lists_its_errors(
    client, learners, upload_dir, django_capture_on_commit_callbacks
):
    client.force_login(learners.admin)
    upload(client, learners, marks(f"{AINO};16.11.2026;1;ENA01;X"))  # task not run yet
    queued = ImportRun.objects.get()
    page = client.get(reverse("imports:run", args=[queued.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, learners, marks(f"{AINO};31.2.2026;1;ENA01;X"), name="bad.csv")
    bad = ImportRun.objects.get(file_name="bad.csv")
    page = client.get(reverse("imports:run", args=[bad.pk])).content.decode()
    assert bad.status == ImportRun.Status.FAILED
    assert "Rivi 2" in page and "31.2.2026" in page


def test_the_form_keeps_errors_next_to_the_field(client, learners, upload_dir):
    client.force_login(learners.admin)
    response = client.post(reverse("imports:index"), {"institution": learners.lukio.pk})
    assert response.status_code == 200
    assert "form-field__error" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_an_admin_of_another_provider_cannot_import_here(client, learners, upload_dir):
    from opiskeluhuolto.organisation import actions as org

    org.assign_role(
        learners.outsider,
        role="provider_admin",
        provider=learners.other_provider,
        valid_from=learners.today,
    )
    client.force_login(learners.outsider)
    response = upload(client, learners, marks(f"{AINO};16.11.2026;1;ENA01;X"))
    assert response.status_code == 200  # the institution is not a valid choice
    assert not ImportRun.objects.exists()


def test_api_lists_runs_with_errors(
    client, learners, upload_dir, django_capture_on_commit_callbacks
):
    client.force_login(learners.admin)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, learners, marks(f"{AINO};31.2.2026;1;ENA01;X"))
    run = ImportRun.objects.get()
    data = client.get(reverse("api:imports-run", args=[run.pk])).json()
    assert data["status"] == "failed"
    assert data["errors"][0]["line"] == 2 and data["errors"][0]["code"] == "date"


def test_a_file_imported_before_is_refused_at_upload_without_a_task(
    client, learners, upload_dir, django_capture_on_commit_callbacks
):
    """The upload is hashed as it is written: the same file again is a duplicate at once,
    no task reads it, and the uploaded copy is not kept."""
    client.force_login(learners.admin)
    text = marks(f"{AINO};16.11.2026;1;ENA01;X")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, learners, text)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, learners, text, name="again.csv")
    again = ImportRun.objects.get(file_name="again.csv")
    assert again.status == ImportRun.Status.DUPLICATE
    assert again.sha256 == ImportRun.objects.get(file_name="wilma.csv").sha256
    assert callbacks == []  # nothing queued
    assert list(upload_dir.iterdir()) == []
    assert count_marks() == 1
    assert response["Location"] == reverse("imports:run", args=[again.pk])
    page = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in page  # finished at once: no polling
