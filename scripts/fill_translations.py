"""Fill Finnish and Swedish msgstrs from a dict {msgid: (fi, sv)} in a Python file.

Usage: python scripts/fill_translations.py TRANSLATIONS.py opiskeluhuolto/<app> [...]
Only empty (or fuzzy) entries are filled; existing translations are kept.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def fill(table: dict[str, tuple[str, str]], root: Path) -> list[str]:
    missing = []
    for index, lang in ((0, "fi"), (1, "sv")):
        path = root / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(path))
        for entry in po:
            if not entry.msgid or (entry.translated() and "fuzzy" not in entry.flags):
                continue
            if entry.msgid in table:
                entry.msgstr = table[entry.msgid][index]
                if "fuzzy" in entry.flags:
                    entry.flags.remove("fuzzy")
            else:
                missing.append(f"{lang}: {entry.msgid}")
        po.metadata["Language"] = lang
        po.save()
    return missing


if __name__ == "__main__":
    table = runpy.run_path(sys.argv[1])["T"]
    for arg in sys.argv[2:]:
        for line in fill(table, (ROOT / arg).resolve()):
            print("untranslated", arg, line)
