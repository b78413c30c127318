"""A campus or institution procedure adapts a broader one of the same kind (issue 17):
the rule itself, and the settings page that sets it (audited, nothing stored when refused)."""

import pytest
from django.urls import reverse

from opiskeluhuolto.audit.models import AuditEvent
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.procedures.configuring import ADAPTS_ERROR, adapt_error
from opiskeluhuolto.procedures.models import Kind, Procedure

from .helpers import bullying_procedure, welfare_group

pytestmark = pytest.mark.django_db


def _procedure(cast, *, provider=None, institution=None, campus=None, kind=Kind.BULLYING):
    return Procedure.objects.create(
        provider=provider or cast.provider,
        institution=institution,
        campus=campus,
        kind=kind,
        title=f"{kind} {institution or ''} {campus or ''}",
        owner_group=welfare_group(cast),
        audience=["staff"],
    )


def test_the_rule(cast):
    provider_wide = _procedure(cast)
    lukio = _procedure(cast, institution=cast.lukio)
    amis = _procedure(cast, institution=cast.amis)
    campus = _procedure(cast, institution=cast.lukio, campus=cast.lukio_campus)
    other_kind = _procedure(cast, kind=Kind.CRISIS)
    other_provider = Procedure.objects.create(
        provider=cast.other_provider,
        kind=Kind.BULLYING,
        title="Naapurin ohje",
        owner_group=welfare_group(cast),
        audience=["staff"],
    )
    # Broader units containing this one: allowed.
    assert adapt_error(campus, lukio) is None
    assert adapt_error(campus, provider_wide) is None
    assert adapt_error(lukio, provider_wide) is None
    assert adapt_error(campus, None) is None
    # Narrower, the same level, unrelated, another kind or another provider: refused.
    refused = [
        (provider_wide, lukio),
        (provider_wide, provider_wide),
        (lukio, campus),
        (lukio, lukio),
        (lukio, amis),
        (campus, amis),
        (campus, campus),
        (campus, other_kind),
        (lukio, other_provider),
    ]
    for procedure, adapted in refused:
        assert adapt_error(procedure, adapted) == str(ADAPTS_ERROR), (procedure, adapted)
    # An unsaved procedure (the new-procedure form) is judged the same way.
    new = Procedure(
        provider=cast.provider, institution=cast.amis, campus=cast.amis_campus, kind=Kind.BULLYING
    )
    assert adapt_error(new, lukio) == str(ADAPTS_ERROR)
    assert adapt_error(new, amis) is None and adapt_error(new, provider_wide) is None


def _form(procedure, adapts):
    return {
        "adapts": str(adapts) if adapts is not None else "",
        "audience": ["staff"],
        "must_know_roles": [Role.TEACHER.value],
        "responsible": str(procedure.responsible_id or ""),
        "follow_up_days": "14",
        "review_remind_days": "30",
        "lock": str(procedure.settings_lock),
    }


def test_the_settings_page_sets_what_it_adapts(cast, client):
    procedure = bullying_procedure(cast)  # the lukio's
    provider_wide = _procedure(cast)
    _procedure(cast, kind=Kind.CRISIS)  # another kind: not offered
    client.force_login(cast.rehtori)
    url = reverse("procedures:settings", args=[procedure.pk])
    form = client.get(url).context["form"]
    assert [pk for pk, _label in form.fields["adapts"].choices] == ["", provider_wide.pk]
    response = client.post(url, _form(procedure, provider_wide.pk))
    assert response.status_code == 302, response.context["form"].errors
    procedure.refresh_from_db()
    assert procedure.adapts == provider_wide and procedure.settings_lock == 1
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PROCEDURE_SETTINGS_CHANGED)
    assert event.before["adapts"] is None and event.after["adapts"] == provider_wide.pk
    # Removing it is a change too.
    response = client.post(url, _form(procedure, None))
    assert response.status_code == 302
    procedure.refresh_from_db()
    assert procedure.adapts is None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PROCEDURE_SETTINGS_CHANGED).count() == 2


def test_the_settings_page_refuses_what_it_cannot_adapt(cast, client):
    procedure = bullying_procedure(cast)  # the lukio's
    campus = _procedure(cast, institution=cast.lukio, campus=cast.lukio_campus)
    amis = _procedure(cast, institution=cast.amis)
    other_provider = Procedure.objects.create(
        provider=cast.other_provider,
        kind=Kind.BULLYING,
        title="Naapurin ohje",
        owner_group=welfare_group(cast),
        audience=["staff"],
    )
    client.force_login(cast.rehtori)
    url = reverse("procedures:settings", args=[procedure.pk])
    for adapted in (other_provider, campus, amis, procedure):
        response = client.post(url, _form(procedure, adapted.pk))
        assert response.status_code == 200
        assert response.context["form"].errors["adapts"] == [str(ADAPTS_ERROR)]
    # Said in the reader's language: Finnish by default, Swedish when chosen.
    assert "Toimintaohje voi mukauttaa vain" in response.content.decode()
    client.cookies["django_language"] = "sv"
    response = client.post(url, _form(procedure, amis.pk))
    assert "En instruktion kan anpassa endast" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.adapts is None and procedure.settings_lock == 0
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.PROCEDURE_SETTINGS_CHANGED)
