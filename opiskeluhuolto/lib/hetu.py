"""Finnish personal identity code (henkilötunnus, hetu): parsing and validation.

Format DDMMYYCZZZQ: birth date, century sign, individual number and a check
character. Since 2023 the century signs Y X W V U (1900s) and B C D E F
(2000s) are valid beside - and A. Individual numbers 900-999 are used for
temporary codes; the demo's synthetic codes come from that range so they can
never belong to a real person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

CHECK_CHARS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
CENTURY = {
    "+": 1800,
    "-": 1900,
    "Y": 1900,
    "X": 1900,
    "W": 1900,
    "V": 1900,
    "U": 1900,
    "A": 2000,
    "B": 2000,
    "C": 2000,
    "D": 2000,
    "E": 2000,
    "F": 2000,
}
PATTERN = re.compile(r"^(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])$")


class HetuError(ValueError):
    """The code is not a valid identity code. `code` names what is wrong."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Hetu:
    value: str
    birth_date: date
    individual_number: int

    @property
    def is_temporary(self) -> bool:
        return self.individual_number >= 900


def check_char(birth: str, individual: str) -> str:
    return CHECK_CHARS[int(birth + individual) % 31]


def parse(value: str) -> Hetu:
    """Return the parsed code or raise HetuError("format" | "date" | "individual" | "checksum")."""
    value = (value or "").strip().upper()
    m = PATTERN.match(value)
    if not m:
        raise HetuError("format")
    dd, mm, yy, sign, zzz, q = m.groups()
    try:
        born = date(CENTURY[sign] + int(yy), int(mm), int(dd))
    except ValueError:
        raise HetuError("date") from None
    if int(zzz) < 2:
        raise HetuError("individual")
    if check_char(dd + mm + yy, zzz) != q:
        raise HetuError("checksum")
    return Hetu(value=value, birth_date=born, individual_number=int(zzz))


def make(birth_date: date, individual_number: int) -> str:
    """Build a valid code (used for synthetic demo data)."""
    if not 2 <= individual_number <= 999:
        raise ValueError("individual number must be 002-999")
    sign = {1800: "+", 1900: "-", 2000: "A"}[birth_date.year // 100 * 100]
    birth = birth_date.strftime("%d%m%y")
    zzz = f"{individual_number:03d}"
    return f"{birth}{sign}{zzz}{check_char(birth, zzz)}"
