"""Writing versions from the pages: draft, edit, discard, approve, publish."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.meetings.models import Membership
from opiskeluhuolto.procedures.models import Procedure, ProcedureVersion

from .helpers import bullying_procedure, welfare_group

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "summary": "Näin toimimme.",
        "steps": "Keskeytä tilanne. | havaitsija\nKirjaa tapahtuma.\n\n",
        "change_note": "Kirjaaminen samana päivänä.",
        "review_on": (timezone.localdate() + timedelta(days=200)).isoformat(),
        **extra,
    }


def test_draft_edit_approve_publish_from_the_pages(cast, client):
    procedure = bullying_procedure(cast)
    client.force_login(cast.rehtori)
    response = client.post(reverse("procedures:version_new", args=[procedure.pk]), _form())
    assert response.status_code == 302
    draft = procedure.versions.get(number=2)
    assert draft.written_by == cast.rehtori and draft.approved_at is None
    assert draft.steps == [
        {"text": "Keskeytä tilanne.", "role": "havaitsija"},
        {"text": "Kirjaa tapahtuma.", "role": ""},
    ]
    # Only one draft at a time: a second "new" goes to the draft being written.
    again = client.get(reverse("procedures:version_new", args=[procedure.pk]))
    assert again.url == reverse("procedures:version_edit", args=[draft.pk])
    # Publishing refuses a draft not approved.
    client.post(reverse("procedures:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.published_at is None and procedure.current().number == 1
    # The author does not approve her own text: another member of the owner group does.
    client.post(reverse("procedures:version_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.approved_at is None
    Membership.objects.create(group=welfare_group(cast), user=cast.kuraattori, role="member")
    client.force_login(cast.kuraattori)
    client.post(reverse("procedures:version_approve", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.approved_by == cast.kuraattori and draft.approved_at is not None
    # Editing withdraws the approval: the new text is approved again, by someone else
    # than its new author.
    edit = reverse("procedures:version_edit", args=[draft.pk])
    assert client.post(edit, _form(steps="Soita rehtorille. | opettaja")).status_code == 302
    draft.refresh_from_db()
    assert draft.approved_at is None and draft.steps[0]["text"] == "Soita rehtorille."
    assert draft.written_by == cast.kuraattori
    client.force_login(cast.rehtori)
    client.post(reverse("procedures:version_approve", args=[draft.pk]))
    client.post(reverse("procedures:publish", args=[draft.pk]))
    assert procedure.current() == draft
    text = client.get(reverse("procedures:detail", args=[procedure.pk])).content.decode()
    assert "Soita rehtorille." in text
    # A published version is not edited nor discarded.
    client.post(edit, _form(steps="Muuta"))
    client.post(reverse("procedures:version_discard", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.steps[0]["text"] == "Soita rehtorille."


def test_bad_version_input_saves_nothing(cast, client):
    procedure = bullying_procedure(cast)
    client.force_login(cast.rehtori)
    url = reverse("procedures:version_new", args=[procedure.pk])
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    for data in (_form(steps=" \n "), _form(review_on=past), _form(change_note="")):
        response = client.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert procedure.versions.count() == 1


def test_discard_a_draft(cast, client):
    procedure = bullying_procedure(cast)
    client.force_login(cast.rehtori)
    client.post(reverse("procedures:version_new", args=[procedure.pk]), _form())
    draft = procedure.versions.get(number=2)
    client.post(reverse("procedures:version_discard", args=[draft.pk]))
    assert not ProcedureVersion.objects.filter(pk=draft.pk).exists()
    assert procedure.current().number == 1


def test_owner_group_staff_members_write_versions_others_do_not(cast, client):
    procedure = bullying_procedure(cast)
    url = reverse("procedures:version_new", args=[procedure.pk])
    client.force_login(cast.teacher)
    assert client.get(url).status_code == 404
    Membership.objects.create(group=welfare_group(cast), user=cast.teacher, role="member")
    assert client.get(url).status_code == 200
    assert client.post(url, _form()).status_code == 302
    assert procedure.versions.get(number=2).written_by == cast.teacher
    # A student representative of the owner group does not write procedures.
    Membership.objects.create(group=welfare_group(cast), user=cast.student, role="student_rep")
    client.force_login(cast.student)
    assert client.get(url).status_code == 404


def _new(cast, **extra):
    return {
        "title": "Päihteet",
        "kind": "substance",
        "unit": f"i{cast.lukio.pk}",
        "owner_group": welfare_group(cast).pk,
        "audience": ["staff", "students"],
        "summary": "",
        "steps": "Ota puheeksi. | opettaja",
        "review_on": (timezone.localdate() + timedelta(days=300)).isoformat(),
        **extra,
    }


def test_create_a_procedure_from_the_page(cast, client):
    client.force_login(cast.rehtori)
    url = reverse("procedures:new")
    page = client.get(url).content.decode()
    assert f'value="i{cast.lukio.pk}"' in page
    assert f'value="c{cast.lukio_campus.pk}"' in page
    response = client.post(url, _new(cast))
    assert response.status_code == 302
    procedure = Procedure.objects.get(title="Päihteet")
    assert procedure.institution == cast.lukio and procedure.audience == ["staff", "students"]
    draft = procedure.versions.get()
    assert draft.written_by == cast.rehtori and draft.published_at is None
    assert procedure.current() is None
    assert response.url == reverse("procedures:detail", args=[procedure.pk])


def test_create_refused_for_staff_outside_the_owner_group_and_bad_input(cast, client):
    client.force_login(cast.teacher)
    url = reverse("procedures:new")
    response = client.post(url, _new(cast))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    past = (timezone.localdate() - timedelta(days=1)).isoformat()
    client.force_login(cast.rehtori)
    for data in (_new(cast, steps=""), _new(cast, review_on=past), _new(cast, unit="x")):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors
    # The amis is not the rehtori's: not offered, and refused if posted.
    assert client.post(url, _new(cast, unit=f"i{cast.amis.pk}")).status_code == 200
    assert not Procedure.objects.filter(title="Päihteet").exists()
    client.force_login(cast.student)
    assert client.get(url).status_code == 404


def test_a_new_version_does_not_carry_an_old_translation(cast, client):
    procedure = bullying_procedure(cast)
    assert procedure.current().localized("sv")["title"] == "Mobbning, våld och trakasserier"
    client.force_login(cast.rehtori)
    client.post(reverse("procedures:version_new", args=[procedure.pk]), _form())
    draft = procedure.versions.get(number=2)
    assert draft.translations == {}
    assert draft.localized("sv")["steps"][0]["text"] == "Keskeytä tilanne."


def test_change_note_is_marked_required_and_its_error_stands_next_to_it(cast, client):
    """Issue 17: "Mitä muuttui" is required from the second version on; the form says so
    like the site's other required fields, and the error is shown at the field."""
    procedure = bullying_procedure(cast)
    client.force_login(cast.rehtori)
    url = reverse("procedures:version_new", args=[procedure.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert 'Mitä muuttui <span aria-hidden="true">*</span></label>' in page
    response = client.post(url, _form(change_note="  "), HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<p class="form-field__error" id="id_change_note_error">'
        "Kerro, mikä muuttui edellisestä versiosta.</p>"
    ) in page
    assert procedure.versions.count() == 1


def test_first_versions_draft_does_not_require_a_change_note(cast, client):
    procedure = bullying_procedure(cast, publish=False)
    draft = procedure.versions.get()
    client.force_login(cast.rehtori)
    edit = reverse("procedures:version_edit", args=[draft.pk])
    page = client.get(edit, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert 'Mitä muuttui <span aria-hidden="true">*</span>' not in page
    assert "Mitä muuttui</label>" in page
    assert client.post(edit, _form(change_note="")).status_code == 302


def test_the_author_cannot_approve_her_own_version(cast, client):
    """Issue 17: approval is a second person's act; the page says so to the author."""
    procedure = bullying_procedure(cast)
    Membership.objects.create(group=welfare_group(cast), user=cast.kuraattori, role="member")
    client.force_login(cast.kuraattori)
    client.post(reverse("procedures:version_new", args=[procedure.pk]), _form())
    draft = procedure.versions.get(number=2)
    detail = reverse("procedures:detail", args=[procedure.pk])
    approve = reverse("procedures:version_approve", args=[draft.pk])
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert approve not in page
    assert "Kirjoitit tämän version: sen hyväksyy toinen" in page
    response = client.post(approve, HTTP_ACCEPT_LANGUAGE="fi", follow=True)
    assert "Kirjoitit tämän version: sen hyväksyy toinen" in response.content.decode()
    draft.refresh_from_db()
    assert draft.approved_at is None and draft.approved_by is None
    # Someone else entitled to manage the procedure sees the button and approves.
    client.force_login(cast.rehtori)
    assert approve in client.get(detail).content.decode()
    client.post(approve)
    draft.refresh_from_db()
    assert draft.approved_by == cast.rehtori
