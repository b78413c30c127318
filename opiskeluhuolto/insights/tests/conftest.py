from __future__ import annotations

from datetime import date, timedelta

import pytest

from opiskeluhuolto.imports.tests.helpers import (
    AINO,
    EERO,
    MARKS_HEADER,
    ONNI,
    fi,
    give_learner_ids,
    import_text,
)

#: A Friday in the autumn term; the school year started 1.8.2026.
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Dashboard aggregates are cached; each test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def learners(cast):
    give_learner_ids(cast)
    return cast


def weekdays(first: date, n: int) -> list[date]:
    days: list[date] = []
    d = first
    while len(days) < n:
        if d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


@pytest.fixture
def attend(learners):
    """attend(learner id, days, code, lessons=6, institution=lukio): import those marks."""
    counter = {"n": 0}

    def do(opp: str, days: list[date], code: str, *, lessons: int = 6, institution=None):
        counter["n"] += 1
        rows = "".join(
            f"{opp};{fi(d)};{lesson};ENA01;{code}\n"
            for d in days
            for lesson in range(1, lessons + 1)
        )
        run = import_text(
            institution or learners.lukio,
            MARKS_HEADER + rows,
            kind="attendance",
            today=TODAY,
            name=f"m{counter['n']}.csv",
        )
        assert run.status == "succeeded", run.errors
        return run

    return do


__all__ = ["AINO", "EERO", "ONNI", "TODAY", "weekdays"]
