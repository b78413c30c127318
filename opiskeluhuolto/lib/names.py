"""A first name as the owner of something ("Ainon asiat", "Ainos ärenden", "Aino's matters").

Hand-written rather than with Voikko (libvoikko): that needs a native library and a
Finnish dictionary installed on every server, for what first names need is a handful of
rules: the genitive -n after a vowel with the weak grade of a doubled stop (Matti → Matin,
Jukka → Jukan), -ksen for names in -s after a vowel (Elias → Eliaksen), -in after another
consonant (Kristian → Kristianin); Swedish adds -s (nothing after s, x, z), English 's.
"""

from __future__ import annotations

_VOWELS = "aeiouyäöå"
_STOPS = "kpt"


def finnish_genitive(name: str) -> str:
    if not name:
        return name
    last = name[-1].lower()
    if last in _VOWELS:
        if len(name) >= 3 and name[-2].lower() in _STOPS and name[-3].lower() == name[-2].lower():
            return f"{name[:-2]}{name[-1]}n"
        return f"{name}n"
    if last == "s" and len(name) >= 2 and name[-2].lower() in _VOWELS:
        return f"{name[:-1]}ksen"
    return f"{name}in"


def possessive(name: str, language: str | None) -> str:
    """`name` as the owner in `language` (fi, sv or en; other languages as English)."""
    lang = (language or "fi")[:2]
    if lang == "fi":
        return finnish_genitive(name)
    if lang == "sv":
        return name if name[-1:].lower() in "sxz" else f"{name}s"
    return f"{name}'s"
