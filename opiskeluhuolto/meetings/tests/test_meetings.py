"""Groups, meetings and minutes: L-14-1 groups, overlaps, duplicates, the L-14-2 warning, publishing."""

import re
import subprocess
import tempfile
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from opiskeluhuolto.lib import hetu
from opiskeluhuolto.meetings import actions, minutes_check
from opiskeluhuolto.meetings.models import Group, Meeting

from .conftest import at

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 10)


def test_institution_welfare_group_needs_an_institution_and_a_provider_chair(cast):
    with pytest.raises(ValidationError):
        actions.create_group(
            by=cast.admin,
            provider=cast.provider,
            kind=Group.Kind.WELFARE,
            name="Ilman oppilaitosta",
        )
    with pytest.raises(ValidationError) as e:
        actions.create_group(
            by=cast.admin,
            provider=cast.provider,
            kind=Group.Kind.WELFARE,
            name="Väärä pj",
            institution=cast.lukio,
            chair=cast.outsider,
        )
    assert "chair" in e.value.message_dict
    group = actions.create_group(
        by=cast.admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Oikea",
        institution=cast.lukio,
        chair=cast.rehtori,
    )
    assert group.memberships.get().role == "chair"


def test_the_steering_group_and_the_welfare_group_keep_separate_members_and_meetings(cast):
    steering = actions.create_group(
        by=cast.admin,
        provider=cast.provider,
        kind=Group.Kind.STEERING,
        name="Ohjausryhmä",
        chair=cast.admin,
    )
    welfare = actions.create_group(
        by=cast.admin,
        provider=cast.provider,
        kind=Group.Kind.WELFARE,
        name="Opiskeluhuoltoryhmä",
        institution=cast.lukio,
        chair=cast.rehtori,
    )
    actions.add_member(steering, by=cast.admin, user=cast.external, role="external")
    day = cast.today + timedelta(days=3)
    actions.schedule_meeting(steering, by=cast.admin, starts_at=at(day), ends_at=at(day, 14))
    assert welfare.meetings.count() == 0
    assert not welfare.memberships.filter(user=cast.external).exists()
    # The same hour is fine for another group.
    actions.schedule_meeting(welfare, by=cast.admin, starts_at=at(day), ends_at=at(day, 14))


def test_overlapping_meeting_of_the_same_group_gets_a_clear_message(welfare, cast):
    day = cast.today + timedelta(days=5)
    actions.schedule_meeting(
        welfare.group, by=cast.rehtori, starts_at=at(day, 13), ends_at=at(day, 14, 30)
    )
    with translation.override("fi"), pytest.raises(ValidationError) as e:
        actions.schedule_meeting(
            welfare.group, by=cast.rehtori, starts_at=at(day, 14), ends_at=at(day, 15)
        )
    assert "Ryhmällä on jo kokous samaan aikaan" in e.value.messages[0]
    assert f"{day.day}.{day.month}.{day.year} 13.00" in e.value.messages[0]
    # Back to back is not an overlap.
    actions.schedule_meeting(
        welfare.group, by=cast.rehtori, starts_at=at(day, 14, 30), ends_at=at(day, 15)
    )
    with pytest.raises(ValidationError):
        actions.schedule_meeting(
            welfare.group, by=cast.rehtori, starts_at=at(day, 16), ends_at=at(day, 15)
        )


def test_duplicate_standing_item_gets_a_clear_message(welfare):
    actions.add_standing_item(
        welfare.group, by=welfare.admin, title="Yksikön ajankohtaiset asiat", kind="every"
    )
    with translation.override("fi"), pytest.raises(ValidationError) as e:
        actions.add_standing_item(
            welfare.group,
            by=welfare.admin,
            title="  yksikön  ajankohtaiset asiat ",
            kind="as_needed",
        )
    assert e.value.message_dict["title"] == ["Ryhmällä on jo asia ”yksikön ajankohtaiset asiat”."]


def test_meeting_form_shows_the_overlap_next_to_the_form_and_keeps_input(client, welfare, cast):
    day = cast.today + timedelta(days=5)
    actions.schedule_meeting(
        welfare.group, by=cast.rehtori, starts_at=at(day, 13), ends_at=at(day, 14)
    )
    client.force_login(cast.rehtori)
    url = reverse("meetings:meeting_new", args=[welfare.group.pk])
    data = {"day": day.isoformat(), "start": "13:30", "end": "15:00", "place": "Neuvotteluhuone 2"}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 200
    assert "Ryhmällä on jo kokous samaan aikaan" in response.content.decode()
    assert "Neuvotteluhuone 2" in response.content.decode()
    assert welfare.group.meetings.count() == 1


