"""LAW.md L-14-2: communal minutes must not identify a student.

`find_identifiers(text, institution_ids)` returns warnings for valid personal
identity codes and for full names of enrolled students of those institutions.
The warnings never repeat the identity code itself, so they may be shown on
screen without copying the code around.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opiskeluhuolto.lib import hetu as hetu_lib
from opiskeluhuolto.organisation.models import Student

HETU_CANDIDATE = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_][\w'-]*", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    kind: str  # "hetu" | "name"
    text: str  # the student's name for "name"; a masked code for "hetu"


def find_hetus(text: str) -> list[Finding]:
    found = []
    for match in HETU_CANDIDATE.finditer(text or ""):
        try:
            hetu_lib.parse(match.group(0))
        except hetu_lib.HetuError:
            continue
        found.append(Finding("hetu", match.group(0)[:6] + "…"))
    return found


def find_student_names(text: str, institution_ids: list[int]) -> list[Finding]:
    """Full names ("Aino Aaltonen" or "Aaltonen Aino") of active students of the institutions.

    Only capitalised words are candidates, and the database is asked for those
    words only, so the check stays fast with tens of thousands of students.
    """
    words = {w for w in WORD.findall(text or "") if w[:1].isupper()}
    if not words or not institution_ids:
        return []
    lowered = " ".join((text or "").split()).casefold()
    candidates = (
        Student.objects.active()
        .filter(institution_id__in=institution_ids, first_name__in=words, last_name__in=words)
        .values_list("first_name", "last_name")
        .distinct()
    )
    found = []
    for first, last in candidates:
        for name in (f"{first} {last}", f"{last} {first}"):
            if re.search(rf"\b{re.escape(name.casefold())}\b", lowered):
                found.append(Finding("name", f"{first} {last}"))
                break
    return found


def find_identifiers(text: str, institution_ids: list[int]) -> list[Finding]:
    return find_hetus(text) + find_student_names(text, institution_ids)
