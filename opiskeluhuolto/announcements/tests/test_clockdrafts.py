"""The annual clock's communication items become announcement drafts (`clockdrafts`)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from opiskeluhuolto.access import communication
from opiskeluhuolto.announcements import clockdrafts
from opiskeluhuolto.announcements.models import Announcement
from opiskeluhuolto.annualclock import actions as clock

from .test_scheduled import _communication_item

pytestmark = pytest.mark.django_db


def test_a_communication_item_becomes_a_draft_once_at_the_right_time(cast):
    on = cast.today + timedelta(days=40)
    item = _communication_item(cast, on)
    lead = timedelta(days=clockdrafts.LEAD_DAYS)
    assert clockdrafts.create_due_drafts(today=on - lead - timedelta(days=1)) == []
    [draft] = clockdrafts.create_due_drafts(today=on - lead)
    assert draft.status == Announcement.Status.DRAFT
    assert draft.clock_item_id == item.pk
    assert (draft.provider_id, draft.institution_id) == (cast.provider.pk, cast.lukio.pk)
    assert draft.audience == Announcement.Audience.GUARDIANS  # a home–school clock
    assert draft.title_fi == "Syksyn uutiskirje" and draft.body_fi == "Kerro syksyn tapahtumista."
    assert draft.send_at == timezone.make_aware(datetime.combine(on, time(8)))
    # The unit's writers find it among the announcements they manage; others do not.
    assert communication.announcements_managed_by(cast.rehtori).filter(pk=draft.pk).exists()
    outsider = cast.users["kuraattori_out"]
    assert not communication.announcements_managed_by(outsider).filter(pk=draft.pk).exists()
    # Once per item and school year, however many days it is run.
    assert clockdrafts.create_due_drafts(today=on - lead) == []
    assert clockdrafts.create_due_drafts(today=on - timedelta(days=1)) == []
    assert Announcement.objects.filter(clock_item=item).count() == 1


def test_other_clocks_draft_to_students_and_other_items_make_none(cast):
    on = cast.today + timedelta(days=5)
    item = _communication_item(cast, on, kind="welfare")
    clock.add_item(
        item.clock, by=cast.users["admin"], title="Kysely", type="survey", kind="date",
        day=on.day, month=on.month,
    )  # fmt: skip
    [draft] = clockdrafts.create_due_drafts(today=cast.today)
    assert draft.clock_item_id == item.pk
    assert draft.audience == Announcement.Audience.STUDENTS
