from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from opiskeluhuolto.lib import hetu
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import CalendarPeriod, Student

pytestmark = pytest.mark.django_db


def enrol(cast, **overrides):
    born = overrides.pop("date_of_birth", date(2010, 3, 4))
    fields = dict(
        institution=cast.lukio,
        first_name="Venla",
        last_name="Virtanen",
        date_of_birth=born,
        hetu=hetu.make(born, 950),
    )
    fields.update(overrides)
    return actions.enrol_student(**fields)


def test_invalid_identity_code_is_refused_in_finnish(cast):
    with translation.override("fi"):
        with pytest.raises(ValidationError) as exc:
            enrol(cast, hetu="040310A950X")
        assert "tarkistusmerkki on väärä" in str(exc.value.message_dict["hetu"])
    assert not Student.objects.filter(last_name="Virtanen").exists()


def test_identity_code_errors_in_swedish_and_english(cast):
    # Messages are lazy: render them while the language is active, as a request would.
    with translation.override("sv"):
        with pytest.raises(ValidationError) as exc:
            enrol(cast, hetu="310210A950X")
        assert "datum finns inte" in str(exc.value)
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            enrol(cast, hetu="0403")
        assert "DDMMYYCZZZQ" in str(exc.value)


def test_identity_code_must_match_date_of_birth(cast):
    with pytest.raises(ValidationError) as exc:
        enrol(cast, hetu=hetu.make(date(2010, 3, 5), 950))
    assert "hetu" in exc.value.message_dict


def test_identity_code_is_unique(cast):
    enrol(cast)
    with pytest.raises(ValidationError):
        enrol(cast, first_name="Toinen")


def test_learner_id_format(cast):
    with pytest.raises(ValidationError) as exc:
        enrol(cast, oppijanumero="1.2.246.562.24.123")
    assert "oppijanumero" in exc.value.message_dict
    assert enrol(cast, oppijanumero="1.2.246.562.24.12345678901").pk


def test_group_must_belong_to_the_institution(cast):
    with pytest.raises(ValidationError) as exc:
        enrol(cast, institution=cast.amis, group=cast.group)
    assert "group" in exc.value.message_dict


@time_machine.travel(date(2026, 11, 22))
def test_minor_is_computed_for_a_given_day():
    s = Student(date_of_birth=date(2008, 11, 23))
    assert s.is_minor(date(2026, 11, 22))
    assert not s.is_minor(date(2026, 11, 23))
    assert s.is_minor()  # today (frozen)
    leap = Student(date_of_birth=date(2008, 2, 29))
    assert leap.is_minor(date(2026, 2, 28))
    assert not leap.is_minor(date(2026, 3, 1))


def test_minors_queryset_agrees_with_is_minor(cast):
    for day in (cast.today, date(cast.today.year + 2, 1, 1), date(2028, 2, 29)):
        expected = {s.pk for s in Student.objects.all() if s.is_minor(day)}
        assert set(Student.objects.minors(day).values_list("pk", flat=True)) == expected


def test_school_years_may_not_overlap(cast):
    y = cast.school_year
    with pytest.raises(ValidationError):
        actions.create_school_year(
            cast.lukio, name="toinen", starts_on=y.ends_on, ends_on=date(y.ends_on.year + 1, 7, 31)
        )


def test_school_year_must_end_after_it_starts(cast):
    with pytest.raises(ValidationError) as exc:
        actions.create_school_year(
            cast.amis, name="x", starts_on=date(2030, 8, 1), ends_on=date(2030, 7, 1)
        )
    assert "ends_on" in exc.value.message_dict


def test_period_must_lie_within_the_school_year(cast):
    with translation.override("fi"):
        with pytest.raises(ValidationError) as exc:
            actions.add_calendar_period(
                cast.school_year,
                kind="break",
                name="Loma",
                starts_on=date(2000, 1, 1),
                ends_on=date(2000, 1, 2),
            )
        assert "lukuvuoden" in str(exc.value)


def test_terms_may_not_overlap_but_a_break_may_sit_inside_a_term(cast):
    y = cast.school_year
    autumn = y.periods.get(name="Syyslukukausi")
    with pytest.raises(ValidationError) as exc:
        actions.add_calendar_period(
            y, kind="term", name="Päällekkäin", starts_on=autumn.ends_on, ends_on=autumn.ends_on
        )
    assert "Syyslukukausi" in str(exc.value)
    brk = actions.add_calendar_period(
        y, kind="break", name="Syysloma", starts_on=autumn.starts_on, ends_on=autumn.starts_on
    )
    assert brk.pk
    with pytest.raises(ValidationError):
        actions.add_calendar_period(
            y,
            kind="day_off",
            name="Päällekkäinen vapaa",
            starts_on=autumn.starts_on,
            ends_on=autumn.starts_on,
        )


def test_extra_school_day_is_one_day(cast):
    y = cast.school_year
    with pytest.raises(ValidationError):
        actions.add_calendar_period(
            y,
            kind=CalendarPeriod.Kind.EXTRA_SCHOOL_DAY,
            name="Lauantai",
            starts_on=date(y.starts_on.year, 9, 5),
            ends_on=date(y.starts_on.year, 9, 6),
        )


def test_institution_calendar_feeds_the_working_day_function(cast):
    y = cast.school_year
    start = y.starts_on.year
    cal = cast.lukio.school_calendar()
    assert not cal.is_working_day(date(start, 8, 10))  # before the term
    monday = date.fromisocalendar(start, 42, 1)
    assert cal.is_working_day(monday)
    actions.add_calendar_period(
        y,
        kind="break",
        name="Syysloma",
        starts_on=monday,
        ends_on=monday.replace(day=monday.day + 4),
    )
    assert not cast.lukio.school_calendar().is_working_day(monday)


def test_role_assignment_unit_must_fit(cast):
    with pytest.raises(ValidationError):
        actions.assign_role(
            cast.teacher,
            role="teacher",
            provider=cast.other_provider,
            institution=cast.lukio,
            valid_from=cast.today,
        )
    with pytest.raises(ValidationError):
        actions.assign_role(
            cast.teacher,
            role="teacher",
            provider=cast.provider,
            institution=cast.lukio,
            campus=cast.amis_campus,
            valid_from=cast.today,
        )
    with pytest.raises(ValidationError):
        actions.assign_role(
            cast.teacher,
            role="teacher",
            provider=cast.provider,
            valid_from=cast.today,
            valid_until=date(2000, 1, 1),
        )


def test_provider_admin_role_opens_the_django_admin(cast):
    assert cast.admin.is_staff
    assert not cast.rehtori.is_staff
