"""The demo's shared Finnish cast: who signs in (and as what), the context every app's
seeder receives, and how the people's contact details are written.

Every app's `demo` package builds on this; names come from Faker's `fi_FI`. Contact
details are coherent: a person's e-mail address is made of their name
(`aino.aaltonen@…`), phone numbers are mobile numbers in one format, `+358 40 123 4567`.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.hashers import make_password
from faker import Faker

from opiskeluhuolto.accounts.models import User

from ..models import Campus, Institution, Provider, Student

MOBILE_PREFIXES = ("40", "41", "44", "45", "50")


def phone_number(faker: Faker) -> str:
    """`+358 40 123 4567`: a mobile prefix and seven digits."""
    prefix = faker.random_element(MOBILE_PREFIXES)
    return f"+358 {prefix} {faker.numerify('### ####')}"


def email_address(first: str, last: str, domain: str = "demo.invalid", n: int | None = None) -> str:
    """`first.last@domain` (with `.n` before the @ when given), without accents or spaces:
    `Jääskeläinen` becomes `jaaskelainen`."""

    def plain(name: str) -> str:
        folded = unicodedata.normalize("NFKD", name.lower()).encode("ascii", "ignore").decode()
        return "".join(c if c.isalnum() else "-" for c in folded).strip("-")

    number = f".{n}" if n is not None else ""
    return f"{plain(first)}.{plain(last)}{number}@{domain}"


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
    (
        "yhteisokoordinaattori",
        "yhteisökoordinaattori (community coordinator), Sedu Seinäjoki: events, spaces",
    ),
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

    def phone(self) -> str:
        """A Finnish mobile number, always written `+358 40 123 4567`."""
        return phone_number(self.faker)

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
            email=email or email_address(first, last),
            password=self.password_hash,
            phone=self.phone(),
        )
        self.users[key] = user
        self.sign_ins.append((username, role_text, try_text))
        return user


def school_year_start(today: date) -> int:
    return today.year if today.month >= 8 else today.year - 1


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
