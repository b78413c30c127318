"""The welfare plan: statutory sections, drafts, comments, approval, versions, publication (L-13-*)."""

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from opiskeluhuolto.meetings import plans
from opiskeluhuolto.meetings.models import PlanVersion, ServiceAnnouncement
from opiskeluhuolto.meetings.models.plans import STATUTORY_KEYS

pytestmark = pytest.mark.django_db


def _filled_plan(cast, *, extra=("Kriisisuunnitelma",)):
    plan = plans.create_plan(
        by=cast.admin,
        provider=cast.provider,
        title="Lukion opiskeluhuoltosuunnitelma",
        institutions=[cast.lukio],
        extra_sections=list(extra),
    )
    version = plan.versions.get()
    for section in version.sections.all():
        version.refresh_from_db()
        plans.edit_section(
            section, by=cast.admin, body=f"{section.title}: alkuperäinen teksti.", lock=version.lock
        )
    version.refresh_from_db()
    return plan, version


def test_a_new_plan_has_the_statutory_sections_and_the_configured_extra_ones(cast):
    plan, version = _filled_plan(cast)
    keys = set(version.sections.filter(is_statutory=True).values_list("key", flat=True))
    assert keys == STATUTORY_KEYS and len(keys) == 6
    assert version.sections.filter(is_statutory=False).get().title == "Kriisisuunnitelma"


def test_approval_needs_text_in_every_statutory_section(cast):
    plan = plans.create_plan(
        by=cast.admin, provider=cast.provider, title="Tyhjä", institutions=[cast.lukio]
    )
    with pytest.raises(ValidationError):
        plans.approve_and_publish(
            plan.versions.get(),
            by=cast.admin,
            approved_on=cast.today,
            approved_by_body="lautakunta",
        )


def test_editing_a_published_plan_makes_a_new_draft_and_never_changes_the_published_version(cast):
    plan, v1 = _filled_plan(cast)
    plans.approve_and_publish(
        v1, by=cast.admin, approved_on=date(2026, 5, 1), approved_by_body="lautakunta"
    )
    section = v1.sections.get(key="goals")
    with pytest.raises(ValidationError):
        plans.edit_section(section, by=cast.admin, body="Muutettu", lock=v1.lock + 1)
    v2 = plans.new_draft(plan, by=cast.admin)
    assert plans.new_draft(plan, by=cast.admin) == v2  # one draft at a time
    assert v2.number == 2 and v2.sections.count() == v1.sections.count()
    plans.edit_section(
        v2.sections.get(key="goals"), by=cast.admin, body="Uudet tavoitteet.", lock=v2.lock
    )
    section.refresh_from_db()
    assert section.body.endswith("alkuperäinen teksti.")
    assert plans.published_version(cast.lukio) == v1
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.create(plan=plan, number=9, status="comments")
    v2.refresh_from_db()
    plans.approve_and_publish(
        v2, by=cast.admin, approved_on=date(2026, 11, 1), approved_by_body="lautakunta"
    )
    v1.refresh_from_db()
    assert v1.status == "superseded" and plans.published_version(cast.lukio) == v2
    plan.refresh_from_db()
    assert plan.next_review_on == date(2030, 11, 1)  # 48 months, once per council term


def test_a_stale_edit_is_refused(cast):
    plan, version = _filled_plan(cast)
    section = version.sections.first()
    stale = version.lock
    plans.edit_section(section, by=cast.admin, body="Ensimmäinen", lock=stale)
    with pytest.raises(ValidationError):
        plans.edit_section(section, by=cast.rehtori, body="Toinen", lock=stale)


def test_the_difference_between_versions_is_readable(cast):
    plan, v1 = _filled_plan(cast)
    plans.approve_and_publish(
        v1, by=cast.admin, approved_on=cast.today, approved_by_body="lautakunta"
    )
    v2 = plans.new_draft(plan, by=cast.admin)
    plans.edit_section(
        v2.sections.get(key="protection"),
        by=cast.admin,
        body="Kiusaamiskysely viikoilla 48–49 <b>uusi</b>.",
        lock=v2.lock,
    )
    changes = plans.diff_table(v1, v2)
    assert len(changes) == 1
    title, table = changes[0]
    assert "väkivallalta" in title or "violence" in title
    assert "diff_add" in table or "diff_chg" in table
    assert "&lt;b&gt;uusi" in table and "<b>uusi" not in table  # escaped


def test_comments_record_who_took_part(client, cast):
    plan, version = _filled_plan(cast)
    with pytest.raises(ValidationError):
        plans.comment(version, by=cast.teacher, participant="staff", text="Liian aikaisin")
    version = plans.open_for_comments(version, by=cast.admin)
    for user, text in (
        (cast.student, "Opiskelijoiden ääni"),
        (cast.guardian, "Huoltajan toive"),
        (cast.kuraattori, "Hyvä"),
    ):
        client.force_login(user)
        response = client.post(reverse("meetings:plan_comment", args=[version.pk]), {"text": text})
        assert response.status_code == 302
    kinds = dict(version.comments.values_list("text", "participant"))
    assert kinds == {
        "Opiskelijoiden ääni": "students",
        "Huoltajan toive": "guardians",
        "Hyvä": "welfare",
    }
    plans.record_participation(
        version,
        by=cast.admin,
        participant="students",
        description="Opiskelijakunta kuultiin",
        on=cast.today,
    )
    assert plans.participation_summary(version) == {"students": 2, "guardians": 1, "welfare": 1}
    client.force_login(cast.adult)  # a student of another institution
    assert (
        client.post(reverse("meetings:plan_comment", args=[version.pk]), {"text": "x"}).status_code
        == 404
    )


