"""The demo's students, their groups and supervisors, and the guardians of the minors:
bulk inserts, so that 20,000 students stay quick."""

from __future__ import annotations

import random
from datetime import date, timedelta

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib import hetu as hetu_lib

from ..models import Campus, Guardianship, Institution, Role, RoleAssignment, Student, StudentGroup
from .cast import UNUSABLE, DemoContext, email_address, school_year_start

VOCATIONAL_FIELDS = ["LOG", "SOTE", "AUTO", "SÄHKÖ", "RAV", "KONE", "LIIKE", "MEDIA", "RAKE", "ICT"]


def _hetu_generator(rng: random.Random):
    used: set[str] = set()

    def make(born: date) -> str:
        while True:
            code = hetu_lib.make(born, rng.randint(900, 999))
            if code not in used:
                used.add(code)
                return code

    return make


def seed_students(ctx: DemoContext, demo_supervisor: User) -> None:
    """Groups of about 20, students with guardians; bulk inserts so 20,000 stays quick."""
    f, rng, today = ctx.faker, ctx.rng, ctx.today
    sedu = ctx.institutions["sedu"]
    lukio = ctx.institutions["lukio"]
    make_hetu = _hetu_generator(rng)
    total = max(ctx.students_total, 40)
    lukio_total = max(20, total // 8)
    sedu_total = total - lukio_total
    sedu_campuses = [c for k, c in ctx.campuses.items() if k != "etu"]
    entry_year = school_year_start(today) % 100

    # Group supervisors: one teacher per group (created in bulk, no sign-in password).
    def supervisors(n: int, prefix: str) -> list[User]:
        users = [
            User(
                username=f"{prefix}-{i:04d}",
                first_name=f.first_name(),
                last_name=f.last_name(),
                title="opettaja",
                password=UNUSABLE,
            )
            for i in range(n)
        ]
        return User.objects.bulk_create(users, batch_size=1000)

    groups: list[tuple[StudentGroup, Institution, Campus]] = []
    n_sedu_groups = max(2, sedu_total // 20)
    sedu_supervisors = supervisors(n_sedu_groups, "sedu-ro")
    sedu_supervisors[0] = demo_supervisor
    for i in range(n_sedu_groups):
        campus = sedu_campuses[i % len(sedu_campuses)] if i else ctx.campuses["seinajoki"]
        field_code = VOCATIONAL_FIELDS[i % len(VOCATIONAL_FIELDS)] if i else "LOG"
        year = entry_year - (i // len(VOCATIONAL_FIELDS)) % 3
        prefix = campus.name.split()[1][:3].upper() if i else "SEI"
        name = f"{prefix}-{field_code}{year:02d}{chr(65 + (i // 30) % 26)}"
        while StudentGroup.objects.filter(institution=sedu, name=name).exists():
            name += "X"
        groups.append(
            (
                StudentGroup.objects.create(
                    institution=sedu, campus=campus, name=name, supervisor=sedu_supervisors[i]
                ),
                sedu,
                campus,
            )
        )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=u,
                role=Role.GROUP_SUPERVISOR,
                provider=sedu.provider,
                institution=sedu,
                campus=g.campus,
                valid_from=date(today.year - 3, 8, 1),
            )
            for (g, _i, _c), u in zip(groups, sedu_supervisors, strict=True)
            if u.pk != demo_supervisor.pk
        ],
        batch_size=1000,
    )
    n_lukio_groups = max(1, lukio_total // 25)
    lukio_supervisors = supervisors(n_lukio_groups, "etu-ro")
    lukio_groups = []
    for i in range(n_lukio_groups):
        g = StudentGroup.objects.create(
            institution=lukio,
            campus=ctx.campuses["etu"],
            name=f"{entry_year - i % 3:02d}{chr(65 + i // 3)}",
            supervisor=lukio_supervisors[i],
        )
        lukio_groups.append((g, lukio, ctx.campuses["etu"]))
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user=u,
                role=Role.GROUP_SUPERVISOR,
                provider=lukio.provider,
                institution=lukio,
                valid_from=date(today.year - 3, 8, 1),
            )
            for u in lukio_supervisors
        ],
        batch_size=1000,
    )

    def birth_date(min_age: float, max_age: float) -> date:
        return today - timedelta(days=int(rng.uniform(min_age, max_age) * 365.25))

    students: list[Student] = []
    for n in range(total):
        in_lukio = n >= sedu_total
        group, inst, campus = (lukio_groups if in_lukio else groups)[
            (n - sedu_total if in_lukio else n)
            // (25 if in_lukio else 20)
            % len(lukio_groups if in_lukio else groups)
        ]
        if in_lukio:
            born = birth_date(15.8, 19.2)
        else:
            born = birth_date(15.8, 19.5) if rng.random() < 0.8 else birth_date(19.5, 35)
        female = rng.random() < 0.5
        first = f.first_name_female() if female else f.first_name_male()
        last = f.last_name()
        students.append(
            Student(
                institution=inst,
                campus=campus,
                group=group,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                hetu=make_hetu(born),
                oppijanumero=f"1.2.246.562.24.{rng.randint(10**10, 10**11 - 1)}",
                home_municipality=campus.address.split()[-1]
                if campus.address
                else inst.municipality,
                phone=ctx.phone(),
            )
        )
    # The named demo students come first: a 16-year-old in the demo supervisor's group, an adult.
    sixteen = today.replace(year=today.year - 16) - timedelta(days=100)
    students[0].first_name, students[0].last_name = "Aino", "Aaltonen"
    students[0].date_of_birth, students[0].hetu = sixteen, make_hetu(sixteen)
    adult = today.replace(year=today.year - 22) - timedelta(days=40)
    students[1].first_name, students[1].last_name = "Eero", "Ekholm"
    students[1].date_of_birth, students[1].hetu = adult, make_hetu(adult)
    students[1].group, students[1].campus = groups[0][0], groups[0][2]
    lukio_first = sedu_total
    students[lukio_first].first_name, students[lukio_first].last_name = "Lotta", "Laine"
    seventeen = today.replace(year=today.year - 17) - timedelta(days=10)
    students[lukio_first].date_of_birth, students[lukio_first].hetu = (
        seventeen,
        make_hetu(seventeen),
    )

    # Each student's e-mail address from their name (after the named students got theirs).
    for n, s in enumerate(students):
        s.email = email_address(s.first_name, s.last_name, "opiskelija.demo.invalid", n)
    students = Student.objects.bulk_create(students, batch_size=2000)
    ctx.students.update(aino=students[0], eero=students[1], lotta=students[lukio_first])

    # Student accounts for the named students.
    for key, username, role_text, try_text in (
        (
            "aino",
            "opiskelija",
            "student, 16, Sedu Seinäjoki",
            "book a time, my matters, who has read my data",
        ),
        (
            "eero",
            "aikuisopiskelija",
            "adult student, 22, Sedu Seinäjoki",
            "no guardian rights apply",
        ),
        ("lotta", "etu-opiskelija", "student, 17, Etu-Töölön lukio", "book a time at the lukio"),
    ):
        s = ctx.students[key]
        u = ctx.sign_in(
            key,
            username,
            s.first_name,
            s.last_name,
            role_text=role_text,
            try_text=try_text,
            email=s.email,
        )
        s.user = u
        s.save(update_fields=["user"])

    # Guardians for every minor: one or two, accounts without a password (they sign in by invitation).
    guardians: list[User] = []
    links: list[tuple[int, int]] = []
    for idx, s in enumerate(students):
        if not s.is_minor(today) or idx == 0:
            continue
        for _g in range(1 if rng.random() < 0.4 else 2):
            guardians.append(
                User(
                    username=f"huoltaja-{s.pk}-{_g}",
                    first_name=f.first_name(),
                    last_name=s.last_name,
                    password=UNUSABLE,
                    phone=ctx.phone(),
                )
            )
            links.append((len(guardians) - 1, s.pk))
    guardians = User.objects.bulk_create(guardians, batch_size=2000)
    Guardianship.objects.bulk_create(
        [Guardianship(guardian_id=guardians[gi].pk, student_id=sid) for gi, sid in links],
        batch_size=5000,
    )
    # The demo guardian of Aino, with a sign-in.
    huoltaja = ctx.sign_in(
        "huoltaja",
        "huoltaja",
        "Matti",
        "Aaltonen",
        role_text="guardian of Aino (16)",
        try_text="my child's bookings and matters",
    )
    Guardianship.objects.create(guardian=huoltaja, student=ctx.students["aino"])
