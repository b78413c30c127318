import json
from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from opiskeluhuolto.access import for_user
from opiskeluhuolto.incidents import actions, summary
from opiskeluhuolto.incidents.models import Incident, Step
from opiskeluhuolto.meetings import inbox
from opiskeluhuolto.procedures.tests.helpers import bullying_procedure, welfare_group
from opiskeluhuolto.records.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def _report(cast, **kw):
    args = dict(
        by=cast.teacher,
        campus=cast.lukio_campus,
        category="bullying",
        occurred_at=timezone.now() - timedelta(hours=1),
        place="Ruokala",
        description="Onnia tönittiin jonossa.",
        immediate_actions="Erotin osapuolet.",
        students=[cast.onni],
    )
    args.update(kw)
    return actions.report(**args)


def test_report_is_routed_to_the_procedures_responsible_person(cast):
    procedure = bullying_procedure(cast)
    incident = _report(cast)
    assert incident.procedure == procedure
    assert incident.handler == cast.kuraattori
    assert incident.due_on == timezone.localdate() + timedelta(days=14)


def test_without_procedure_falls_back_to_kuraattori(cast):
    incident = _report(cast)
    assert incident.procedure is None
    assert incident.handler == cast.kuraattori


def test_bad_input_is_refused_and_nothing_saved(cast):
    with pytest.raises(ValidationError) as e:
        _report(cast, category="", campus=None)
    assert {"category", "campus"} <= set(e.value.message_dict)
    assert not Incident.objects.exists()


def test_visible_to_handler_and_rehtori_only(cast):
    bullying_procedure(cast)
    incident = _report(cast)
    assert for_user(cast.kuraattori).view_incident(incident)
    assert for_user(cast.rehtori).view_incident(incident)
    for who in (cast.teacher, cast.psykologi, cast.supervisor, cast.kuraattori_out, cast.admin):
        assert not for_user(who).view_incident(incident), who
    assert list(for_user(cast.rehtori).incidents_scope()) == [incident]
    assert not for_user(cast.teacher).incidents_scope().exists()


def test_follow_up_and_close(cast):
    bullying_procedure(cast)
    incident = _report(cast)
    with pytest.raises(ValidationError) as e:
        actions.set_follow_up(incident, on=timezone.localdate() - timedelta(days=1))
    assert "follow_up_on" in e.value.message_dict
    actions.add_step(
        incident, by=cast.kuraattori, kind=Step.Kind.DISCUSSION, note="Osapuolet tavattu."
    )
    actions.set_follow_up(incident, on=timezone.localdate() + timedelta(days=7))
    actions.add_step(
        incident, by=cast.kuraattori, kind=Step.Kind.FOLLOW_UP, note="Tilanne rauhoittunut."
    )
    with pytest.raises(ValidationError):
        actions.close(incident, by=cast.kuraattori)  # Onni is 15: guardians first
    actions.add_step(incident, by=cast.kuraattori, kind=Step.Kind.GUARDIAN)
    actions.close(incident, by=cast.kuraattori)
    assert incident.status == Incident.Status.CLOSED


def test_overdue_flagged(cast):
    incident = _report(cast)
    Incident.objects.filter(pk=incident.pk).update(
        follow_up_on=timezone.localdate() - timedelta(days=1)
    )
    assert list(Incident.objects.overdue()) == [incident]


def test_referral_from_incident_goes_through_cases(cast):
    incident = _report(cast)
    with pytest.raises(ValidationError):
        actions.refer(incident, cast.aino, by=cast.teacher, reason="x")
    referral = actions.refer(incident, cast.onni, by=cast.teacher, reason="Kiusaamisen kohteena.")
    incident.refresh_from_db()
    assert incident.referral == referral and referral.student == cast.onni


def test_detail_page_logs_the_read(cast, client):
    bullying_procedure(cast)
    incident = _report(cast)
    client.force_login(cast.teacher)
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 404
    client.force_login(cast.kuraattori)
    assert client.get(reverse("incidents:detail", args=[incident.pk])).status_code == 200
    logged = AccessLogEntry.objects.filter(subject_kind="incident", student_id_ref=cast.onni.pk)
    assert logged.count() == 1


