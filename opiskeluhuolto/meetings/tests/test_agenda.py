"""The assembled agenda, source by source (PRODUCT.md §2, seed 003)."""

from datetime import date, timedelta

import pytest
import time_machine

from opiskeluhuolto.annualclock import actions as clock_actions
from opiskeluhuolto.meetings import actions
from opiskeluhuolto.meetings.models import AgendaItem, StandingItem

from .conftest import at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 10)


def titles(meeting, source=None):
    items = meeting.items.all()
    return [i.title for i in items if source is None or i.source == source]


def schedule(w, day, hour=13):
    return actions.schedule_meeting(
        w.group, by=w.users["rehtori"], starts_at=at(day, hour), ends_at=at(day, hour + 1)
    )


@time_machine.travel(TODAY)
def test_standing_items_come_first_in_their_order_and_as_needed_only_when_raised(welfare):
    by = welfare.admin
    actions.add_standing_item(
        welfare.group, by=by, title="Nostot Foorumin ja Fokuksen kokouksista", kind="every"
    )
    actions.add_standing_item(
        welfare.group, by=by, title="Yksikön ajankohtaiset ja akuutit asiat", kind="every"
    )
    actions.add_standing_item(welfare.group, by=by, title="Kampuksen työrauha", kind="as_needed")
    meeting = schedule(welfare, TODAY + timedelta(days=7))
    assert titles(meeting) == [
        "Nostot Foorumin ja Fokuksen kokouksista",
        "Yksikön ajankohtaiset ja akuutit asiat",
    ]
    assert {i.source for i in meeting.items.all()} == {AgendaItem.Source.STANDING}


@time_machine.travel(TODAY)
def test_raised_as_needed_item_is_on_the_agenda_and_lowered_when_published(welfare):
    item = actions.add_standing_item(
        welfare.group, by=welfare.admin, title="Kampuksen työrauha", kind="as_needed"
    )
    actions.raise_item(item, by=welfare.users["kuraattori"])
    meeting = schedule(welfare, TODAY + timedelta(days=7))
    assert titles(meeting, AgendaItem.Source.AS_NEEDED) == ["Kampuksen työrauha"]
    actions.publish_minutes(meeting, by=welfare.users["rehtori"])
    item.refresh_from_db()
    assert item.raised is False
    assert titles(schedule(welfare, TODAY + timedelta(days=35)), AgendaItem.Source.AS_NEEDED) == []


@time_machine.travel(TODAY)
def test_clock_items_due_around_the_meeting_date(welfare):
    add = lambda **f: clock_actions.add_item(welfare.clock, by=welfare.admin, **f)  # noqa: E731
    add(
        title="Kiusaamiskysely", type="survey", kind="weeks", first_week=48, last_week=49
    )  # 23.11.–6.12.
    add(title="Turvallisuuskysely", type="survey", kind="date", day=11, month=2)  # far away
    add(
        title="Tiedoksi: turvallisuuskävelyt",
        type="drill",
        kind="months",
        first_month=1,
        last_month=3,
    )
    add(
        title="TEA-viisari",
        type="survey",
        kind="months",
        first_month=10,
        last_month=12,
        every_years=2,
        anchor_year=2027,
    )
    meeting = schedule(welfare, date(2026, 11, 24))  # window 10.11.2026–5.1.2027
    found = titles(meeting, AgendaItem.Source.CLOCK)
    assert found == ["Kiusaamiskysely", "Tiedoksi: turvallisuuskävelyt"]  # TEA: not its year
    detail = meeting.items.get(title="Kiusaamiskysely").detail
    assert "23.11.–6.12." in detail


@time_machine.travel(TODAY)
def test_a_clock_item_taken_up_by_an_earlier_meeting_is_not_repeated(welfare):
    clock_actions.add_item(
        welfare.clock,
        by=welfare.admin,
        title="Kiusaamiskysely",
        type="survey",
        kind="weeks",
        first_week=48,
        last_week=49,
    )
    first = schedule(welfare, date(2026, 11, 12))
    assert titles(first, "clock") == ["Kiusaamiskysely"]
    second = schedule(welfare, date(2026, 11, 26))
    assert titles(second, "clock") == []