def _meeting_with_item(welfare, cast):
    actions.add_standing_item(welfare.group, by=welfare.admin, title="Ajankohtaiset", kind="every")
    day = cast.today + timedelta(days=5)
    meeting = actions.schedule_meeting(
        welfare.group, by=cast.rehtori, starts_at=at(day), ends_at=at(day, 14)
    )
    return meeting, meeting.items.get()


def test_minutes_with_an_identity_code_or_a_student_name_warn_before_saving(welfare, cast):
    meeting, item = _meeting_with_item(welfare, cast)
    code = cast.aino.hetu
    for text in (
        f"Keskusteltiin opiskelijasta {code}.",
        "Aino Opiskelija on ollut paljon poissa.",
        "Opiskelija Aino on poissa, Opiskelija Aino.",
    ):
        with pytest.raises(actions.IdentifiesStudent) as e:
            actions.save_minutes(
                item, by=cast.kuraattori, minutes=text, decision="", version=meeting.version
            )
        assert e.value.findings
    item.refresh_from_db()
    assert item.minutes == ""
    found = minutes_check.find_identifiers(f"{code} ja Opiskelija Aino", [cast.lukio.pk])
    assert [f.kind for f in found] == ["hetu", "name"]
    assert code not in found[0].text  # the warning never repeats the code


def test_the_warning_ignores_invalid_codes_other_institutions_and_first_names_alone(welfare, cast):
    invalid = cast.aino.hetu[:-1] + ("X" if cast.aino.hetu[-1] != "X" else "Y")
    text = f"{invalid}. Eero Aikuinen (ammattiopisto). Aino kertoi kuulumiset yleisellä tasolla."
    assert minutes_check.find_identifiers(text, [cast.lukio.pk]) == []
    assert minutes_check.find_hetus(hetu.make(date(2001, 5, 4), 955))  # any valid code warns


def test_the_writer_may_correct_or_confirm(welfare, cast):
    meeting, item = _meeting_with_item(welfare, cast)
    text = "Aino Opiskelija on ollut paljon poissa."
    actions.save_minutes(
        item, by=cast.kuraattori, minutes=text, decision="", version=meeting.version, confirmed=True
    )
    item.refresh_from_db()
    assert item.minutes == text
    meeting.refresh_from_db()
    actions.save_minutes(
        item,
        by=cast.kuraattori,
        minutes="Poissaoloja yleisellä tasolla.",
        decision="Seurataan.",
        version=meeting.version,
    )
    item.refresh_from_db()
    assert (item.minutes, item.decision) == ("Poissaoloja yleisellä tasolla.", "Seurataan.")


def test_concurrent_minutes_do_not_overwrite_silently(welfare, cast):
    meeting, item = _meeting_with_item(welfare, cast)
    stale = meeting.version
    actions.save_minutes(
        item, by=cast.kuraattori, minutes="Ensimmäinen.", decision="", version=stale
    )
    with pytest.raises(ValidationError):
        actions.save_minutes(item, by=cast.rehtori, minutes="Toinen.", decision="", version=stale)
    item.refresh_from_db()
    assert item.minutes == "Ensimmäinen."


def test_minutes_page_warns_keeps_the_text_and_saves_after_confirming(client, welfare, cast):
    meeting, item = _meeting_with_item(welfare, cast)
    client.force_login(cast.kuraattori)
    url = reverse("meetings:item_minutes", args=[item.pk])
    data = {
        "minutes": "Aino Opiskelija tarvitsee tukea.",
        "decision": "",
        "version": meeting.version,
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="fi")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Tekstistä näyttää voivan tunnistaa opiskelijan" in body
    assert "Aino Opiskelija tarvitsee tukea." in body
    response = client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.minutes == "Aino Opiskelija tarvitsee tukea."