def test_summary_suppresses_small_cells_and_goes_on_the_agenda(cast):
    for _ in range(5):
        _report(cast)
    _report(cast, category="substance", students=[])
    data = summary.summary(cast.lukio, timezone.localdate() - timedelta(days=30))
    cells = {c["category"]: c for c in data["cells"]}
    assert cells["bullying"]["count"] == 5
    assert cells["substance"]["count"] is None and cells["substance"]["suppressed"]
    group = welfare_group(cast)
    summary.propose_summary(group, timezone.localdate() - timedelta(days=30))
    summary.propose_summary(group, timezone.localdate() - timedelta(days=30))
    pending = list(inbox.pending(group))
    assert len(pending) == 1 and pending[0].origin == "incidents"
    assert "Onni" not in pending[0].detail


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api(cast, client):
    bullying_procedure(cast)
    client.force_login(cast.teacher)
    now = timezone.now().isoformat()
    r = _post(
        client,
        "/api/v1/incidents",
        {
            "category": "bullying",
            "campus_id": cast.lukio_campus.pk,
            "occurred_at": now,
            "student_ids": [cast.onni.pk],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["routed"] is True
    r = _post(
        client,
        "/api/v1/incidents",
        {"category": "bullying", "campus_id": 99999, "occurred_at": now},
    )
    assert r.status_code == 422 and "campus" in r.json()["errors"]
    r = _post(client, "/api/v1/incidents", {"campus_id": cast.lukio_campus.pk, "occurred_at": now})
    assert r.status_code == 422

    r = client.get(f"/api/v1/incidents/summary?institution_id={cast.lukio.pk}")
    assert r.status_code == 200 and r.json()["cells"][0]["suppressed"] is True

    r = client.get("/api/v1/procedures")
    assert r.status_code == 200 and r.json()[0]["title"].startswith("Kiusaaminen")


def test_anonymous_api_stores_nothing_identifying(cast, client):
    client.force_login(cast.student)
    now = timezone.now().isoformat()
    body = {
        "category": "harassment",
        "campus_id": cast.lukio_campus.pk,
        "occurred_at": now,
        "wants_contact": False,
    }
    r = _post(client, "/api/v1/incidents/anonymous", {**body, "reporter_id": cast.student.pk})
    assert r.status_code == 422
    assert not Incident.objects.exists()
    r = _post(client, "/api/v1/incidents/anonymous", body)
    assert r.status_code == 201
    incident = Incident.objects.get()
    assert incident.anonymous and incident.reported_by is None and incident.reporter_name == ""
    r = _post(client, "/api/v1/incidents/anonymous", {**body, "wants_contact": True})
    assert r.status_code == 422 and "contact" in r.json()["errors"]


def test_anonymous_page_stores_only_what_she_writes(cast, client):
    bullying_procedure(cast)
    url = reverse("incidents:anonymous", args=[cast.lukio.slug])
    client.force_login(cast.student)  # signed in or not: nothing of the session is kept
    assert client.get(url).status_code == 200
    body = {
        "category": "bullying",
        "campus": cast.lukio_campus.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "description": "Minua kiusataan välitunnilla.",
        "wants_contact": "on",
    }
    page = client.post(url, body)
    assert page.status_code == 200 and not Incident.objects.exists()
    assert 'id="id_contact_error"' in page.content.decode()
    page = client.post(url, {**body, "wants_contact": ""})
    assert page.status_code == 200
    incident = Incident.objects.get()
    assert incident.anonymous and incident.reported_by is None and incident.reporter_name == ""
    assert incident.handler == cast.kuraattori
    other = reverse("incidents:anonymous", args=[cast.amis.slug])
    client.post(other, {**body, "wants_contact": ""})  # the lukio's campus at another school
    assert Incident.objects.count() == 1
    client.logout()
    page = client.get(reverse("appointments:public_page", args=[cast.lukio.slug]))
    assert url in page.content.decode()


def test_detail_page_heading_starts_with_a_capital(cast, client):
    bullying_procedure(cast)
    incident = _report(cast)
    client.force_login(cast.kuraattori)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    label = incident.get_category_display()
    assert label[0].islower()  # the choice label itself is lower case ("kiusaaminen")
    assert f"<h1>{label[0].upper()}{label[1:]} · " in page


@pytest.mark.parametrize(
    "lang,incidents,events",
    [
        ("fi", "Kiusaamis- ja turvallisuustilanteet", "Tapahtumat"),
        ("sv", "Incidenter", "Evenemang"),
    ],
)
def test_incidents_are_not_called_events(cast, client, lang, incidents, events):
    """Issue 17: a kuraattori must tell incidents and events apart in every language."""
    import re

    client.force_login(cast.kuraattori)
    client.cookies["django_language"] = lang
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    mine = client.get(reverse("incidents:index"), **headers).content.decode()
    theirs = client.get(reverse("events:index"), **headers).content.decode()

    def h1(page):
        return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()

    assert h1(mine) == incidents and h1(theirs) == events
    assert f"<title>{incidents}" in mine
    with translation.override(lang):
        assert str(Incident._meta.verbose_name_plural) != translation.gettext("Events").lower()
        assert "tapahtum" not in str(Incident._meta.verbose_name).lower()


def test_summary_share_followed_up_in_time(cast):
    today = timezone.localdate()
    since = today - timedelta(days=30)
    now = timezone.now()
    made = [_report(cast, students=[]) for _ in range(8)]
    due = today - timedelta(days=3)

    def set_(incident, due_on, closed_at=None):
        Incident.objects.filter(pk=incident.pk).update(due_on=due_on, closed_at=closed_at)

    for incident in made[:4]:  # closed on or before the date: in time
        set_(incident, due, now - timedelta(days=4))
    set_(made[3], due, timezone.make_aware(datetime.combine(due, time(23, 59))))  # on the day
    set_(made[4], due, now - timedelta(days=1))  # closed after the date: late
    set_(made[5], due)  # open past its date: late
    set_(made[6], today + timedelta(days=5))  # open, not yet due: not counted
    set_(made[7], None, now)  # no follow-up date: not counted
    data = summary.summary(cast.lukio, since)
    assert data["followed_up_due"] == 6
    assert data["followed_up_in_time"] == round(4 / 6, 2)
    assert "67 %" in summary._text(data)
    # Fewer than five due: no share (it could point at single cases).
    Incident.objects.filter(pk__in=[made[0].pk, made[1].pk]).update(due_on=None)
    data = summary.summary(cast.lukio, since)
    assert data["followed_up_in_time"] is None and data["followed_up_due"] is None
    assert "67 %" not in summary._text(data)


def test_a_students_report_with_her_name_reaches_the_handler(cast, client):
    bullying_procedure(cast)
    url = reverse("incidents:anonymous", args=[cast.lukio.slug])
    body = {
        "category": "bullying",
        "campus": cast.lukio_campus.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "description": "Minua kiusataan välitunnilla.",
        "name": "Aino Opiskelija",
        "wants_contact": "on",
        "contact": "040 123 4567",
    }
    assert client.post(url, body).status_code == 200
    incident = Incident.objects.get()
    assert incident.reporter_name == "Aino Opiskelija"
    assert incident.wants_contact and incident.contact == "040 123 4567"
    assert incident.reported_by is None  # her name, as she wrote it; no account
    assert incident.handler == cast.kuraattori
    client.force_login(cast.kuraattori)
    page = client.get(reverse("incidents:detail", args=[incident.pk])).content.decode()
    assert "Aino Opiskelija" in page and "040 123 4567" in page
    # The API does the same with a name and no wish to be contacted.
    r = _post(
        client,
        "/api/v1/incidents/anonymous",
        {
            "category": "harassment",
            "campus_id": cast.lukio_campus.pk,
            "occurred_at": timezone.now().isoformat(),
            "name": "Aino Opiskelija",
            "contact": "ignored without the wish",
        },
    )
    assert r.status_code == 201
    named = Incident.objects.get(pk=r.json()["id"])
    assert named.reporter_name == "Aino Opiskelija" and named.contact == ""


def test_the_anonymous_form_shown_back_is_never_stored(cast, client):
    """An invalid report is shown back with what she wrote in it: no browser or proxy may
    keep that page (Cache-Control: no-store, lib.confidential)."""
    url = reverse("incidents:anonymous", kwargs={"slug": cast.lukio.slug})
    r = client.post(
        url,
        {
            "description": "Minua kiusataan välitunneilla.",
            "name": "Aino",
            "contact": "040 123 4567",
            "wants_contact": "on",
        },
    )
    assert r.status_code == 200 and "Minua kiusataan välitunneilla." in r.text
    assert "040 123 4567" in r.text
    assert "no-store" in r["Cache-Control"]
