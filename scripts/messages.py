"""Translation catalogues: one per app (`opiskeluhuolto/<app>/locale/`) plus `locale/` for the
shared templates. `python scripts/messages.py` extracts and compiles them all;
tests/test_i18n.py uses the same functions to check that they are complete.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv", "en")
ROOT_IGNORES = [
    "opiskeluhuolto/*",
    ".venv/*",
    "tests/*",
    "static/*",
    "var/*",
    "bench/*",
    "scripts/*",
    "test-artifacts/*",
]


def catalog_roots() -> list[Path]:
    """Directories that own a catalogue: the project root and each app with translatable text."""
    roots = [ROOT]
    for app in sorted((ROOT / "opiskeluhuolto").iterdir()):
        if (app / "apps.py").exists():
            roots.append(app)
    return roots


def _makemessages(cwd: Path, ignores: list[str]) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "opiskeluhuolto.settings",
        "PYTHONPATH": str(ROOT),
    }
    args = [sys.executable, "-m", "django", "makemessages", "--no-obsolete", "--no-location"]
    for lang in LANGUAGES:
        args += ["-l", lang]
    for pattern in ignores:
        args += ["-i", pattern]
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)  # noqa: S603


def extract(root: Path) -> None:
    (root / "locale").mkdir(exist_ok=True)
    _makemessages(root, ROOT_IGNORES if root == ROOT else ["tests/*", "migrations/*"])


def compile_all(roots: list[Path] | None = None) -> None:
    import polib

    for root in roots or catalog_roots():
        for lang in LANGUAGES:
            po_path = root / "locale" / lang / "LC_MESSAGES" / "django.po"
            if po_path.exists():
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


def fresh_msgids(root: Path) -> set[str]:
    """The message ids the code and templates under `root` use now (extracted into a temp copy)."""
    import polib

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "src"
        if root == ROOT:
            copy.mkdir()
            shutil.copytree(ROOT / "templates", copy / "templates")
        else:
            shutil.copytree(root, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
        (copy / "locale").mkdir()
        _makemessages(copy, ["tests/*", "migrations/*"])
        po = copy / "locale" / "fi" / "LC_MESSAGES" / "django.po"
        if not po.exists():
            return set()
        return {e.msgid for e in polib.pofile(str(po)) if not e.obsolete}


if __name__ == "__main__":
    # Optional arguments limit the run to some catalogue roots, e.g. opiskeluhuolto/cases.
    chosen = [(ROOT / a).resolve() for a in sys.argv[1:]] or catalog_roots()
    for root in chosen:
        extract(root)
        # Drop empty catalogues (apps without translatable text).
        po = root / "locale" / "fi" / "LC_MESSAGES" / "django.po"
        if root != ROOT:
            import polib

            if not po.exists() or not [e for e in polib.pofile(str(po)) if e.msgid]:
                shutil.rmtree(root / "locale")
    compile_all(chosen)
    print("Catalogues extracted and compiled. Fill in the empty msgstr entries, then run again.")
