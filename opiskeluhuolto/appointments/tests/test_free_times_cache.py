"""The free times' cache is kept fresh by database triggers, so every kind of write to the
tables the free times are read from changes the professional's version: bulk writes and
queryset updates too, which Django's signals never saw."""

from __future__ import annotations

from datetime import time, timedelta
from importlib import import_module

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opiskeluhuolto.access.tests.test_facts import _tables_read
from opiskeluhuolto.appointments import slots
from opiskeluhuolto.appointments.models import (
    Availability,
    AvailabilityException,
    FreeTimesVersion,
)


def version(user):
    return FreeTimesVersion.objects.filter(professional=user).values_list("version", flat=True)[0]


def test_the_migration_triggers_exactly_the_tables_the_free_times_name():
    migration = import_module("opiskeluhuolto.appointments.migrations.0004_free_times_triggers")
    assert tuple(migration.TABLES) == slots.FREE_TIMES_TABLES


def test_the_free_times_read_no_table_without_a_trigger(hours):
    today = timezone.localdate()
    last = today + timedelta(days=20)
    calendar = slots.SchoolCalendar.build([(today, last)], (), slots._days(today, last))
    with CaptureQueriesContext(connection) as ctx:
        found = slots.free_slots_of([hours.kuraattori.pk], hours.lukio.pk, calendar, today, last)
    assert found[hours.kuraattori.pk]
    tables = _tables_read(ctx)
    assert tables and tables <= set(slots.FREE_TIMES_TABLES), tables


def _row(cast, user, weekday=5):
    return Availability(
        professional=user,
        institution=cast.lukio,
        weekday=weekday,
        starts_at=time(16),
        ends_at=time(17),
        valid_from=timezone.localdate(),
    )


def test_every_kind_of_write_changes_the_version_of_that_professional_only(hours):
    cast = hours
    kaisa, pekka = cast.kuraattori, cast.psykologi
    writes = [
        ("bulk insert", lambda: Availability.objects.bulk_create([_row(cast, kaisa)])),
        (
            "queryset update",
            lambda: Availability.objects.filter(professional=kaisa).update(slot_minutes=30),
        ),
        (
            "queryset delete",
            lambda: Availability.objects.filter(professional=kaisa, weekday=5).delete(),
        ),
        (
            "bulk exception",
            lambda: AvailabilityException.objects.bulk_create(
                [
                    AvailabilityException(
                        professional=kaisa,
                        institution=cast.lukio,
                        day=timezone.localdate() + timedelta(days=1),
                        kind=AvailabilityException.Kind.AWAY,
                    )
                ]
            ),
        ),
    ]

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE appointments_availability SET place = 'Huone 102'"
                " WHERE professional_id = %s",
                [kaisa.pk],
            )

    writes.append(("raw SQL", raw_sql))
    for what, write in writes:
        before, other = version(kaisa), version(pekka)
        write()
        assert version(kaisa) != before, what
        assert version(pekka) == other, what


def test_moving_hours_to_another_professional_changes_both_versions(hours):
    cast = hours
    kaisa, pekka = cast.kuraattori, cast.psykologi
    row = Availability.objects.filter(professional=kaisa).first()
    before = version(kaisa), version(pekka)
    Availability.objects.filter(pk=row.pk).update(professional=pekka)
    assert version(kaisa) != before[0]
    assert version(pekka) != before[1]
