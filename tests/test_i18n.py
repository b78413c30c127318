"""Finnish, Swedish and English catalogues are complete and compiled (STYLE.md §3.4)."""

from pathlib import Path

import polib
import pytest

from scripts.messages import LANGUAGES, ROOT, catalog_roots, fresh_msgids

ROOTS = [r for r in catalog_roots() if (r / "locale" / "fi" / "LC_MESSAGES" / "django.po").exists()]


def _id(root: Path) -> str:
    return str(root.relative_to(ROOT)) or "."


@pytest.mark.parametrize("root", ROOTS, ids=_id)
def test_catalogue_holds_every_string_in_use(root):
    in_use = fresh_msgids(root) - {""}
    for lang in LANGUAGES:
        po = polib.pofile(str(root / "locale" / lang / "LC_MESSAGES" / "django.po"))
        listed = {e.msgid for e in po if not e.obsolete}
        missing = in_use - listed
        assert not missing, f"{_id(root)} {lang}: not extracted: {sorted(missing)[:10]}"


@pytest.mark.parametrize("root", ROOTS, ids=_id)
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_string_is_translated(root, lang):
    po = polib.pofile(str(root / "locale" / lang / "LC_MESSAGES" / "django.po"))
    untranslated = [e.msgid for e in po if e.msgid and not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not untranslated, f"{_id(root)} {lang}: untranslated: {untranslated[:10]}"
    assert not fuzzy, f"{_id(root)} {lang}: fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("root", ROOTS, ids=_id)
def test_english_catalogue_has_no_stale_translation(root):
    """The message ids are English, so English entries stay empty (the id is the text); a
    fuzzy or filled English entry is text that makemessages guessed or someone left behind."""
    po = polib.pofile(str(root / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    differing = [e.msgid for e in po if e.msgstr and e.msgstr != e.msgid]
    assert not fuzzy, f"{_id(root)} en: fuzzy: {fuzzy[:10]}"
    assert not differing, f"{_id(root)} en: translated away from the English id: {differing[:10]}"


@pytest.mark.parametrize("root", ROOTS, ids=_id)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_source(root, lang):
    po_path = root / "locale" / lang / "LC_MESSAGES" / "django.po"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run scripts/messages.py"
    po = {
        e.msgid: e.msgstr
        for e in polib.pofile(str(po_path))
        if e.msgid and e.translated() and not e.msgid_plural
    }
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(mo_path)) if e.msgid and not e.msgid_plural}
    assert po == mo, f"{mo_path} is stale: run scripts/messages.py"


@pytest.mark.parametrize("root", [r for r in catalog_roots() if r not in ROOTS], ids=_id)
def test_app_without_catalogue_has_no_strings(root):
    assert fresh_msgids(root) - {""} == set(), f"{_id(root)} has strings but no catalogue"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_one_translation_per_message(lang):
    """Django merges every app's catalogue into one per language (the first app in
    INSTALLED_APPS wins), so a message translated one way in one app and another way in a
    second shows the first app's word on the second app's pages too: the privacy pages'
    "Request" read "Yhteydenotto" (an appointment request). A message whose meaning differs
    by app takes a context (`pgettext`, `{% translate … context … %}`) instead."""
    seen: dict[tuple[str | None, str], dict[str, str]] = {}
    for root in ROOTS:
        po = polib.pofile(str(root / "locale" / lang / "LC_MESSAGES" / "django.po"))
        for e in po:
            if e.msgid and e.msgstr and not e.obsolete:
                seen.setdefault((e.msgctxt, e.msgid), {})[_id(root)] = e.msgstr
    differing = {
        f"{ctx}|{msgid}" if ctx else msgid: by_root
        for (ctx, msgid), by_root in seen.items()
        if len(set(by_root.values())) > 1
    }
    assert not differing, f"{lang}: translated differently by app: {differing}"


@pytest.mark.django_db
def test_words_with_an_apps_own_meaning_keep_it_in_finnish():
    """Before the contexts, the first app's word won: a closed survey read "päätetty" (a
    case's word), a safety walk's record "kertomus" (the welfare record's), a procedure's or
    a meeting's title "nimike" (a person's job title)."""
    from django.utils import translation
    from django.utils.translation import gettext

    from opiskeluhuolto.accounts.models import User
    from opiskeluhuolto.procedures.models import CorrectiveAction
    from opiskeluhuolto.surveys.models import Survey

    with translation.override("fi"):
        assert str(Survey.Status.CLOSED.label) == "suljettu"
        assert str(CorrectiveAction._meta.get_field("record").verbose_name) == "kirjaus"
        assert str(User._meta.get_field("title").verbose_name) == "nimike"
        assert gettext("title") == "otsikko"