@time_machine.travel(TODAY)
def test_clock_items_follow_the_groups_campus_adaptation(welfare, cast):
    item = clock_actions.add_item(
        welfare.clock,
        by=welfare.admin,
        title="Kotiväenilta",
        type="event",
        kind="months",
        first_month=9,
        last_month=9,
    )
    hidden = clock_actions.add_item(
        welfare.clock,
        by=welfare.admin,
        title="Liikenneturvallisuusviikko",
        type="event",
        kind="weeks",
        first_week=49,
        last_week=49,
    )
    # The campus moves the home evening to December and does not hold the traffic week.
    clock_actions.adapt_item(
        item,
        by=welfare.admin,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        first_month=12,
        last_month=12,
    )
    clock_actions.adapt_item(
        hidden, by=welfare.admin, institution=cast.lukio, campus=cast.lukio_campus, is_hidden=True
    )
    meeting = schedule(welfare, date(2026, 11, 24))
    assert titles(meeting, "clock") == ["Kotiväenilta"]
    item.refresh_from_db()
    assert (item.first_month, item.last_month) == (9, 9)  # unchanged for everyone else


@time_machine.travel(TODAY)
def test_student_highlights_wait_for_the_next_meeting_and_are_handled_once(welfare):
    actions.submit_highlight(
        welfare.body,
        by=welfare.users["student"],
        to_group=welfare.group,
        title="Hiljainen tila kirjastoon",
    )
    meeting = schedule(welfare, TODAY + timedelta(days=7))
    assert titles(meeting, AgendaItem.Source.HIGHLIGHT) == ["Hiljainen tila kirjastoon"]
    assert meeting.items.get(source="highlight").detail == "Opiskelijakunta"
    actions.publish_minutes(meeting, by=welfare.users["rehtori"])
    assert titles(schedule(welfare, TODAY + timedelta(days=35)), AgendaItem.Source.HIGHLIGHT) == []


@time_machine.travel(TODAY)
def test_open_follow_ups_carry_over_until_done(welfare):
    actions.add_standing_item(welfare.group, by=welfare.admin, title="Ajankohtaiset", kind="every")
    first = schedule(welfare, TODAY + timedelta(days=1))
    item = first.items.get()
    open_one = actions.add_follow_up(
        item,
        by=welfare.users["kuraattori"],
        title="Poissaolokatsaus",
        owner=welfare.users["kuraattori"],
        due_on=TODAY + timedelta(days=20),
    )
    done_one = actions.add_follow_up(
        item,
        by=welfare.users["kuraattori"],
        title="Kutsu huoltajille",
        owner=None,
        due_on=TODAY + timedelta(days=5),
    )
    actions.complete_follow_up(done_one, by=welfare.users["kuraattori"])
    actions.publish_minutes(first, by=welfare.users["rehtori"])
    second = schedule(welfare, TODAY + timedelta(days=28))
    carried = second.items.get(source=AgendaItem.Source.FOLLOW_UP)
    assert carried.title == "Poissaolokatsaus" and carried.source_id == open_one.pk
    assert "Kaisa Kuuraattori" not in carried.detail and "Kaisa Kuraattori" in carried.detail
    actions.complete_follow_up(open_one, by=welfare.users["kuraattori"])
    assert titles(schedule(welfare, TODAY + timedelta(days=56)), AgendaItem.Source.FOLLOW_UP) == []


