"""Visit statistics of the kuraattori and the psychologist (issue 19): visits by service and
campus, first visits, group and communal work, waiting times against the legal limits;
small cells hidden from those who do not work in that service; CSV through csvexport."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from opiskeluhuolto.appointments import actions, visits
from opiskeluhuolto.appointments.models import Booking, GroupWork
from opiskeluhuolto.lib.csvexport import FORMULA_STARTS
from opiskeluhuolto.organisation.models import Campus, Role, Student

from .conftest import at
from .test_views import TUE

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _students(cast, n: int) -> list[Student]:
    out = []
    for i in range(n):
        out.append(
            Student.objects.create(
                institution=cast.lukio,
                campus=cast.aino.campus,
                group=cast.aino.group,
                first_name=f"Opiskelija{i}",
                last_name="Testi",
                date_of_birth=cast.aino.date_of_birth,
            )
        )
    return out


def _nth(cast, student, i: int) -> Booking:
    """The i-th free time of Kaisa from Tuesday on (four 45-minute times a day from 9.00)."""
    minutes = 9 * 60 + 45 * (i % 4)
    return _held(cast, student, minutes // 60, minutes % 60, day=TUE + timedelta(days=i // 4))


def _held(cast, student, hour: int, minute: int = 0, *, day=TUE) -> Booking:
    booking = actions.book(
        student=student,
        professional=cast.kuraattori,
        starts_at=at(day, hour, minute),
        actor=cast.kuraattori,
        service=Role.SOCIAL_WORKER,
    )
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.HELD)
    return booking


def test_visits_students_and_first_visits_are_counted(hours, time_machine):
    cast = hours
    a, b = _students(cast, 2)
    earlier = _held(cast, a, 9)  # a's first visit
    _held(cast, b, 9, 45)  # b's first visit
    time_machine.move_to(at(TUE, 12), tick=False)
    # a comes again the next week: a visit, not a first visit.
    _held(cast, a, 10, 30, day=TUE + timedelta(days=7))
    time_machine.move_to(at(TUE + timedelta(days=8), 12), tick=False)
    stats = visits.compute([cast.lukio.pk], TUE - timedelta(days=1), TUE + timedelta(days=8))
    (cell,) = stats.by_service
    assert (cell.service, cell.visits, cell.students, cell.first_visits) == (
        Role.SOCIAL_WORKER,
        3,
        2,
        2,
    )
    (campus,) = stats.by_campus
    assert campus.campus_id == cast.aino.campus_id and campus.visits == 3
    # Counting only from the second week: a's visit there is not a first one.
    later = visits.compute([cast.lukio.pk], TUE + timedelta(days=1), TUE + timedelta(days=8))
    assert later.by_service[0].first_visits == 0 and later.by_service[0].visits == 1
    assert earlier.request.first_offer_working_days is not None


def test_waiting_times_against_the_legal_limits(hours):
    cast = hours
    (s,) = _students(cast, 1)
    _held(cast, s, 9)
    stats = visits.compute([cast.lukio.pk], TUE - timedelta(days=7), TUE)
    (w,) = stats.waiting
    assert w.service == Role.SOCIAL_WORKER and not w.urgent and w.limit == 7
    assert w.requests == 1 and w.met == 1 and w.median_days is not None


def test_small_cells_are_hidden_from_other_services_and_in_the_page(hours):
    cast = hours
    students = _students(cast, 2)
    for i, s in enumerate(students):
        _nth(cast, s, i)
    stats = visits.compute([cast.lukio.pk], TUE, TUE)
    shown = visits.suppress(stats, exact_services=frozenset({Role.SOCIAL_WORKER}))
    assert not shown.by_service[0].hidden and shown.by_service[0].visits == 2
    stats = visits.compute([cast.lukio.pk], TUE, TUE)
    hidden = visits.suppress(stats, exact_services=frozenset({Role.PSYCHOLOGIST}))
    assert hidden.by_service[0].hidden and hidden.by_service[0].visits == 0

    page = client_for(cast.psykologi).get(
        reverse("appointments:statistics"), {"institution": cast.lukio.pk, "year": TUE.year}
    )
    assert page.status_code == 200
    assert "fewer than 5" in page.content.decode() or "alle 5" in page.content.decode()


def test_the_csv_hides_small_cells_and_escapes_formulas(hours, time_machine):
    cast = hours
    for i, s in enumerate(_students(cast, 6)):
        _nth(cast, s, i)
    GroupWork.objects.create(
        professional=cast.kuraattori,
        institution=cast.lukio,
        service=Role.SOCIAL_WORKER,
        kind=GroupWork.Kind.GROUP,
        day=TUE,
        minutes=90,
        participants=12,
    )
    hostile = "=cmd|' /C calc'!A0"  # campus names come from imports and admin forms
    Campus.objects.filter(institution=cast.lukio).update(name=hostile)
    time_machine.move_to(at(TUE + timedelta(days=2), 12), tick=False)
    r = client_for(cast.rehtori).get(
        reverse("appointments:statistics_csv"), {"institution": cast.lukio.pk, "year": TUE.year}
    )
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)], cells
    assert "'" + hostile in cells
    # The principal sees six students by service (not a small cell); the group work:
    # one session, 12 participants, 1.5 hours.
    by_service = [row for row in rows[1:] if row[2] == "" and row[3] in ("käynnit", "visits")]
    assert by_service and by_service[0][4:7] == ["6", "6", "6"], rows
    assert any(row[4:6] == ["1", "12"] and row[8] == "1.5" for row in rows), rows


def test_a_kuraattori_records_group_work_with_errors_next_to_the_field(hours):
    cast = hours
    kaisa = client_for(cast.kuraattori)
    url = reverse("appointments:group_work_add")
    data = {
        "institution": cast.lukio.pk,
        "service": Role.SOCIAL_WORKER,
        "kind": "communal",
        "day": (TUE + timedelta(days=30)).isoformat(),
        "minutes": 45,
        "participants": 25,
    }
    bad = kaisa.post(url, data)
    assert bad.status_code == 400 and "id_day_error" in bad.content.decode()
    data["day"] = "2026-11-09"
    assert kaisa.post(url, data).status_code == 302
    (work,) = GroupWork.objects.all()
    assert work.professional == cast.kuraattori and work.participants == 25
    # Somebody else cannot remove it.
    remove = reverse("appointments:group_work_remove", args=[work.pk])
    assert client_for(cast.psykologi).post(remove).status_code == 404
    assert kaisa.post(remove).status_code == 302
    assert not GroupWork.objects.exists()


def test_a_teacher_sees_no_statistics(hours):
    cast = hours
    r = client_for(cast.teacher).get(reverse("appointments:statistics"))
    assert r.status_code == 404


def test_the_statistics_are_read_per_employer(hours, time_machine):
    """Kaisa is employed by the wellbeing county (issue 20): her visits count for the county,
    not for the provider's own staff; the public page names her employer."""
    from opiskeluhuolto.organisation import actions as org_actions
    from opiskeluhuolto.organisation.models import Organisation, RoleAssignment

    cast = hours
    county = org_actions.save_organisation(
        Organisation(provider=cast.provider),
        kind=Organisation.Kind.COUNTY,
        name="Testilän hyvinvointialue",
    )
    RoleAssignment.objects.filter(user=cast.kuraattori).update(employer=county)
    for i, s in enumerate(_students(cast, 6)):
        _nth(cast, s, i)
    everyone = visits.compute([cast.lukio.pk], TUE, TUE + timedelta(days=2))
    assert everyone.by_service[0].visits == 6
    county_ids = {cast.kuraattori.pk}
    assert (
        visits.compute([cast.lukio.pk], TUE, TUE + timedelta(days=2), county_ids)
        .by_service[0]
        .visits
        == 6
    )
    assert not visits.compute([cast.lukio.pk], TUE, TUE + timedelta(days=2), set()).by_service

    time_machine.move_to(at(TUE + timedelta(days=3), 12), tick=False)
    kaisa = client_for(cast.kuraattori)
    url = reverse("appointments:statistics")
    for employer, held in ((str(county.pk), [6]), ("provider", []), ("", [6])):
        page = kaisa.get(
            url, {"institution": cast.lukio.pk, "year": TUE.year, "employer": employer}
        )
        assert [c.visits for c in page.context["stats"].by_service] == held, (
            employer,
            page.context["form"].errors,
        )
    assert "Testilän hyvinvointialue" in kaisa.get(url).content.decode()  # a choice

    public = Client().get(reverse("appointments:public_page", args=[cast.lukio.slug]))
    text = public.content.decode()
    assert "Testilän hyvinvointialue" in text and "Testilän kaupunki" in text


def test_the_employer_is_an_organisation_of_the_same_provider(cast):
    from django.core.exceptions import ValidationError

    from opiskeluhuolto.organisation import actions as org_actions
    from opiskeluhuolto.organisation.models import Organisation

    elsewhere = org_actions.save_organisation(
        Organisation(provider=cast.other_provider), kind="county", name="Muu hyvinvointialue"
    )
    with pytest.raises(ValidationError):
        org_actions.assign_role(
            cast.teacher,
            role=Role.SOCIAL_WORKER,
            provider=cast.provider,
            institution=cast.lukio,
            valid_from=TUE,
            employer=elsewhere,
        )
