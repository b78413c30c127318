"""The demo of issue 20: the communal space Olkkari with service hours, bookings and use
counts, and the Luksia-style development project with its results (one seeding for both,
as the seeding is the slow part)."""

import io

import pytest
from django.core.management import call_command

from opiskeluhuolto.spaces.models import Booking, ServiceHours, Space, Visit
from opiskeluhuolto.spaces.usage import monthly

pytestmark = pytest.mark.django_db


def test_demo_space_has_hours_bookings_and_use():
    call_command("seed_demo", "--students", "20", stdout=io.StringIO())
    space = Space.objects.get(name="Olkkari")
    assert space.campus.institution.name.startswith("Sedu")
    assert ServiceHours.objects.filter(space=space, public=True).count() >= 3
    kinds = set(Booking.objects.filter(space=space).values_list("kind", flat=True))
    assert kinds == {"group", "partner", "staff"}
    assert Visit.objects.filter(space=space, kind="students").exists()
    # No two active bookings overlap.
    rows = list(Booking.objects.filter(space=space, status="active").order_by("starts_at"))
    assert all(a.ends_at <= b.starts_at for a, b in zip(rows, rows[1:], strict=False))
    from django.utils import timezone

    today = timezone.localdate()
    assert monthly(space, today.replace(day=1, year=today.year - 1), today)

    from opiskeluhuolto.projects.models import Project
    from opiskeluhuolto.projects.results import results

    project = Project.objects.get(funder="Opetushallitus")
    rows = results(project)
    assert len(rows) == 5
    assert any(r["start"] is not None and r["end"] is not None for r in rows)
