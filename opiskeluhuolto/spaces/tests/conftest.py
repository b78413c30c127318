from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone


def make_space(cast, name="Olkkari"):
    from opiskeluhuolto.spaces.models import Space

    return Space.objects.create(campus=cast.lukio_campus, name=name, capacity=30)


def at(day, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def next_monday():
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def space(cast):
    return make_space(cast)