@time_machine.travel(TODAY)
def test_follow_ups_of_later_meetings_do_not_travel_back(welfare):
    actions.add_standing_item(welfare.group, by=welfare.admin, title="Ajankohtaiset", kind="every")
    early = schedule(welfare, TODAY + timedelta(days=1))
    late = schedule(welfare, TODAY + timedelta(days=28))
    actions.add_follow_up(
        late.items.get(),
        by=welfare.admin,
        title="Myöhempi tehtävä",
        owner=None,
        due_on=TODAY + timedelta(days=40),
    )
    actions.assemble_agenda(early, by=welfare.admin)
    assert titles(early, "follow_up") == []


@time_machine.travel(TODAY)
def test_reassembling_adds_only_whats_new_and_keeps_minutes(welfare):
    actions.add_standing_item(welfare.group, by=welfare.admin, title="Ajankohtaiset", kind="every")
    meeting = schedule(welfare, TODAY + timedelta(days=7))
    item = meeting.items.get()
    actions.save_minutes(
        item, by=welfare.admin, minutes="Käsiteltiin.", decision="", version=meeting.version
    )
    actions.submit_highlight(
        welfare.body, by=welfare.users["student"], to_group=welfare.group, title="Uusi nosto"
    )
    added = actions.assemble_agenda(meeting, by=welfare.admin)
    assert [a.title for a in added] == ["Uusi nosto"]
    assert actions.assemble_agenda(meeting, by=welfare.admin) == []
    item.refresh_from_db()
    assert item.minutes == "Käsiteltiin."
    assert titles(meeting) == ["Ajankohtaiset", "Uusi nosto"]


@time_machine.travel(TODAY)
def test_the_sources_come_in_the_documented_order(welfare):
    by = welfare.admin
    actions.add_standing_item(welfare.group, by=by, title="A vakio", kind="every")
    raised = actions.add_standing_item(
        welfare.group, by=by, title="C tarpeen mukaan", kind="as_needed"
    )
    actions.raise_item(raised, by=by)
    clock_actions.add_item(
        welfare.clock,
        by=by,
        title="B vuosikello",
        type="event",
        kind="weeks",
        first_week=48,
        last_week=48,
    )
    actions.submit_highlight(
        welfare.body, by=welfare.users["student"], to_group=welfare.group, title="D nosto"
    )
    earlier = schedule(welfare, TODAY - timedelta(days=30))
    actions.add_follow_up(
        earlier.items.first(), by=by, title="E jatkotoimi", owner=None, due_on=TODAY
    )
    meeting = schedule(welfare, TODAY + timedelta(days=7))
    assert titles(meeting) == [
        "A vakio",
        "B vuosikello",
        "C tarpeen mukaan",
        "D nosto",
        "E jatkotoimi",
    ]
    assert StandingItem.objects.filter(group=welfare.group).count() == 2


@time_machine.travel(TODAY)
def test_items_sent_by_other_apps_wait_for_the_next_agenda_once(welfare):
    from opiskeluhuolto.meetings import inbox

    inbox.propose(welfare.group, "Kiusaamiskyselyn tulokset", detail="kysely", key="survey:1")
    # Sent again (the results were re-released): still one proposal, with the new detail.
    inbox.propose(welfare.group, "Kiusaamiskyselyn tulokset", detail="päivitetty", key="survey:1")
    meeting = schedule(welfare, TODAY + timedelta(days=7))
    assert titles(meeting, AgendaItem.Source.PROPOSAL) == ["Kiusaamiskyselyn tulokset"]
    assert meeting.items.get(source="proposal").detail == "päivitetty"
    actions.publish_minutes(meeting, by=welfare.users["rehtori"])
    assert titles(schedule(welfare, TODAY + timedelta(days=35)), AgendaItem.Source.PROPOSAL) == []
    # Handled: the same key proposes nothing new and does not reopen it.
    inbox.propose(welfare.group, "Kiusaamiskyselyn tulokset", key="survey:1")
    assert inbox.pending(welfare.group).count() == 0


def test_an_agenda_item_needs_a_title(welfare):
    from django.core.exceptions import ValidationError

    from opiskeluhuolto.meetings import inbox

    with pytest.raises(ValidationError):
        inbox.propose(welfare.group, "   ")