def test_the_approved_version_is_public_and_the_draft_is_not(client, cast):
    plan, v1 = _filled_plan(cast)
    url = reverse("meetings:plan_public", args=[cast.lukio.pk])
    assert client.get(url).status_code == 404
    plans.approve_and_publish(
        v1, by=cast.admin, approved_on=cast.today, approved_by_body="lautakunta"
    )
    v2 = plans.new_draft(plan, by=cast.admin)
    plans.edit_section(
        v2.sections.get(key="goals"), by=cast.admin, body="LUONNOSTEKSTI", lock=v2.lock
    )
    body = client.get(url).content.decode()
    assert "alkuperäinen teksti." in body and "LUONNOSTEKSTI" not in body
    from opiskeluhuolto.front.registry import PUBLIC_SECTIONS

    section = PUBLIC_SECTIONS["welfare_plan"]
    assert section.context(None, cast.lukio)["version"] == v1


@time_machine.travel(date(2030, 9, 15))
def test_review_reminder_is_sent_once(cast):
    plan, v1 = _filled_plan(cast)
    plans.approve_and_publish(
        v1, by=cast.admin, approved_on=date(2026, 11, 1), approved_by_body="lautakunta"
    )
    out = StringIO()
    call_command("remind_plan_reviews", stdout=out)
    assert "1 plans due" in out.getvalue()
    assert {m.to[0] for m in mail.outbox} >= {cast.rehtori.email}
    mail.outbox.clear()
    call_command("remind_plan_reviews", stdout=StringIO())
    assert mail.outbox == []


@time_machine.travel(date(2026, 8, 20))
def test_yearly_announcement_goes_to_students_and_guardians_once(
    cast, django_capture_on_commit_callbacks
):
    plan, v1 = _filled_plan(cast)
    plans.approve_and_publish(
        v1, by=cast.admin, approved_on=date(2026, 6, 1), approved_by_body="lautakunta"
    )
    cast.guardian.email = "matti@test.invalid"
    cast.guardian.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "announce_welfare_services",
            "--institution",
            str(cast.lukio.pk),
            "--base-url",
            "https://oh.test",
            stdout=StringIO(),
        )
    recipients = {m.to[0] for m in mail.outbox}
    assert "aino@test.invalid" in recipients and "matti@test.invalid" in recipients
    assert f"https://oh.test/meetings/public/{cast.lukio.pk}/plan/" in mail.outbox[0].body
    assert ServiceAnnouncement.objects.get().school_year == "2026–2027"
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        plans.announce_services(
            cast.lukio, by=cast.admin, today=date(2027, 5, 1), base_url="https://oh.test"
        )
    assert mail.outbox == []


def test_plan_pages_render(client, cast):
    plan, v1 = _filled_plan(cast)
    plans.approve_and_publish(
        v1,
        by=cast.admin,
        approved_on=cast.today - timedelta(days=10),
        approved_by_body="lautakunta",
    )
    v2 = plans.new_draft(plan, by=cast.admin)
    plans.edit_section(
        v2.sections.get(key="goals"), by=cast.admin, body="Uusi tavoite.", lock=v2.lock
    )
    client.force_login(cast.rehtori)
    for url in (
        reverse("meetings:plan", args=[plan.pk]),
        reverse("meetings:plan_version", args=[v2.pk]),
        reverse("meetings:plan_diff", args=[v2.pk]),
    ):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fi")
        assert response.status_code == 200, url
    assert (
        "Uusi&nbsp;tavoite."
        in client.get(reverse("meetings:plan_diff", args=[v2.pk])).content.decode()
    )


def test_self_monitoring_notes_are_written_on_the_plan(client, cast):
    plan, _v1 = _filled_plan(cast)
    client.force_login(cast.rehtori)
    url = reverse("meetings:plan_evaluate", args=[plan.pk])
    assert client.post(url, {"written_on": "2026-11-01", "text": ""}).status_code == 302
    assert not plan.evaluations.exists()
    client.post(
        url, {"written_on": "2026-11-01", "text": "Kiusaamiskysely toteutui kaikilla kampuksilla."}
    )
    note = plan.evaluations.get()
    assert note.author == cast.rehtori and note.written_on == date(2026, 11, 1)
    assert (
        "Kiusaamiskysely toteutui"
        in client.get(reverse("meetings:plan", args=[plan.pk])).content.decode()
    )
    client.force_login(cast.teacher)  # sees the plan, does not manage it
    assert client.post(url, {"written_on": "2026-11-01", "text": "x"}).status_code == 404
