"""Corrections after a case closes (issue 14 item 2; LAW.md L-GDPR-3, L-20-2, L-21-1).

Once a case is closed nobody is a member of it. The provider's register administration
(the register responsible person, or the holders of the role the provider names) decides
rectification requests and corrects entries; every such act is an entry and is logged.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.cases import expert_groups
from opiskeluhuolto.organisation import actions as org_actions
from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records import actions
from opiskeluhuolto.records.models import AccessLogEntry, RecordEntry

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def closed(cast, case_with_entry):
    cast.provider.register_responsible = cast.admin
    cast.provider.save(update_fields=["register_responsible"])
    expert_groups.close_case(case_with_entry, by=cast.kuraattori)
    case_with_entry.refresh_from_db()
    return case_with_entry


def test_register_administration_decides_a_request_on_a_closed_case(cast, closed):
    req = actions.request_rectification(closed, by=cast.student, text="Tapaamisia kahdesti.")
    with pytest.raises(ValidationError):  # the former responsible person is no member now
        actions.decide_rectification(req, by=cast.kuraattori, accepted=True, decision="x")
    actions.decide_rectification(
        req, by=cast.admin, accepted=True, decision="Korjataan kokousmerkintä."
    )
    req.refresh_from_db()
    assert req.status == "accepted" and req.decided_by == cast.admin
    entry = req.decision_entry
    assert entry.kind == "rectification" and entry.author == cast.admin
    assert "rekisterin hallinta" in entry.author_profession
    row = AccessLogEntry.objects.filter(actor_id=cast.admin.pk, purpose="rectification").get()
    assert (row.action, row.basis) == ("create", "register_admin")


def test_register_administration_corrects_an_entry_of_a_closed_case(cast, closed):
    entry = RecordEntry.objects.get(record__case=closed, kind="meeting")
    with pytest.raises(ValidationError):
        actions.amend_entry(entry, by=cast.kuraattori, text="x", reason="y", expected_version=1)
    amendment = actions.amend_entry(
        entry,
        by=cast.admin,
        text="Tapaamiset kahdesti viikossa.",
        reason="Opiskelijan oikaisupyyntö hyväksytty",
        expected_version=1,
    )
    assert amendment.author == cast.admin and amendment.version == 2
    # The act is an entry of the record too, after the corrected one.
    event = RecordEntry.objects.filter(record__case=closed, kind="event").latest("pk")
    assert event.author == cast.admin and "rekisterin hallinto korjasi" in event.text.lower()
    row = AccessLogEntry.objects.get(action="amend", actor_id=cast.admin.pk)
    assert row.basis == "register_admin"


def test_the_role_the_provider_names_administers_the_register(cast, closed):
    req = actions.request_rectification(closed, by=cast.student, text="Korjaa.")
    with pytest.raises(ValidationError):
        actions.decide_rectification(req, by=cast.rehtori, accepted=False, decision="x")
    org_actions.assign_role(
        cast.rehtori,
        role=Role.PRINCIPAL,
        provider=cast.provider,
        institution=None,
        campus=None,
        valid_from=cast.today - timedelta(days=1),
    )
    cast.provider.register_admin_role = Role.PRINCIPAL
    cast.provider.save(update_fields=["register_admin_role"])
    actions.decide_rectification(req, by=cast.rehtori, accepted=False, decision="Oikein.")
    req.refresh_from_db()
    assert req.decided_by == cast.rehtori


def test_register_administration_does_not_act_on_an_open_case(cast, case_with_entry):
    cast.provider.register_responsible = cast.admin
    cast.provider.save(update_fields=["register_responsible"])
    req = actions.request_rectification(case_with_entry, by=cast.student, text="Korjaa.")
    with pytest.raises(ValidationError):
        actions.decide_rectification(req, by=cast.admin, accepted=False, decision="x")


def test_the_decision_on_a_closed_case_through_the_pages(cast, closed):
    aino = client_for(cast.student)
    r = aino.post(
        reverse("records:rectify", args=[closed.pk]), {"text": "Tapaamisia kahdesti."}, follow=True
    )
    assert "rekisterin hallinnolle" in r.text
    req = closed.record.rectifications.get()
    paula = client_for(cast.admin)
    log_page = paula.get(reverse("records:access_log")).text
    assert reverse("records:decide", args=[req.pk]) in log_page
    case_page = paula.get(reverse("records:case", args=[closed.pk])).text
    assert reverse("records:decide", args=[req.pk]) in case_page
    assert reverse("records:amend", args=[RecordEntry.objects.first().pk]) in case_page
    assert client_for(cast.kuraattori).get(
        reverse("records:decide", args=[req.pk])
    ).status_code == (404)
    r = paula.post(
        reverse("records:decide", args=[req.pk]),
        {"accepted": "0", "decision": "Merkintä vastaa kokouksen päätöstä."},
    )
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.status == "rejected" and req.decided_by == cast.admin
    page = client_for(cast.student).get(reverse("records:case", args=[closed.pk])).text
    assert "Merkintä vastaa kokouksen päätöstä." in page
