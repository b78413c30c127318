"""The one audience rule, asked both ways: who is in an audience, and what a person sees."""

from __future__ import annotations

import pytest

from opiskeluhuolto.access import audiences, for_user
from opiskeluhuolto.access.audiences import Audience
from opiskeluhuolto.testing.cast import MEMBERS

pytestmark = pytest.mark.django_db


def _people(cast):
    return [cast.users[m] for m in MEMBERS if m != "anonymous"] + [cast.users["guardian_onni"]]


def _audiences(cast):
    p = cast.provider.pk
    return [
        Audience("students", p),
        Audience("students", p, cast.lukio.pk, frozenset({cast.lukio_campus.pk})),
        Audience("students", p, cast.lukio.pk, group_id=cast.group.pk),
        Audience("students", p, cast.lukio.pk, starting_year=2024),
        Audience("students", p, cast.lukio.pk, starting_year=2023),
        Audience("guardians", p, cast.lukio.pk),
        Audience("guardians", p, cast.amis.pk),
        Audience("guardians", p, campus_ids=frozenset({cast.lukio_campus.pk})),
        Audience("staff", p),
        Audience("staff", p, cast.lukio.pk),
        Audience("staff", p, cast.amis.pk, frozenset({cast.amis_campus.pk})),
        Audience("staff", p, cast.lukio.pk, frozenset({cast.lukio_campus.pk})),
        Audience("everyone", p, cast.lukio.pk),
        Audience("everyone", cast.other_provider.pk),
    ]


def test_members_and_includes_agree_for_every_audience_and_person(cast):
    """The two directions are generated from one table: they agree person by person."""
    people = _people(cast)
    reach = {u.pk: audiences.reach_of(for_user(u)) for u in people}
    for aud in _audiences(cast):
        members = set(audiences.members(aud, cast.today).values_list("pk", flat=True))
        for u in people:
            assert (u.pk in members) == audiences.includes(aud, reach[u.pk]), (aud, u)


def test_the_audiences_reach_whom_they_should(cast):
    p = cast.provider.pk

    def names(aud):
        got = set(audiences.members(aud, cast.today))
        return {m for m, u in cast.users.items() if u in got}

    assert names(Audience("students", p, cast.lukio.pk)) == {"student"}
    assert names(Audience("students", p, starting_year=2024)) == {"student"}  # group 24A
    assert names(Audience("students", p, starting_year=2023)) == set()
    assert names(Audience("guardians", p, cast.lukio.pk)) == {"guardian", "guardian_onni"}
    assert names(Audience("guardians", p, cast.amis.pk)) == set()  # Eero is an adult
    staff = names(Audience("staff", p))
    assert "external" not in staff  # an external group member is not staff
    assert {"admin", "rehtori", "nurse", "kuraattori_out"} <= staff
    lukio_campus = names(Audience("staff", p, cast.lukio.pk, frozenset({cast.lukio_campus.pk})))
    assert "kuraattori_out" not in lukio_campus and "nurse" in lukio_campus
    amis = names(Audience("staff", p, cast.amis.pk, frozenset({cast.amis_campus.pk})))
    assert "kuraattori_out" in amis and "nurse" not in amis and "admin" in amis
    assert "outsider" not in names(Audience("everyone", p))


def test_a_welfare_group_audience_is_its_members(cast):
    from opiskeluhuolto.events.tests.conftest import make_group

    group = make_group(cast)
    aud = Audience("welfare_group", cast.provider.pk, welfare_group_id=group.pk)
    got = set(audiences.members(aud, cast.today))
    assert cast.users["teacher"] in got and cast.users["student"] not in got
    assert audiences.includes(aud, audiences.reach_of(for_user(cast.users["teacher"])))
    assert not audiences.includes(aud, audiences.reach_of(for_user(cast.users["student"])))


def test_starting_years_from_group_names():
    assert audiences.starting_years("24A") == {2024}
    assert audiences.starting_years("TVT23") == {2023}
    assert audiences.starting_years("Lukio") == frozenset()
    assert audiences.starting_years("") == frozenset()