@time_machine.travel(TODAY)
def test_publishing_freezes_the_minutes_makes_a_pdf_and_mails_the_members(
    welfare, cast, django_capture_on_commit_callbacks
):
    meeting, item = _meeting_with_item(welfare, cast)
    actions.save_minutes(
        item,
        by=cast.kuraattori,
        minutes="Hyvinvointiviikon ohjelma.",
        decision="Hyväksyttiin.",
        version=meeting.version,
    )
    actions.add_follow_up(
        item,
        by=cast.kuraattori,
        title="Tiedote huoltajille",
        owner=cast.kuraattori,
        due_on=TODAY + timedelta(days=14),
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.publish_minutes(meeting, by=cast.rehtori)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(bytes(meeting.minutes_pdf))
        f.flush()
        text = subprocess.run(
            ["pdftotext", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert "Etu-Töölön lukion opiskeluhuoltoryhmä" in text
    assert "Hyvinvointiviikon ohjelma." in text and "Tiedote huoltajille" in text
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert set(sent.bcc) == {cast.rehtori.email, cast.kuraattori.email, cast.external.email}
    assert sent.attachments[0][2] == "application/pdf"
    with pytest.raises(ValidationError):
        actions.save_minutes(
            item, by=cast.kuraattori, minutes="Muutos", decision="", version=meeting.version
        )
    with pytest.raises(ValidationError):
        actions.publish_minutes(meeting, by=cast.rehtori)


def test_an_empty_agenda_is_not_published(welfare, cast):
    day = cast.today + timedelta(days=5)
    meeting = actions.schedule_meeting(
        welfare.group, by=cast.rehtori, starts_at=at(day), ends_at=at(day, 14)
    )
    with pytest.raises(ValidationError):
        actions.publish_minutes(meeting, by=cast.rehtori)


def test_external_member_sees_only_their_groups(client, welfare, cast):
    other = actions.create_group(
        by=cast.admin,
        provider=cast.provider,
        kind=Group.Kind.THEME,
        name="Turvallisuusryhmä",
        institution=cast.lukio,
    )
    client.force_login(cast.external)
    body = client.get(reverse("meetings:groups")).content.decode()
    assert welfare.group.name in body and other.name not in body
    assert client.get(reverse("meetings:group", args=[other.pk])).status_code == 404


def test_a_manager_removes_a_member_and_others_cannot(client, welfare, cast):
    from opiskeluhuolto.meetings.models import Membership

    external = Membership.objects.get(group=welfare.group, user=cast.external)
    url = reverse("meetings:member_remove", args=[external.pk])
    # A member who does not manage the group cannot remove anyone, not even themselves.
    client.force_login(cast.external)
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=external.pk).exists()
    client.force_login(cast.kuraattori)  # the secretary manages the group
    page = client.get(reverse("meetings:group", args=[welfare.group.pk])).content.decode()
    assert url in page
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("meetings:group", args=[welfare.group.pk])
    assert not Membership.objects.filter(pk=external.pk).exists()
    assert cast.external.display_name in response.content.decode()  # the message says who
    # The removed external member no longer sees the group.
    client.force_login(cast.external)
    assert client.get(reverse("meetings:group", args=[welfare.group.pk])).status_code == 404
    # The chair stays: the group always has its chair.
    chair = Membership.objects.get(group=welfare.group, user=welfare.group.chair)
    client.force_login(cast.kuraattori)
    client.post(reverse("meetings:member_remove", args=[chair.pk]))
    assert Membership.objects.filter(pk=chair.pk).exists()


def test_meeting_page_takes_attendance_from_the_members_and_minutes_item_by_item(
    client, welfare, cast
):
    """Issue 19: attendance is ticked from the group's members (others written), and the
    minutes of each item are written on the meeting page itself."""
    from opiskeluhuolto.meetings.models import Membership

    meeting, item = _meeting_with_item(welfare, cast)
    client.force_login(cast.kuraattori)
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    secretary = Membership.objects.get(group=welfare.group, user=cast.kuraattori)
    assert f'value="{secretary.pk}"' in page and 'type="checkbox"' in page
    assert f'name="item{item.pk}-minutes"' in page
    r = client.post(
        reverse("meetings:attendees", args=[meeting.pk]),
        {"present": [str(secretary.pk)], "others": "Vieras Henkilö (nuorisotyö)"},
    )
    assert r.status_code == 302
    meeting.refresh_from_db()
    assert meeting.attendees.startswith(cast.kuraattori.display_name)
    assert meeting.attendees.endswith(", Vieras Henkilö (nuorisotyö)")
    page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
    assert re.search(rf'value="{secretary.pk}"[^>]*checked', page)
    r = client.post(
        reverse("meetings:item_minutes", args=[item.pk]),
        {
            "prefix": f"item{item.pk}",
            f"item{item.pk}-minutes": "Käytiin läpi.",
            f"item{item.pk}-decision": "Hyväksyttiin.",
            f"item{item.pk}-version": meeting.version,
        },
    )
    assert r.status_code == 302 and r["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert (item.minutes, item.decision) == ("Käytiin läpi.", "Hyväksyttiin.")
