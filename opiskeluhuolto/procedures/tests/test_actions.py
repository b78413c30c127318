from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from opiskeluhuolto.annualclock.models import Clock, ClockItem
from opiskeluhuolto.meetings import inbox
from opiskeluhuolto.procedures import actions, safety
from opiskeluhuolto.procedures.models import ProcedureVersion, SafetyRecord

from .helpers import STEPS, bullying_procedure, welfare_group

pytestmark = pytest.mark.django_db


def test_publish_needs_approval_and_nothing_half_saved(cast):
    procedure = bullying_procedure(cast, publish=False)
    version = procedure.versions.get()
    with pytest.raises(ValidationError) as e:
        actions.publish(version, by=cast.rehtori)
    assert "approved_at" in e.value.message_dict
    version.refresh_from_db()
    assert version.published_at is None
    assert procedure.current() is None


def test_new_version_goes_to_followers_agenda_and_asks_for_confirmation(cast):
    procedure = bullying_procedure(cast)
    v1 = procedure.current()
    assert set(actions.not_confirmed(v1)) == {cast.teacher, cast.supervisor}
    actions.confirm_read(v1, by=cast.teacher)
    assert set(actions.not_confirmed(v1)) == {cast.supervisor}

    with pytest.raises(ValidationError) as e:
        actions.add_version(procedure, steps=STEPS, review_on=date.today() + timedelta(days=9))
    assert "change_note" in e.value.message_dict
    v2 = actions.add_version(
        procedure,
        steps=STEPS[:2],
        review_on=timezone.localdate() + timedelta(days=300),
        change_note="Yhteystiedot päivitetty.",
    )
    actions.approve(v2, by=cast.rehtori)
    actions.publish(v2, by=cast.rehtori)
    pending = list(inbox.pending(welfare_group(cast)))
    assert [p.origin for p in pending] == ["procedures"]
    assert "Kiusaaminen" in pending[0].title
    # The teacher confirmed the old version: the new one asks again; old stays readable.
    assert procedure.current() == v2
    assert set(actions.not_confirmed(v2)) == {cast.teacher, cast.supervisor}
    assert v2 in actions.to_confirm(cast.teacher)
    assert procedure.versions.count() == 2


def test_review_date_must_be_future_and_steps_required(cast):
    procedure = bullying_procedure(cast)
    with pytest.raises(ValidationError) as e:
        actions.add_version(procedure, steps=[{"text": " "}], review_on=date(2000, 1, 1))
    assert {"steps", "review_on"} <= set(e.value.message_dict)
    assert procedure.versions.count() == 1


def test_localized_text_falls_back_to_finnish(cast):
    version = bullying_procedure(cast).current()
    with translation.override("sv"):
        assert version.localized()["title"] == "Mobbning, våld och trakasserier"
        assert version.localized()["steps"] == version.steps
    with translation.override("en"):
        assert version.localized()["title"] == "Kiusaaminen, väkivalta ja häirintä"


def test_review_reminders_once(cast, mailoutbox):
    procedure = bullying_procedure(cast)
    group = procedure.owner_group
    group.chair = cast.rehtori
    group.save()
    cast.rehtori.email = "riitta@test.invalid"
    cast.rehtori.save()
    version = procedure.current()
    version.review_on = timezone.localdate() + timedelta(days=10)
    version.save()
    from opiskeluhuolto.procedures.tasks import remind_reviews

    assert remind_reviews.call() == 1
    assert remind_reviews.call() == 0
    assert len(mailoutbox) == 1


def test_drill_with_corrective_action_links_clock_item(cast):
    clock = Clock.objects.create(provider=cast.provider, kind=Clock.Kind.WELFARE, name="Vuosikello")
    item = ClockItem.objects.create(
        clock=clock,
        title="Sulkutilaharjoitus",
        type=ClockItem.Type.DRILL,
        kind="date",
        day=1,
        month=10,
    )
    held = timezone.localdate() - timedelta(days=20)
    record = safety.record_safety(
        campus=cast.lukio_campus,
        kind=SafetyRecord.Kind.LOCKDOWN,
        held_on=held,
        by=cast.rehtori,
        duration_minutes=15,
        groups="24A, 24B",
        findings="Kuulutus ei kuulunut liikuntasaliin.",
        clock_item=item,
        actions=[
            {
                "description": "Kaiutin liikuntasaliin",
                "owner": cast.rehtori,
                "due_on": held + timedelta(days=7),
            }
        ],
    )
    assert list(safety.drills_for_clock_item(item.pk)) == [record]
    overdue = list(safety.overdue_actions([cast.lukio_campus.pk]))
    assert [a.description for a in overdue] == ["Kaiutin liikuntasaliin"]
    safety.mark_done(overdue[0], by=cast.rehtori)
    assert not safety.overdue_actions([cast.lukio_campus.pk]).exists()
    with pytest.raises(ValidationError):
        safety.record_safety(
            campus=cast.lukio_campus,
            kind=SafetyRecord.Kind.EVACUATION,
            held_on=held,
            by=cast.rehtori,
            actions=[
                {"description": "x", "owner": cast.rehtori, "due_on": held - timedelta(days=1)}
            ],
        )
    assert SafetyRecord.objects.count() == 1


def test_approval_is_a_second_persons_act(cast):
    """Issue 17: the author of a version (who created or last edited the draft) cannot
    approve it; a version approved by its author is not published."""
    procedure = bullying_procedure(cast)
    draft = actions.add_version(
        procedure,
        steps=STEPS,
        review_on=timezone.localdate() + timedelta(days=300),
        change_note="Uusi vaihe.",
        by=cast.rehtori,
    )
    assert actions.is_author(draft, cast.rehtori) and not actions.is_author(draft, cast.kuraattori)
    with translation.override("en"), pytest.raises(ValidationError) as e:
        actions.approve(draft, by=cast.rehtori)
    assert "another person who manages the procedure" in " ".join(e.value.messages)
    draft.refresh_from_db()
    assert draft.approved_at is None
    with pytest.raises(ValidationError):
        actions.publish(draft, by=cast.rehtori)
    # The kuraattori edits the draft: now she is its author and the rehtori approves.
    draft = actions.edit_draft(
        draft,
        steps=STEPS[:1],
        review_on=timezone.localdate() + timedelta(days=300),
        change_note="Uusi vaihe.",
        by=cast.kuraattori,
    )
    with pytest.raises(ValidationError):
        actions.approve(draft, by=cast.kuraattori)
    actions.approve(draft, by=cast.rehtori)
    # Approved by its author somehow (not through `approve`): publishing refuses it.
    ProcedureVersion.objects.filter(pk=draft.pk).update(approved_by=cast.kuraattori)
    draft.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.publish(draft, by=cast.rehtori)
    ProcedureVersion.objects.filter(pk=draft.pk).update(approved_by=cast.rehtori)
    draft.refresh_from_db()
    actions.publish(draft, by=cast.kuraattori)
    assert procedure.current() == draft


def test_demo_versions_are_approved_by_another_person_than_their_author():
    import io

    from django.core.management import call_command

    call_command("seed_demo", "--students", "60", stdout=io.StringIO())
    versions = ProcedureVersion.objects.filter(published_at__isnull=False)
    assert versions.exists()
    for v in versions:
        assert v.approved_by_id is not None and v.approved_by_id != v.written_by_id
