import io

import pytest
from django.core.management import CommandError, call_command

from opiskeluhuolto.access import for_user
from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib import hetu
from opiskeluhuolto.organisation.models import Guardianship, Role, Student

pytestmark = pytest.mark.django_db


def test_demo_seeds_every_role_with_valid_people():
    out = io.StringIO()
    call_command("seed_demo", "--students", "60", stdout=out)
    text = out.getvalue()
    assert "opiskeluhuolto" in text and "kuraattori" in text and "huoltaja" in text
    roles = set()
    for user in User.objects.filter(role_assignments__isnull=False).distinct():
        roles |= for_user(user).roles
    assert roles == set(Role.values)
    assert Student.objects.count() == 60
    for s in Student.objects.all():
        assert hetu.parse(s.hetu).birth_date == s.date_of_birth
        assert hetu.parse(s.hetu).is_temporary  # synthetic: never a real person's code
    minors = Student.objects.minors(for_user(User.objects.get(username="opiskelija")).today)
    assert (
        Guardianship.objects.filter(student__in=minors).values("student").distinct().count()
        == minors.count()
    )
    aino = User.objects.get(username="opiskelija").student
    assert aino.is_minor() and aino.group.supervisor.username == "ryhmanohjaaja"
    assert not User.objects.get(username="aikuisopiskelija").student.is_minor()
    _demo_has_the_organisations_around_the_school(aino)
    # A guardian's open data request for the register administration to answer.
    from opiskeluhuolto.privacy.models import DataRequest

    waiting = DataRequest.objects.get(requested_by__username="huoltaja")
    assert waiting.student == aino and waiting.status == DataRequest.Status.OPEN
    assert waiting.due_on > waiting.requested_on


def _demo_has_the_organisations_around_the_school(aino):
    """Issue 20: the county employs Sedu's kuraattori and psykologi; youth work offers a
    public service on Aino's campus; a municipal provider runs a basic school."""
    from opiskeluhuolto.organisation.models import Institution, Organisation, RoleAssignment
    from opiskeluhuolto.organisation.partners import public_services

    county = Organisation.objects.get(
        kind=Organisation.Kind.COUNTY, provider__name="Koulutuskeskus Sedu"
    )
    for username in ("kuraattori", "psykologi"):
        assert RoleAssignment.objects.get(user__username=username).employer == county
    assert "Koulunuorisotyö" in {s.name for s in public_services(aino.institution, aino.campus)}
    basic = Institution.objects.get(level=Institution.Level.BASIC)
    assert basic.provider.name == "Jämsän kaupunki"
    _demo_has_the_regional_group()


def _demo_has_the_regional_group():
    """Issue 20: the county's regional group with Sedu and the city of Seinäjoki; its
    follow-up waits on Sedu's next steering-group agenda; Sedu's groups form a tree."""
    from opiskeluhuolto.meetings.models import AgendaItem, Group

    regional = Group.objects.get(kind=Group.Kind.REGIONAL)
    assert regional.county.name == "Etelä-Pohjanmaan hyvinvointialue"
    assert {p.name for p in regional.member_providers.all()} == {
        "Koulutuskeskus Sedu",
        "Seinäjoen kaupunki",
    }
    neighbour = User.objects.get(username="sjk-rehtori")
    assert for_user(neighbour).view_welfare_group(regional)
    assert not for_user(neighbour).view_student(User.objects.get(username="opiskelija").student)
    steering = Group.objects.get(name="Sedun opiskeluhuollon ohjausryhmä")
    sent = AgendaItem.objects.filter(
        meeting__group=steering, source=AgendaItem.Source.PROPOSAL, meeting__status="planned"
    )
    assert sent.filter(title__startswith="Päivittäkää opiskeluhuoltosuunnitelman").exists()
    welfare = Group.objects.get(name="Sedun opiskeluhuoltoryhmä")
    assert welfare.parent == steering
    assert welfare.children.filter(kind=Group.Kind.CAMPUS).count() == 5


def test_demo_people_have_coherent_contact_details():
    """A person's e-mail address is made of their name; every phone number is written
    `+358 40 123 4567`, the phone hours' numbers too."""
    import re

    from opiskeluhuolto.appointments.models import ContactChannel
    from opiskeluhuolto.organisation.demo.cast import email_address

    call_command("seed_demo", "--students", "40", stdout=io.StringIO())
    phone = re.compile(r"^\+358 \d{2} \d{3} \d{4}$")
    for n, s in enumerate(Student.objects.order_by("pk")):
        assert s.email == email_address(s.first_name, s.last_name, "opiskelija.demo.invalid", n)
        assert phone.match(s.phone), s.phone
    aino = Student.objects.get(user__username="opiskelija")
    assert aino.email.startswith("aino.aaltonen.") and aino.user.email == aino.email
    staff = User.objects.filter(role_assignments__isnull=False).exclude(email="").distinct()
    assert staff.count() > 10
    for user in staff:
        local = user.email.split("@")[0]
        assert local == email_address(user.first_name, user.last_name).split("@")[0], user
    phones = [*User.objects.exclude(phone="").values_list("phone", flat=True)]
    phones += ContactChannel.objects.values_list("phone", flat=True)
    assert phones and all(phone.match(p) for p in phones), phones
    assert email_address("Jussi", "Jääskeläinen") == "jussi.jaaskelainen@demo.invalid"


def test_demo_refuses_to_seed_twice_but_if_empty_is_quiet():
    call_command("seed_demo", "--students", "40", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "not seeding again" in out.getvalue()
    assert Student.objects.count() == 40
