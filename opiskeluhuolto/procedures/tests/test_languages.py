"""A version's text in Swedish and English: written on the version form, read in the
reader's language, Finnish where a part is not translated (issue 17)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.procedures import actions

from .helpers import STEPS, bullying_procedure

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "summary": "Näin toimimme.",
        "steps": "Keskeytä tilanne. | havaitsija\nKirjaa tapahtuma.",
        "change_note": "Ruotsin- ja englanninkielinen teksti.",
        "review_on": (timezone.localdate() + timedelta(days=200)).isoformat(),
        **extra,
    }


def test_translations_are_written_on_the_form_and_read_in_the_readers_language(cast, client):
    procedure = bullying_procedure(cast)
    client.force_login(cast.rehtori)
    # The new version's form offers the current translation for updating.
    page = client.get(reverse("procedures:version_new", args=[procedure.pk]))
    assert page.context["form"].initial["title_sv"] == "Mobbning, våld och trakasserier"
    response = client.post(
        reverse("procedures:version_new", args=[procedure.pk]),
        _form(
            title_sv="Mobbning",
            steps_sv="Avbryt situationen.\nDokumentera händelsen. | lärare",
            title_en="Bullying",
            summary_en="What we do.",
        ),
    )
    assert response.status_code == 302
    draft = procedure.versions.get(number=2)
    assert draft.translations == {
        "sv": {
            "title": "Mobbning",
            "steps": [
                # A translated step without a role keeps the Finnish step's role.
                {"text": "Avbryt situationen.", "role": "havaitsija"},
                {"text": "Dokumentera händelsen.", "role": "lärare"},
            ],
        },
        "en": {"title": "Bullying", "summary": "What we do."},
    }
    en = draft.localized("en")
    assert en["title"] == "Bullying" and en["summary"] == "What we do."
    assert en["steps"][0]["text"] == "Keskeytä tilanne."  # not translated: Finnish
    assert draft.localized("fi")["title"] == procedure.title
    # Editing the draft shows and keeps what was written.
    edit = reverse("procedures:version_edit", args=[draft.pk])
    assert client.get(edit).context["form"].initial["title_en"] == "Bullying"


def test_the_detail_page_and_api_give_the_readers_language(cast, client):
    procedure = bullying_procedure(cast)
    client.force_login(cast.teacher)
    url = reverse("procedures:detail", args=[procedure.pk])
    assert "Mobbning, våld och trakasserier" in client.get(url, HTTP_ACCEPT_LANGUAGE="sv").text
    finnish = client.get(url, HTTP_ACCEPT_LANGUAGE="en").text  # no English: Finnish
    assert "Kiusaaminen, väkivalta ja häirintä" in finnish


def test_translated_steps_must_match_the_finnish_ones(cast, client):
    procedure = bullying_procedure(cast)
    client.force_login(cast.rehtori)
    response = client.post(
        reverse("procedures:version_new", args=[procedure.pk]),
        _form(steps_sv="Bara ett steg."),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["steps_sv"]
    assert not procedure.versions.filter(number=2).exists()
    with pytest.raises(ValidationError) as e:
        actions.add_version(
            procedure,
            steps=STEPS,
            review_on=timezone.localdate() + timedelta(days=30),
            change_note="x",
            translations={"de": {"title": "Mobbing"}},
        )
    assert "translations" in e.value.message_dict
