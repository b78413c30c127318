"""The jobs around incidents: retention, the monthly summary onto the welfare groups' agendas."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from opiskeluhuolto.incidents import actions, summary
from opiskeluhuolto.incidents.models import Incident, Step
from opiskeluhuolto.meetings import inbox
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.records import retention
from opiskeluhuolto.records.models import DestructionReport, RetentionClass

pytestmark = pytest.mark.django_db


def _report(cast, campus=None, **kw):
    return actions.report(
        by=cast.teacher,
        campus=campus or cast.lukio_campus,
        category=kw.pop("category", "bullying"),
        occurred_at=timezone.now() - timedelta(hours=1),
        **kw,
    )


def _close(incident, by, years_ago: int):
    for kind in (Step.Kind.FOLLOW_UP, Step.Kind.GUARDIAN):
        actions.add_step(incident, by=by, kind=kind)
    actions.close(incident, by=by)
    past = timezone.now() - timedelta(days=365 * years_ago + 10)
    Incident.objects.filter(pk=incident.pk).update(created_at=past, closed_at=past)


def test_retention_destroys_closed_incidents_and_lists_open_ones(cast):
    RetentionClass.objects.create(
        provider=cast.provider,
        document_type=RetentionClass.DocumentType.INCIDENT,
        years=3,
        start_event=RetentionClass.StartEvent.RESOLVED,
    )
    old_closed = _report(cast, students=[cast.onni])
    _close(old_closed, cast.kuraattori, years_ago=4)
    recent_closed = _report(cast)
    _close(recent_closed, cast.kuraattori, years_ago=1)
    old_open = _report(cast)
    Incident.objects.filter(pk=old_open.pk).update(
        created_at=timezone.now() - timedelta(days=365 * 4)
    )
    today = timezone.localdate()
    [report] = retention.run_retention(today, run_by="test")
    assert report.destroyed == [{"type": "incident", "incident": old_closed.pk}]
    assert report.unhandled == [{"type": "incident", "incident": old_open.pk}]
    assert Incident.objects.count() == 3  # nothing goes before a person approves
    retention.approve(report, by=cast.admin)
    retention.run_retention(today, run_by="test")
    assert set(Incident.objects.values_list("pk", flat=True)) == {recent_closed.pk, old_open.pk}
    assert not Step.objects.filter(incident_id=old_closed.pk).exists()
    report.refresh_from_db()
    assert report.status == DestructionReport.Status.DESTROYED


def test_without_a_retention_class_nothing_is_proposed(cast):
    old = _report(cast)
    _close(old, cast.kuraattori, years_ago=20)
    assert retention.run_retention(timezone.localdate(), run_by="test") == []
    assert Incident.objects.filter(pk=old.pk).exists()


def test_summary_goes_to_welfare_groups_once_a_month(cast):
    lukio_group = Group.objects.create(
        provider=cast.provider, institution=cast.lukio, kind=Group.Kind.WELFARE, name="Lukion ohr"
    )
    campus_group = Group.objects.create(
        provider=cast.provider,
        institution=cast.amis,
        campus=cast.amis_campus,
        kind=Group.Kind.CAMPUS,
        name="Amiksen kampusryhmä",
    )
    theme = Group.objects.create(
        provider=cast.provider, institution=cast.lukio, kind=Group.Kind.THEME, name="Teema"
    )
    for _ in range(5):
        _report(cast)
    call_command("propose_incident_summaries", stdout=StringIO())
    call_command("propose_incident_summaries", stdout=StringIO())
    [lukio_item] = inbox.pending(lukio_group)
    assert lukio_item.origin == "incidents" and " 5" in lukio_item.detail
    [campus_item] = inbox.pending(campus_group)  # its own campus only: none there
    assert " 5" not in campus_item.detail
    assert not inbox.pending(theme).exists()
    data = summary.summary(cast.amis, timezone.localdate() - timedelta(days=30))
    assert data["cells"] == []
