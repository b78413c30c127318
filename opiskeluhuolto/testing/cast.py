"""The test cast: one small provider with every role and relation, built through real actions.

Tests read like stories: `cast.kuraattori` may see what `cast.kuraattori_out`
may not. Later capabilities extend the cast (e.g. the expert group that
`kuraattori` belongs to) in their own fixtures, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib import hetu
from opiskeluhuolto.organisation import actions
from opiskeluhuolto.organisation.models import (
    Campus,
    Institution,
    Provider,
    Role,
    SchoolYear,
    Student,
    StudentGroup,
    WellbeingCounty,
)

PASSWORD = "testisalasana-123"  # noqa: S105

#: The members of the cast that sign in, in the order the permission matrix lists them.
MEMBERS = (
    "anonymous",
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
    "student",
    "adult",
    "guardian",
    "outsider",
)


@dataclass
class Cast:
    today: date
    provider: Provider
    other_provider: Provider
    lukio: Institution
    amis: Institution
    other_institution: Institution
    lukio_campus: Campus
    amis_campus: Campus
    school_year: SchoolYear
    group: StudentGroup
    aino: Student  # 16, lukio, group 24A, guardian Matti
    eero: Student  # 20, vocational, adult
    onni: Student  # 15, lukio, no account; guardian Liisa
    users: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str):
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def member(self, name: str) -> User | None:
        return None if name == "anonymous" else self.users[name]


def _user(username: str, first: str, last: str, title: str = "") -> User:
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first,
        last_name=last,
        title=title,
        email=f"{username}@test.invalid",
    )


def _birthday(today: date, years: int, days_before: int = 30) -> date:
    from datetime import timedelta

    return today.replace(year=today.year - years) - timedelta(days=days_before)


def build(today: date) -> Cast:
    county = WellbeingCounty.objects.create(name="Testilän hyvinvointialue")
    provider = Provider.objects.create(name="Testilän kaupunki", wellbeing_county=county)
    other_provider = Provider.objects.create(name="Naapurikunta")
    lukio = Institution.objects.create(
        provider=provider,
        name="Etu-Töölön lukio",
        slug="etu-toolo",
        level=Institution.Level.UPPER_SECONDARY,
        municipality="Helsinki",
    )
    amis = Institution.objects.create(
        provider=provider,
        name="Testilän ammattiopisto",
        slug="amis",
        level=Institution.Level.VOCATIONAL,
        municipality="Testilä",
    )
    other_inst = Institution.objects.create(
        provider=other_provider,
        name="Naapurin lukio",
        slug="naapuri",
        level=Institution.Level.UPPER_SECONDARY,
    )
    lukio_campus = Campus.objects.create(institution=lukio, name="Etu-Töölö")
    amis_campus = Campus.objects.create(institution=amis, name="Koulutie")
    y = today.year if today.month >= 8 else today.year - 1
    school_year = actions.create_school_year(
        lukio, name=f"{y}–{y + 1}", starts_on=date(y, 8, 1), ends_on=date(y + 1, 7, 31)
    )
    actions.add_calendar_period(
        school_year,
        kind="term",
        name="Syyslukukausi",
        starts_on=date(y, 8, 11),
        ends_on=date(y, 12, 21),
    )
    actions.add_calendar_period(
        school_year,
        kind="term",
        name="Kevätlukukausi",
        starts_on=date(y + 1, 1, 7),
        ends_on=date(y + 1, 6, 4),
    )
    users = {
        "admin": _user("paula", "Paula", "Pääkäyttäjä", "pääkäyttäjä"),
        "rehtori": _user("riitta", "Riitta", "Rehtori", "rehtori"),
        "kuraattori": _user("kaisa", "Kaisa", "Kuraattori", "kuraattori"),
        "kuraattori_out": _user("kalle", "Kalle", "Kuraattori", "kuraattori"),
        "psykologi": _user("pekka", "Pekka", "Psykologi", "psykologi"),
        "nurse": _user("tiina", "Tiina", "Terveydenhoitaja", "terveydenhoitaja"),
        "teacher": _user("teemu", "Teemu", "Opettaja", "opettaja"),
        "supervisor": _user("sanna", "Sanna", "Ohjaaja", "ryhmänohjaaja"),
        "external": _user("jari", "Jari", "Nuorisotyö", "nuorisotyöntekijä"),
        "outsider": _user("olli", "Olli", "Ulkopuolinen", "kuraattori"),
        "student": _user("aino", "Aino", "Opiskelija"),
        "adult": _user("eero", "Eero", "Aikuinen"),
        "guardian": _user("matti", "Matti", "Huoltaja"),
        "guardian_onni": _user("liisa", "Liisa", "Huoltaja"),
    }
    start = date(today.year - 1, 1, 1)
    roles = [
        ("admin", Role.PROVIDER_ADMIN, provider, None, None),
        ("rehtori", Role.PRINCIPAL, provider, lukio, None),
        ("kuraattori", Role.SOCIAL_WORKER, provider, lukio, None),
        ("kuraattori_out", Role.SOCIAL_WORKER, provider, amis, amis_campus),
        ("psykologi", Role.PSYCHOLOGIST, provider, lukio, None),
        ("nurse", Role.NURSE, provider, lukio, lukio_campus),
        ("teacher", Role.TEACHER, provider, lukio, None),
        ("supervisor", Role.GROUP_SUPERVISOR, provider, lukio, None),
        ("supervisor", Role.TEACHER, provider, lukio, None),
        ("external", Role.EXTERNAL_MEMBER, provider, None, None),
        ("outsider", Role.SOCIAL_WORKER, other_provider, other_inst, None),
    ]
    for key, role, prov, inst, campus in roles:
        actions.assign_role(
            users[key], role=role, provider=prov, institution=inst, campus=campus, valid_from=start
        )
    group = StudentGroup.objects.create(
        institution=lukio, campus=lukio_campus, name="24A", supervisor=users["supervisor"]
    )
    born16, born20, born15 = _birthday(today, 16), _birthday(today, 20), _birthday(today, 15)
    aino = actions.enrol_student(
        user=users["student"],
        institution=lukio,
        campus=lukio_campus,
        group=group,
        first_name="Aino",
        last_name="Opiskelija",
        date_of_birth=born16,
        hetu=hetu.make(born16, 902),
        home_municipality="Helsinki",
        email="aino@test.invalid",
    )
    eero = actions.enrol_student(
        user=users["adult"],
        institution=amis,
        campus=amis_campus,
        first_name="Eero",
        last_name="Aikuinen",
        date_of_birth=born20,
        hetu=hetu.make(born20, 903),
        home_municipality="Testilä",
    )
    onni = actions.enrol_student(
        institution=lukio,
        campus=lukio_campus,
        group=group,
        first_name="Onni",
        last_name="Oppilas",
        date_of_birth=born15,
        hetu=hetu.make(born15, 904),
    )
    actions.link_guardian(aino, users["guardian"])
    actions.link_guardian(onni, users["guardian_onni"])
    return Cast(
        today=today,
        provider=provider,
        other_provider=other_provider,
        lukio=lukio,
        amis=amis,
        other_institution=other_inst,
        lukio_campus=lukio_campus,
        amis_campus=amis_campus,
        school_year=school_year,
        group=group,
        aino=aino,
        eero=eero,
        onni=onni,
        users=users,
    )
