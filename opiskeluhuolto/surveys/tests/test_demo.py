"""The demo's surveys: the seeds' surveys on Sedu's clock, one open now for Aino, one
released with suppressed cells, feeding the goals page's indicator and the agenda."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.meetings.models import DataPoint, Proposal
from opiskeluhuolto.surveys import actions, results
from opiskeluhuolto.surveys.models import Invitation, PendingSheet, Response, Survey

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_surveys_of_the_clock(client):
    call_command("seed_demo", "--students", "60", stdout=io.StringIO())
    surveys = {s.template_key: s for s in Survey.objects.all()}
    assert set(surveys) == {"guardian", "bullying", "safety", "event_feedback", "welfare_services"}
    for key in ("guardian", "safety", "event_feedback"):
        assert surveys[key].status == "draft" and surveys[key].clock_item is not None
        assert surveys[key].opens_on and surveys[key].closes_on
    assert surveys["bullying"].clock_item.title == "Kiusaamiskysely (Sedun oma)"

    # Open now, for Aino, who has not answered; others have.
    aino = User.objects.get(username="opiskelija")
    services = surveys["welfare_services"]
    assert list(actions.open_for(aino)) == [services]
    # Its sheets are in the answer side or still wait for the mixer (actions.mixing).
    assert Response.objects.filter(survey=services).count() + PendingSheet.objects.filter(
        survey=services
    ).count() == (Invitation.objects.filter(survey=services, has_answered=True).count())
    client.force_login(aino)
    assert services.display_title in client.get("/").content.decode()

    # Released: both sides agree, and some cells are suppressed.
    bullying = surveys["bullying"]
    assert bullying.released and bullying.results_on <= timezone.localdate()
    answered = Invitation.objects.filter(survey=bullying, has_answered=True).count()
    assert not PendingSheet.objects.filter(survey=bullying).exists()  # closed: all mixed
    assert answered == Response.objects.filter(survey=bullying).count() >= 10
    by_campus = results.compute(bullying, by="campus")[0]
    assert by_campus.total.n == answered
    assert any(c.suppressed for c in by_campus.cells)
    point = DataPoint.objects.get(indicator__code="kiusatuksi-kk")
    assert point.respondents == answered and point.year == bullying.closes_on.year
    assert Proposal.objects.filter(group=bullying.owner_group, origin="surveys").exists()
