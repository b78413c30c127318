"""Demo data for the organisation: two providers modelled on the seeds, people in every role.

Sedu-like multi-campus vocational provider (seed 003) and Etu-Töölön lukio
(seed 000). Names from Faker fi_FI; identity codes are synthetic, from the
temporary range 900–999, so none can belong to a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from faker import Faker

from opiskeluhuolto.accounts.models import User
from opiskeluhuolto.lib import hetu as hetu_lib

from ..admin_site import grant_admin_site
from ..models import (
    CalendarPeriod,
    Campus,
    Guardianship,
    Institution,
    Provider,
    Role,
    RoleAssignment,
    SchoolYear,
    Student,
    StudentGroup,
    WellbeingCounty,
)

DEMO_PASSWORD = "opiskeluhuolto"  # noqa: S105  (demo only; printed at start)
#: The sign-ins printed when the demo starts: one per role, and the people the stories need.
DEMO_SIGN_INS = [
    ("admin", "provider admin, Sedu: school calendars, people and roles, imports"),
    ("rehtori", "koulutuspäällikkö (principal), Sedu Seinäjoki: welfare group, clock, dashboards"),
    ("kuraattori", "kuraattori, Sedu Seinäjoki: requests, bookings, cases, records"),
    ("kuraattori2", "kuraattori, Sedu Lapua: not in Aino's expert group, sees none of it"),
    ("psykologi", "psykologi, Sedu"),
    ("terveydenhoitaja", "terveydenhoitaja (nurse), Sedu Seinäjoki: walk-in hours"),
    ("opo", "opinto-ohjaaja (study counsellor), Sedu Seinäjoki"),
    ("erityisopettaja", "erityisopettaja (special-needs teacher), Sedu Seinäjoki"),
    ("ryhmanohjaaja", "vastuuohjaaja (group supervisor) of Aino's group: care conversations"),
    ("opettaja", "opettaja (teacher), Sedu Seinäjoki: refer a student to welfare staff"),
    ("ulkojasen", "etsivä nuorisotyö, external member of welfare groups"),
    ("opiskelija", "Aino, 16, student at Sedu Seinäjoki: book a time, my matters"),
    ("aikuisopiskelija", "Eero, 22, adult student at Sedu"),
    ("huoltaja", "Matti, guardian of Aino"),
    ("huoltaja2", "guardian of a minor who has forbidden it: sees nothing of that matter (§18)"),
    ("etu-rehtori", "rehtori, Etu-Töölön lukio (another provider)"),
    ("etu-admin", "provider admin, Helsinki (Etu-Töölön lukio)"),
    ("etu-kuraattori", "kuraattori, Etu-Töölön lukio"),
    ("etu-opiskelija", "Lotta, 17, student at Etu-Töölön lukio"),
]
UNUSABLE = "!"  # noqa: S105  (an unusable password hash: no sign-in until invited)


@dataclass
class DemoContext:
    """What the seeders share: the main objects and the sign-ins to print."""

    today: date
    students_total: int
    rng: random.Random
    faker: Faker
    password_hash: str
    providers: dict[str, Provider] = field(default_factory=dict)
    institutions: dict[str, Institution] = field(default_factory=dict)
    campuses: dict[str, Campus] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    students: dict[str, Student] = field(default_factory=dict)
    sign_ins: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # (username, role text, what to try)

    def sign_in(
        self,
        key: str,
        username: str,
        first: str,
        last: str,
        *,
        role_text: str,
        title: str = "",
        try_text: str = "",
        email: str = "",
    ) -> User:
        user = User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            title=title,
            email=email or f"{username}@demo.invalid",
            password=self.password_hash,
            phone=self.faker.phone_number(),
        )
        self.users[key] = user
        self.sign_ins.append((username, role_text, try_text))
        return user


def school_year_start(today: date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def seed_calendar(inst: Institution, first_year: int, *, lukio: bool) -> None:
    """Two school years (last and current), with terms and the usual breaks."""
    for y in (first_year - 1, first_year):
        year = SchoolYear.objects.create(
            institution=inst,
            name=f"{y}–{y + 1}",
            starts_on=date(y, 8, 1),
            ends_on=date(y + 1, 7, 31),
        )
        autumn_start = date(y, 8, 11 if lukio else 10)
        periods = [
            (
                CalendarPeriod.Kind.TERM,
                "Syyslukukausi",
                autumn_start,
                date(y, 12, 21 if lukio else 19),
            ),
            (
                CalendarPeriod.Kind.TERM,
                "Kevätlukukausi",
                date(y + 1, 1, 7),
                date(y + 1, 6, 4 if lukio else 1),
            ),
        ]
        # Autumn break in ISO week 42, winter break week 8 (Helsinki) or 9 (Etelä-Pohjanmaa).
        wk42 = date.fromisocalendar(y, 42, 1)
        winter = date.fromisocalendar(y + 1, 8 if lukio else 9, 1)
        periods += [
            (CalendarPeriod.Kind.BREAK, "Syysloma", wk42, wk42 + timedelta(days=4)),
            (CalendarPeriod.Kind.BREAK, "Talviloma", winter, winter + timedelta(days=4)),
        ]
        if not lukio:
            # A staff training day in the autumn term.
            periods.append(
                (
                    CalendarPeriod.Kind.DAY_OFF,
                    "Henkilöstön koulutuspäivä",
                    date.fromisocalendar(y, 45, 5),
                    date.fromisocalendar(y, 45, 5),
                )
            )
        for kind, name, start, end in periods:
            CalendarPeriod.objects.create(
                school_year=year, kind=kind, name=name, starts_on=start, ends_on=end
            )


def seed(ctx: DemoContext) -> None:
    f = ctx.faker
    ep = WellbeingCounty.objects.create(name="Etelä-Pohjanmaan hyvinvointialue")
    hki = WellbeingCounty.objects.create(name="Helsingin kaupunki (sosiaali- ja terveystoimi)")
    sedu = Provider.objects.create(
        name="Koulutuskeskus Sedu", business_id="0204819-8", wellbeing_county=ep
    )
    helsinki = Provider.objects.create(
        name="Helsingin kaupunki, kasvatuksen ja koulutuksen toimiala",
        business_id="0201256-6",
        wellbeing_county=hki,
    )
    ctx.providers.update(sedu=sedu, helsinki=helsinki)
    sedu_inst = Institution.objects.create(
        provider=sedu,
        name="Sedu",
        slug="sedu",
        level=Institution.Level.VOCATIONAL,
        municipality="Seinäjoki",
    )
    lukio = Institution.objects.create(
        provider=helsinki,
        name="Etu-Töölön lukio",
        slug="etu-toolon-lukio",
        level=Institution.Level.UPPER_SECONDARY,
        municipality="Helsinki",
    )
    ctx.institutions.update(sedu=sedu_inst, lukio=lukio)
    campus_names = [
        ("seinajoki", "Sedu Seinäjoki, Koulutie", "Koulutie 2, 60100 Seinäjoki"),
        ("tornava", "Sedu Seinäjoki, Törnäväntie", "Törnäväntie 24, 60200 Seinäjoki"),
        ("lapua", "Sedu Lapua", "Kiviristintie 1, 62100 Lapua"),
        ("ilmajoki", "Sedu Ilmajoki", "Ilmajoentie 525, 60800 Ilmajoki"),
        ("kurikka", "Sedu Kurikka", "Kurikantie 4, 61300 Kurikka"),
    ]
    for key, name, address in campus_names:
        ctx.campuses[key] = Campus.objects.create(institution=sedu_inst, name=name, address=address)
    ctx.campuses["etu"] = Campus.objects.create(
        institution=lukio, name="Etu-Töölön lukio", address="Cygnaeuksenkatu 2, 00100 Helsinki"
    )
    first_year = school_year_start(ctx.today)
    seed_calendar(sedu_inst, first_year, lukio=False)
    seed_calendar(lukio, first_year, lukio=True)

    start = date(ctx.today.year - 3, 8, 1)

    def assign(user, role, provider, institution=None, campus=None):
        RoleAssignment.objects.create(
            user=user,
            role=role,
            provider=provider,
            institution=institution,
            campus=campus,
            valid_from=start,
        )

    # --- the named demo sign-ins -------------------------------------------------
    admin = ctx.sign_in(
        "admin",
        "admin",
        "Paula",
        "Pääkäyttäjä",
        role_text="provider admin (Sedu)",
        title="pääkäyttäjä",
        try_text="school calendars, administration",
    )
    assign(admin, Role.PROVIDER_ADMIN, sedu)
    grant_admin_site(admin)
    sedu.register_responsible = admin
    sedu.save(update_fields=["register_responsible"])

    rehtori = ctx.sign_in(
        "rehtori",
        "rehtori",
        "Riitta",
        "Rinne",
        role_text="koulutuspäällikkö, Sedu Seinäjoki",
        title="koulutuspäällikkö",
        try_text="welfare group, dashboards",
    )
    assign(rehtori, Role.PRINCIPAL, sedu, sedu_inst, ctx.campuses["seinajoki"])
    kuraattori = ctx.sign_in(
        "kuraattori",
        "kuraattori",
        "Kaisa",
        "Kuusela",
        role_text="kuraattori, Sedu Seinäjoki",
        title="kuraattori",
        try_text="requests, cases, records",
    )
    assign(kuraattori, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    kuraattori2 = ctx.sign_in(
        "kuraattori2",
        "kuraattori2",
        "Kalle",
        "Koskinen",
        role_text="kuraattori, Sedu Lapua",
        title="kuraattori",
        try_text="not in the demo student's group: sees no record",
    )
    assign(kuraattori2, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses["lapua"])
    psykologi = ctx.sign_in(
        "psykologi",
        "psykologi",
        "Pekka",
        "Peltola",
        role_text="psykologi, Sedu",
        title="psykologi",
        try_text="requests and bookings",
    )
    assign(psykologi, Role.PSYCHOLOGIST, sedu, sedu_inst)
    nurse = ctx.sign_in(
        "terveydenhoitaja",
        "terveydenhoitaja",
        "Tiina",
        "Tuominen",
        role_text="terveydenhoitaja, Sedu Seinäjoki",
        title="terveydenhoitaja",
        try_text="walk-in hours, bookings",
    )
    assign(nurse, Role.NURSE, sedu, sedu_inst, ctx.campuses["seinajoki"])
    opo = ctx.sign_in(
        "opo",
        "opo",
        "Olli",
        "Ojala",
        role_text="opinto-ohjaaja, Sedu Seinäjoki",
        title="opinto-ohjaaja",
        try_text="referral",
    )
    assign(opo, Role.STUDY_COUNSELLOR, sedu, sedu_inst, ctx.campuses["seinajoki"])
    eo = ctx.sign_in(
        "erityisopettaja",
        "erityisopettaja",
        "Eila",
        "Eskola",
        role_text="erityisopettaja, Sedu Seinäjoki",
        title="erityisopettaja",
        try_text="referral",
    )
    assign(eo, Role.SPECIAL_NEEDS_TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    ro = ctx.sign_in(
        "ryhmanohjaaja",
        "ryhmanohjaaja",
        "Sanna",
        "Salo",
        role_text="vastuuohjaaja of group SEI-LOG25A",
        title="opettaja, vastuuohjaaja",
        try_text="my group, care conversations",
    )
    assign(ro, Role.GROUP_SUPERVISOR, sedu, sedu_inst, ctx.campuses["seinajoki"])
    assign(ro, Role.TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    teacher = ctx.sign_in(
        "opettaja",
        "opettaja",
        "Teemu",
        "Toivonen",
        role_text="opettaja, Sedu Seinäjoki",
        title="opettaja",
        try_text="refer a student to welfare staff",
    )
    assign(teacher, Role.TEACHER, sedu, sedu_inst, ctx.campuses["seinajoki"])
    external = ctx.sign_in(
        "ulkojasen",
        "ulkojasen",
        "Jari",
        "Jokela",
        role_text="etsivä nuorisotyö (external member)",
        title="etsivä nuorisotyöntekijä",
        try_text="welfare group membership",
    )
    assign(external, Role.EXTERNAL_MEMBER, sedu, sedu_inst)

    lukio_rehtori = ctx.sign_in(
        "etu-rehtori",
        "etu-rehtori",
        "Helena",
        "Heikkilä",
        role_text="rehtori, Etu-Töölön lukio",
        title="rehtori",
        try_text="another provider: sees nothing of Sedu",
    )
    assign(lukio_rehtori, Role.PRINCIPAL, helsinki, lukio)
    lukio_admin = ctx.sign_in(
        "etu-admin",
        "etu-admin",
        "Antti",
        "Aalto",
        role_text="provider admin (Helsinki)",
        title="pääkäyttäjä",
        try_text="Etu-Töölö calendar",
    )
    assign(lukio_admin, Role.PROVIDER_ADMIN, helsinki)
    grant_admin_site(lukio_admin)
    helsinki.register_responsible = lukio_rehtori
    helsinki.save(update_fields=["register_responsible"])
    lukio_kuraattori = ctx.sign_in(
        "etu-kuraattori",
        "etu-kuraattori",
        "Minna",
        "Mäkelä",
        role_text="kuraattori, Etu-Töölön lukio",
        title="kuraattori",
        try_text="lukio requests",
    )
    assign(lukio_kuraattori, Role.SOCIAL_WORKER, helsinki, lukio)
    lukio_nurse = User.objects.create(
        username="etu-terveydenhoitaja",
        first_name="Sari",
        last_name="Savolainen",
        title="terveydenhoitaja",
        password=ctx.password_hash,
        phone=f.phone_number(),
        email="etu-terveydenhoitaja@demo.invalid",
    )
    assign(lukio_nurse, Role.NURSE, helsinki, lukio)
    lukio_psych = User.objects.create(
        username="etu-psykologi",
        first_name="Jussi",
        last_name="Jääskeläinen",
        title="psykologi",
        password=ctx.password_hash,
        phone=f.phone_number(),
        email="etu-psykologi@demo.invalid",
    )
    assign(lukio_psych, Role.PSYCHOLOGIST, helsinki, lukio)

    doctor = User.objects.create(
        username="laakari",
        first_name="Leena",
        last_name="Lahtinen",
        title="koululääkäri",
        password=ctx.password_hash,
        email="laakari@demo.invalid",
    )
    assign(doctor, Role.DOCTOR, sedu, sedu_inst)

    # Welfare staff of the other Sedu campuses.
    for key in ("tornava", "lapua", "ilmajoki", "kurikka"):
        if key == "lapua":
            continue  # kuraattori2 works there
        u = User.objects.create(
            username=f"kuraattori-{key}",
            first_name=f.first_name_female(),
            last_name=f.last_name(),
            title="kuraattori",
            password=ctx.password_hash,
            phone=f.phone_number(),
            email=f"kuraattori-{key}@demo.invalid",
        )
        assign(u, Role.SOCIAL_WORKER, sedu, sedu_inst, ctx.campuses[key])
    for key in ("tornava", "lapua", "ilmajoki", "kurikka"):
        u = User.objects.create(
            username=f"terveydenhoitaja-{key}",
            first_name=f.first_name_female(),
            last_name=f.last_name(),
            title="terveydenhoitaja",
            password=ctx.password_hash,
            phone=f.phone_number(),
            email=f"terveydenhoitaja-{key}@demo.invalid",
        )
        assign(u, Role.NURSE, sedu, sedu_inst, ctx.campuses[key])
        p = User.objects.create(
            username=f"koulutuspaallikko-{key}",
            first_name=f.first_name(),
            last_name=f.last_name(),
            title="koulutuspäällikkö",
            password=ctx.password_hash,
            email=f"koulutuspaallikko-{key}@demo.invalid",
        )
        assign(p, Role.PRINCIPAL, sedu, sedu_inst, ctx.campuses[key])

    seed_students(ctx, ro)


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
                email=f"{first.lower()}.{last.lower()}.{n}@opiskelija.demo.invalid".replace(
                    "ä", "a"
                )
                .replace("ö", "o")
                .replace("å", "a"),
                phone=f.phone_number(),
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
                    phone=f.phone_number(),
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


def make_context(*, today: date, students: int, seed_value: int = 2026) -> DemoContext:
    faker = Faker("fi_FI")
    faker.seed_instance(seed_value)
    return DemoContext(
        today=today,
        students_total=students,
        rng=random.Random(seed_value),
        faker=faker,
        password_hash=make_password(DEMO_PASSWORD),
    )
