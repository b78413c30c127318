"""The staff whose free times the booking pages show: `free_times.bookable_staff` is
`free_times.welfare_staff` narrowed to those with bookable hours, in one query."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from opiskeluhuolto.appointments import actions, display, free_times
from opiskeluhuolto.organisation.models import Campus

from .conftest import publish_week

pytestmark = pytest.mark.django_db


def expected(institution, today, campus_id):
    return [
        (m.user.pk, m.user.display_name, m.role, m.role_label)
        for m in free_times.welfare_staff(institution, today)
        if m.hours and not (campus_id and m.campus is not None and m.campus.pk != campus_id)
    ]


def bookable(institution, today, campus_id=None):
    return [
        (b.user_id, b.name, b.role, b.role_label)
        for b in free_times.bookable_staff(institution, today, campus_id)
    ]


def test_bookable_staff_are_the_welfare_staff_with_bookable_hours(hours):
    cast, today = hours, timezone.localdate()
    # Hours at an institution where she has no role, and hours that have ended.
    publish_week(cast.users["kuraattori_out"], cast.lukio, time(13), time(16))
    actions.add_hours(
        cast.nurse,
        cast.lukio,
        kind="bookable",
        weekday=0,
        starts_at=time(10),
        ends_at=time(11),
        slot_minutes=30,
        mode="on_site",
        place="",
        valid_from=today - timedelta(days=30),
        valid_until=today - timedelta(days=1),
    )
    other = Campus.objects.create(institution=cast.lukio, name="Toinen toimipiste")
    for campus_id in (None, cast.lukio_campus.pk, other.pk):
        assert bookable(cast.lukio, today, campus_id) == expected(cast.lukio, today, campus_id)
    assert {b[0] for b in bookable(cast.lukio, today)} == {cast.kuraattori.pk, cast.psykologi.pk}

    publish_week(cast.nurse, cast.lukio, time(13), time(14))  # the nurse, posted to one campus
    for campus_id in (None, cast.lukio_campus.pk, other.pk):
        assert bookable(cast.lukio, today, campus_id) == expected(cast.lukio, today, campus_id)
    assert cast.nurse.pk in [b[0] for b in bookable(cast.lukio, today, cast.lukio_campus.pk)]
    assert cast.nurse.pk not in [b[0] for b in bookable(cast.lukio, today, other.pk)]


def test_bookable_staff_follow_role_and_hours_validity_provider_wide_roles_and_kinds(hours):
    """Each case the query tells apart, against `welfare_staff` (read with the ORM)."""
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation.models import Role, RoleAssignment

    cast, today = hours, timezone.localdate()
    day = timedelta(days=1)

    def person(username, role, provider, institution=None, valid_until=None, starts=None):
        user = User.objects.create(username=username, first_name=username.title())
        RoleAssignment.objects.create(
            user=user,
            role=role,
            provider=provider,
            institution=institution,
            valid_from=starts or today - 30 * day,
            valid_until=valid_until,
        )
        return user

    def hours_of(user, kind="bookable", valid_from=today, valid_until=None):
        actions.add_hours(
            user,
            cast.lukio,
            kind=kind,
            weekday=2,
            starts_at=time(8),
            ends_at=time(9),
            slot_minutes=30,
            mode="on_site",
            place="",
            valid_from=valid_from,
            valid_until=valid_until,
        )

    shown = {
        "provider-wide": person("laaja", Role.DOCTOR, cast.provider),
        "role ends today": person("paattyy", Role.NURSE, cast.provider, cast.lukio, today),
        "hours end today": person("tunnit", Role.PSYCHOLOGIST, cast.provider, cast.lukio),
    }
    hidden = {
        "other provider's": person("naapuri", Role.DOCTOR, cast.other_provider),
        "role ended": person("loppui", Role.NURSE, cast.provider, cast.lukio, today - day),
        "role not begun": person("alkaa", Role.NURSE, cast.provider, cast.lukio, None, today + day),
        "not welfare staff": person("opettaja2", Role.TEACHER, cast.provider, cast.lukio),
        "walk-in hours only": person("vastaanotto", Role.NURSE, cast.provider, cast.lukio),
        "hours not begun": person("myohemmin", Role.NURSE, cast.provider, cast.lukio),
        "hours ended": person("ohi", Role.NURSE, cast.provider, cast.lukio),
    }
    for user in [*shown.values(), *hidden.values()]:
        if user.username == "vastaanotto":
            hours_of(user, kind="walk_in")
        elif user.username == "myohemmin":
            hours_of(user, valid_from=today + day)
        elif user.username == "ohi":
            hours_of(user, valid_from=today - 7 * day, valid_until=today - day)
        elif user.username == "tunnit":
            hours_of(user, valid_until=today)
        else:
            hours_of(user)
    # Two welfare roles: listed once, by the role that comes first.
    RoleAssignment.objects.create(
        user=cast.kuraattori,
        role=Role.PSYCHOLOGIST,
        provider=cast.provider,
        institution=cast.lukio,
        valid_from=today,
    )
    for campus_id in (None, cast.lukio_campus.pk):
        assert bookable(cast.lukio, today, campus_id) == expected(cast.lukio, today, campus_id)
    ids = [b[0] for b in bookable(cast.lukio, today)]
    for label, user in shown.items():
        assert user.pk in ids, label
    for label, user in hidden.items():
        assert user.pk not in ids, label
    assert ids.count(cast.kuraattori.pk) == 1


def test_booking_and_request_rows_show_what_the_models_show(hours, english):
    """The booking pages list plain rows read as values; they say what the model
    instances' display methods and the deadline state say."""
    from opiskeluhuolto.appointments.models import AppointmentRequest, Booking
    from opiskeluhuolto.organisation.models import Role

    from .conftest import at
    from .test_views import TUE

    cast = hours
    for hh, who in ((9, cast.aino), (13, cast.onni)):
        actions.book(
            student=who,
            professional=cast.kuraattori if hh < 12 else cast.psykologi,
            starts_at=at(TUE, hh),
            actor=cast.kuraattori,
            service=Role.SOCIAL_WORKER if hh < 12 else Role.PSYCHOLOGIST,
        )
    Booking.objects.filter(starts_at=at(TUE, 13)).update(mode="remote")
    actions.create_request(
        cast.onni,
        service=Role.NURSE,
        requested_by="other",
        channel="phone",
        actor=cast.nurse,
        requester_description="nuorisotyöntekijä",
    )
    bookings = Booking.objects.select_related("student", "professional").order_by("starts_at")
    rows = display.booking_rows(bookings, "D j.n. H.i")
    assert [r.pk for r in rows] == [b.pk for b in bookings]
    for row, b in zip(rows, bookings, strict=True):
        assert row.student == b.student.full_name
        assert row.student_first_name == b.student.first_name
        assert row.professional == b.professional.display_name
        assert row.service == b.get_service_display()
        assert row.where == (b.place if b.mode != "remote" and b.place else b.get_mode_display())
    assert rows[0].time == "Tue 10.11. 09.00–09.45" and rows[1].where == "remote (video)"

    requests = AppointmentRequest.objects.select_related("student").by_deadline()
    rows = display.request_rows(display.request_values(requests, names=True), cast.today)
    models = display.with_states(requests, cast.today)
    assert len(rows) == len(models) == 3
    for row, r in zip(rows, models, strict=True):
        assert (row.pk, row.urgent, row.student) == (r.pk, r.urgent, r.student.full_name)
        assert row.service == r.get_service_display() and row.status == r.get_status_display()
        assert row.requested_by == r.get_requested_by_display()
        assert row.channel == r.get_channel_display()
        assert row.flag == r.state.flag and row.deadline_html == r.deadline_html
    legal = next(r for r in models if r.has_legal_deadline)
    assert f'<time datetime="{legal.deadline.isoformat()}">' in legal.deadline_html
    nurse = next(r for r in rows if r.service == "school nurse")
    assert nurse.deadline_html == '<span class="muted">no legal time limit</span>'


@pytest.mark.django_db(False)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(
    "fmt", ["D j.n. H.i", "D j.n.Y H.i", "H.i", "j.n.Y", "Y-m-d", "D j.n.Y", "d.m. \\k\\l\\o H"]
)
def test_the_lists_format_dates_as_django_does(language, fmt):
    from datetime import date, datetime

    from django.utils import translation
    from django.utils.formats import date_format

    start = datetime(2026, 12, 28, 7, 5)  # a year's turn, single-digit days and hours
    moments = [start + timedelta(days=d, hours=d * 5, minutes=d * 7) for d in range(14)]
    if "H" not in fmt:  # dates too
        moments += [date(2027, 1, 4), date(987, 3, 9)]
    with translation.override(language):
        for moment in moments:
            assert display._format(moment, fmt) == date_format(moment, fmt)
