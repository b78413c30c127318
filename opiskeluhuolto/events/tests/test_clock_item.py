"""The page of an annual clock item of type event lists the events that fulfilled it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from opiskeluhuolto.annualclock import actions as clock

from .conftest import make_event

pytestmark = pytest.mark.django_db


def _clock_with(cast, type_):
    c = clock.create_clock(
        by=cast.users["admin"],
        provider=cast.provider,
        name="Kotiväen vuosikello",
        kind="home_school",
    )
    return clock.add_item(
        c,
        by=cast.users["admin"],
        title="Kotiväenilta",
        type=type_,
        kind="weeks",
        first_week=38,
        last_week=38,
    )


def test_clock_item_page_lists_the_events_that_fulfilled_it(cast, group, client):
    item = _clock_with(cast, "event")
    make_event(cast, group, title_fi="Syksyn kotiväenilta", clock_item=item, audience="staff")
    make_event(cast, group, title_fi="Liikkuva välitunti")  # fulfils nothing
    client.force_login(cast.users["admin"])
    page = client.get(reverse("annualclock:item", args=[item.pk])).content.decode()
    assert "Syksyn kotiväenilta" in page
    assert "Liikkuva välitunti" not in page


def test_only_items_of_type_event_get_the_section(cast, client):
    item = _clock_with(cast, "communication")
    client.force_login(cast.users["admin"])
    page = client.get(reverse("annualclock:item", args=[item.pk])).content.decode()
    assert 'id="ev-fulfilled"' not in page


def test_the_list_holds_only_events_the_reader_may_see(cast, group, client):
    from opiskeluhuolto.access import communication, for_user

    item = _clock_with(cast, "event")
    event = make_event(cast, group, title_fi="Vain opiskelijoille", clock_item=item)
    reader = cast.users["supervisor"]  # staff, not the audience nor an organiser
    if not for_user(reader).view_clock(item.clock):
        pytest.fail("the group supervisor should see the provider's home–school clock here")
    assert not communication.events_visible_to(reader).filter(pk=event.pk).exists()
    client.force_login(reader)
    page = client.get(reverse("annualclock:item", args=[item.pk])).content.decode()
    assert 'id="ev-fulfilled"' in page and "Vain opiskelijoille" not in page
