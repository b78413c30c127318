"""Procedures where people look: the annual clock, home pages, the public page, the plan."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opiskeluhuolto.annualclock.models import Clock, ClockItem
from opiskeluhuolto.meetings import inbox, plans
from opiskeluhuolto.meetings.models import Group, Membership
from opiskeluhuolto.procedures import safety
from opiskeluhuolto.procedures.models import SafetyRecord

from .helpers import bullying_procedure

pytestmark = pytest.mark.django_db


def _drill_item(cast, month: int) -> ClockItem:
    clock = Clock.objects.create(provider=cast.provider, kind=Clock.Kind.WELFARE, name="Vuosikello")
    return ClockItem.objects.create(
        clock=clock,
        title="Sisälle suojautumisharjoitus",
        type=ClockItem.Type.DRILL,
        kind="date",
        day=1,
        month=month,
    )


def _lockdown(cast, item=None, *, days_ago=20, due_in=-5):
    held = timezone.localdate() - timedelta(days=days_ago)
    return safety.record_safety(
        campus=cast.lukio_campus,
        kind=SafetyRecord.Kind.LOCKDOWN,
        held_on=held,
        by=cast.rehtori,
        clock_item=item,
        actions=[
            {
                "description": "Kaiutin liikuntasaliin",
                "owner": cast.rehtori,
                "due_on": timezone.localdate() + timedelta(days=due_in),
            }
        ],
    )


def test_clock_item_and_clock_show_the_drills_held(cast, client):
    held_on = timezone.localdate() - timedelta(days=20)
    item = _drill_item(cast, held_on.month)
    record = _lockdown(cast, item)
    client.force_login(cast.rehtori)
    page = client.get(reverse("annualclock:item", args=[item.pk])).content.decode()
    assert reverse("procedures:safety_record", args=[record.pk]) in page
    year = held_on.year if held_on.month >= 8 else held_on.year - 1
    page = client.get(reverse("annualclock:clock", args=[item.clock_id]), {"year": year})
    text = page.content.decode()
    assert reverse("procedures:safety_record", args=[record.pk]) in text
    # A drill item with nothing recorded says so; another year's drill does not count.
    page = client.get(reverse("annualclock:clock", args=[item.clock_id]), {"year": year - 1})
    assert reverse("procedures:safety_record", args=[record.pk]) not in page.content.decode()


def test_clock_shows_reviews_due_in_its_year(cast, client):
    procedure = bullying_procedure(cast)
    version = procedure.current()
    version.review_on = timezone.localdate() + timedelta(days=20)
    version.save()
    item = _drill_item(cast, 10)
    client.force_login(cast.rehtori)
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    text = client.get(
        reverse("annualclock:clock", args=[item.clock_id]), {"year": year}
    ).content.decode()
    assert reverse("procedures:detail", args=[procedure.pk]) in text
    text = client.get(
        reverse("annualclock:clock", args=[item.clock_id]), {"year": year + 2}
    ).content.decode()
    assert reverse("procedures:detail", args=[procedure.pk]) not in text


def test_daily_command_enqueues_review_reminders(cast, mailoutbox):
    procedure = bullying_procedure(cast)
    procedure.owner_group.chair = cast.rehtori
    procedure.owner_group.save()
    cast.rehtori.email = "riitta@test.invalid"
    cast.rehtori.save()
    version = procedure.current()
    version.review_on = timezone.localdate() + timedelta(days=10)
    version.save()
    call_command("procedures_daily", stdout=StringIO())
    assert [m.to for m in mailoutbox] == [["riitta@test.invalid"]]
    version.refresh_from_db()
    assert version.review_reminded_on == timezone.localdate()


def test_students_and_guardians_see_their_procedures_in_their_language(cast, client):
    procedure = bullying_procedure(cast)
    staff_only = bullying_procedure(cast)
    staff_only.title = "Henkilöstön sisäinen ohje"
    staff_only.audience = ["staff"]
    staff_only.save()
    for who in (cast.student, cast.guardian):
        client.force_login(who)
        text = client.get("/").content.decode()
        assert reverse("procedures:detail", args=[procedure.pk]) in text, who
        assert "Henkilöstön sisäinen ohje" not in text
    client.force_login(cast.teacher)
    assert "p-proc-mine" not in client.get("/").content.decode()
    client.force_login(cast.student)
    client.cookies["django_language"] = "sv"
    text = client.get("/").content.decode()
    assert "Mobbning, våld och trakasserier" in text
    # The institution's public welfare page, without signing in.
    client.logout()
    page = client.get(reverse("appointments:public_page", args=[cast.lukio.slug]))
    assert page.status_code == 200
    assert f'id="procedure-{procedure.pk}"' in page.content.decode()


def test_plan_sections_link_to_the_procedures(cast, client):
    procedure = bullying_procedure(cast)
    procedure.plan_section_keys = ["protection"]
    procedure.save()
    plan = plans.create_plan(
        by=cast.rehtori, provider=cast.provider, title="Suunnitelma", institutions=[cast.lukio]
    )
    version = plan.versions.get()
    client.force_login(cast.rehtori)
    text = client.get(reverse("meetings:plan_version", args=[version.pk])).content.decode()
    link = reverse("procedures:detail", args=[procedure.pk])
    protection = text.index('id="s-' + str(version.sections.get(key="protection").pk))
    assert text.index(link) > protection
    assert text.count(link) == 1
    from opiskeluhuolto.meetings import section_links

    public = section_links.links_for([cast.lukio], public=True)
    assert public["protection"][0][1].endswith(f"#procedure-{procedure.pk}")
    procedure.audience = ["staff"]
    procedure.save()
    assert "protection" not in section_links.links_for([cast.lukio], public=True)


def test_overdue_corrective_actions_show_to_the_campus_groups(cast, client):
    record = _lockdown(cast)
    group = Group.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        campus=cast.lukio_campus,
        kind=Group.Kind.CAMPUS,
        name="Kampuksen opiskeluhuoltoryhmä",
    )
    Membership.objects.create(group=group, user=cast.nurse, role=Membership.Role.MEMBER)
    assert list(safety.overdue_actions_for(cast.nurse)) == list(record.actions.all())
    assert not safety.overdue_actions_for(cast.teacher).exists()
    client.force_login(cast.nurse)
    assert "Kaiutin liikuntasaliin" in client.get("/").content.decode()
    assert safety.propose_overdue_actions() == 1
    assert safety.propose_overdue_actions() == 1  # the same proposal, updated
    pending = list(inbox.pending(group))
    assert len(pending) == 1 and "Kaiutin liikuntasaliin" in pending[0].detail
    # Marked done by its owner: no longer overdue anywhere.
    client.force_login(cast.teacher)
    action = record.actions.get()
    url = reverse("procedures:action_done", args=[action.pk])
    assert client.post(url).status_code == 404
    client.force_login(cast.rehtori)
    assert client.post(url, {"notes": "Asennettu."}).status_code == 302
    assert not safety.overdue_actions_for(cast.nurse).exists()


def test_safety_pages(cast, client):
    record = _lockdown(cast)
    client.force_login(cast.teacher)
    assert "Kaiutin" not in client.get(reverse("procedures:safety")).content.decode()
    text = client.get(reverse("procedures:safety")).content.decode()
    assert reverse("procedures:safety_record", args=[record.pk]) in text
    text = client.get(reverse("procedures:safety_record", args=[record.pk])).content.decode()
    assert "Kaiutin liikuntasaliin" in text and 'name="notes"' not in text
