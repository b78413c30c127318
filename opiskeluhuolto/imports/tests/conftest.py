from __future__ import annotations

from datetime import date

import pytest

from .helpers import MARKS_HEADER, give_learner_ids, import_text

TODAY = date(2026, 11, 20)


@pytest.fixture
def learners(cast):
    """The cast students with learner ids, as a roster import gives them."""
    give_learner_ids(cast)
    return cast


@pytest.fixture
def do_import(learners):
    def run(text, *, kind="attendance", institution=None, today=TODAY, name="f.csv"):
        return import_text(institution or learners.lukio, text, kind=kind, today=today, name=name)

    return run


def marks(*rows: str) -> str:
    return MARKS_HEADER + "".join(r + "\n" for r in rows)
