"""The starting year (aloitusvuosi): an audience narrowed to it, and results broken down
by it with the small-cell rule protected against differencing between breakdowns."""

from __future__ import annotations

from datetime import date

import pytest

from opiskeluhuolto.surveys import actions, results
from opiskeluhuolto.surveys.suppression import hidden_cells

from .conftest import full_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def year23(sv, cast):
    """Six more lukio students in group 23C (started in 2023)."""
    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.organisation import actions as org
    from opiskeluhuolto.organisation.models import StudentGroup

    group = StudentGroup.objects.create(
        institution=cast.lukio, campus=cast.lukio_campus, name="23C"
    )
    users = []
    for i in range(6):
        user = User.objects.create_user(username=f"v23_{i}", password="x")
        org.enrol_student(
            user=user, institution=cast.lukio, campus=cast.lukio_campus, group=group,
            first_name=f"Vuosi{i}", last_name="Testi", date_of_birth=date(2007, 2, 1 + i),
        )  # fmt: skip
        users.append(user)
    return users


def _survey(sv, cast, **fields):
    survey = actions.create_from_template(
        "bullying", sv.group, by=sv.kuraattori, institution=cast.lukio, **fields
    )
    return actions.set_window(survey, opens_on=sv.window[0], closes_on=sv.window[1])


def test_a_starting_year_audience_invites_only_that_year(sv, cast, year23):
    survey = _survey(sv, cast, starting_year=2023)
    assert set(actions.audience_users(survey, today=sv.today)) == set(year23)
    whole = _survey(sv, cast)
    assert set(year23) | set(sv.users) <= set(actions.audience_users(whole, today=sv.today))


def test_a_starting_year_is_refused_for_staff_and_out_of_range(sv, cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _survey(sv, cast, audience="staff", starting_year=2024)
    with pytest.raises(ValidationError):
        _survey(sv, cast, starting_year=24)


def test_results_by_starting_year(sv, cast, year23):
    from opiskeluhuolto.organisation.models import Student

    # 24A (with Aino and Onni), 24B and 23C each have at least five invitees: a
    # response may carry its group (test_anonymity.py), and so its starting year.
    Student.objects.filter(pk__in=[sv.students[5].pk, sv.students[6].pk]).update(
        group=sv.other_group
    )
    survey = actions.open_survey(_survey(sv, cast), by=sv.kuraattori, today=sv.today)
    for i, user in enumerate(sv.users[:8] + year23):  # 24A: 5, 24B: 3 of its 5, 23C: 6
        actions.submit(survey, user, full_answers(survey, i), today=sv.today)
    survey = actions.release(survey, by=sv.kuraattori, today=survey.results_on)
    # 24B's 3 are fewer than five in all: the closing stored them without a unit
    # (actions.mixing; the campus alone had only them too). So 2024 holds 24A's 5, and
    # the unknown year's 3 are hidden, and 2024 with them (the total would give them back).
    row = results.compute(survey, by="year")[0]
    assert [(c.label, c.n) for c in row.cells] == [("2023", 6), ("2024", None), ("", None)]
    # The groups are protected within each year too, and against the hidden cells.
    by_group = {c.label: c.n for c in results.compute(survey, by="group")[0].cells}
    assert by_group == {"23C": None, "24A": None, "": None}


def _year(group):
    return {1: 2023, 2: 2024, 3: 2024, 4: 2025, 5: 2025}.get(group)


def test_a_hidden_year_is_not_given_away_by_a_campus_of_that_year_only():
    """Campus B's students all started in 2023 and campus B holds all of 2023: were B
    shown, the hidden year 2023 would be B's cell."""
    atoms = {("B", 1): 6, ("A", 2): 3, ("A", 4): 40}
    hidden = hidden_cells(atoms, _year)
    assert {(2023,), (2024,)} <= hidden["year"]  # 2024 is small, 2023 hidden with it
    assert ("B",) in hidden["campus"]  # B would be 2023
    # and nothing hidden is the difference of the shown: here all is withheld
    assert ("A",) in hidden["campus"] and (2025,) in hidden["year"]


def test_groups_are_protected_within_every_shown_year():
    """Campus A is shown (total published) and so is 2024; 24 in group 3 is small, so
    another group of 2024 must be hidden with it, or 2024 − group 2 gives group 3."""
    atoms = {("A", 2): 20, ("A", 3): 3, ("A", 4): 30, ("A", 5): 10, ("C", 2): 9}
    hidden = hidden_cells(atoms, _year)
    groups = hidden["group"]
    assert ("A", 3) in groups
    for block in ({a for a in atoms if a[0] == "A"}, {a for a in atoms if _year(a[1]) == 2024}):
        inside = groups & block
        assert not inside or (len(inside) >= 2 and sum(atoms[a] for a in inside) >= 5)
