"""Walk the running demo as each role in Finnish, Swedish and English and list visible text
that is not in the page's language (STYLE.md §3.4: no English left in Finnish pages).

    ./dev run python scripts/language_walk.py http://127.0.0.1:8123 [role ...]

Signs in as each demo person, follows the main navigation and one level of links from each
page it reaches (one page per URL shape), switches the language with the header's buttons
and writes var/language-walk.txt: per page and language, text that is a Finnish
translation on a Swedish or English page, an English message id on a Finnish or Swedish
page, or a run of words that reads as another language.

Why hand-written: the catalogue tests (tests/test_i18n.py) see only strings marked for
translation; a string never marked, a choice label built in Python or a date formatted by
hand shows only on the rendered page. No library compares a rendered page with this
project's own catalogues; Playwright renders, polib reads the catalogues, the rest is the
comparison below.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import urlparse

import polib
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.messages import catalog_roots  # noqa: E402

PASSWORD = "opiskeluhuolto"  # noqa: S105  (the demo's printed password)
ROLES = [
    "admin",
    "rehtori",
    "kuraattori",
    "psykologi",
    "terveydenhoitaja",
    "opettaja",
    "ryhmanohjaaja",
    "ulkojasen",
    "yhteisokoordinaattori",
    "opiskelija",
    "huoltaja",
]
STRONG = {"opiskelija": "opiskelija-vahva", "huoltaja": "huoltaja-vahva"}
LANGS = ("fi", "sv", "en")
SKIP = re.compile(r"logout|/i18n/|\.(csv|pdf|ics|xlsx|zip|svg|json)(\?|$)|/export|/download|/print")
PER_PAGE_LINKS = 12
MAX_PAGES = 45

# Words that tell a language apart; a run of text holding two of one language's words and
# none of the page's own is reported (names and demo content rarely hold function words).
WORDS = {
    "fi": set(
        [
            "ja",
            "tai",
            "on",
            "ei",
            "ole",
            "kun",
            "jos",
            "että",
            "mutta",
            "kanssa",
            "myös",
            "vain",
            "nyt",
            "kaikki",
            "tämä",
            "joka",
            "mitä",
            "sinun",
            "hänen",
            "oma",
            "omat",
            "ovat",
            "olla",
            "voi",
            "voit",
            "saa",
            "tallenna",
            "peruuta",
            "lisää",
            "näytä",
            "muokkaa",
            "poista",
            "hae",
            "haku",
            "takaisin",
            "seuraava",
            "edellinen",
            "viikko",
            "päivä",
            "kello",
            "asti",
            "alkaen",
        ]
    ),
    "sv": set(
        [
            "och",
            "eller",
            "är",
            "inte",
            "att",
            "men",
            "med",
            "också",
            "bara",
            "nu",
            "alla",
            "denna",
            "som",
            "vad",
            "din",
            "hans",
            "egen",
            "vara",
            "kan",
            "får",
            "spara",
            "avbryt",
            "lägg",
            "visa",
            "redigera",
            "ta",
            "bort",
            "sök",
            "tillbaka",
            "nästa",
            "föregående",
            "vecka",
            "dag",
            "klockan",
            "till",
            "från",
            "för",
            "av",
            "på",
        ]
    ),
    "en": set(
        [
            "and",
            "or",
            "is",
            "not",
            "the",
            "a",
            "an",
            "of",
            "to",
            "with",
            "also",
            "only",
            "now",
            "all",
            "this",
            "that",
            "what",
            "your",
            "his",
            "own",
            "are",
            "be",
            "can",
            "may",
            "save",
            "cancel",
            "add",
            "show",
            "edit",
            "delete",
            "search",
            "back",
            "next",
            "previous",
            "week",
            "day",
            "from",
            "for",
            "by",
            "on",
            "in",
        ]
    ),
}
TEXT_JS = """() => {
  const out = [];
  const seen = new Set();
  const add = (t, where) => { t = (t || '').replace(/\\s+/g, ' ').trim();
    if (t && !seen.has(t)) { seen.add(t); out.push([t, where]); } };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || ['SCRIPT','STYLE','NOSCRIPT','TEMPLATE'].includes(el.tagName)) continue;
    if (el.closest('[lang]') && el.closest('[lang]') !== document.documentElement) continue;
    add(n.textContent, el.tagName.toLowerCase());
  }
  for (const el of document.querySelectorAll('[placeholder],[aria-label],[title],[alt]')) {
    for (const a of ['placeholder','aria-label','title','alt']) if (el.getAttribute(a)) add(el.getAttribute(a), '@' + a);
  }
  add(document.title, 'title');
  return out;
}"""


def catalogues() -> dict[str, dict[str, str]]:
    """Per language: each translated text -> its msgid (English msgids under 'en')."""
    found: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for root in catalog_roots():
        for lang in ("fi", "sv"):
            path = root / "locale" / lang / "LC_MESSAGES" / "django.po"
            if not path.exists():
                continue
            for e in polib.pofile(str(path)):
                if e.msgid and e.msgstr and not e.obsolete:
                    found[lang][e.msgstr.strip()] = e.msgid
                    found["en"][e.msgid.strip()] = e.msgid
    return found


def foreign(text: str, lang: str, known: dict[str, dict[str, str]]) -> str | None:
    """Why `text` on a `lang` page looks like another language, or None."""
    own = known[lang] if lang != "en" else {}
    for other in LANGS:
        if other == lang or text in own or (lang == "en" and text in known["en"]):
            continue
        if text in known[other] and not _same_everywhere(text, known):
            return f"{other} catalogue"
    words = re.findall(r"[a-zåäö]+", text.lower())
    if len(words) < 3:
        return None
    mine = sum(w in WORDS[lang] for w in words)
    for other in LANGS:
        if other != lang and mine == 0 and sum(w in WORDS[other] for w in words) >= 2:
            return f"{other} words"
    return None


def _same_everywhere(text: str, known: dict[str, dict[str, str]]) -> bool:
    """Text that is the same in more than one language (a name, "OK", a number)."""
    return sum(text in known[lang] for lang in LANGS) > 1 or not re.search(r"[a-zåäö]{3}", text)


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def set_language(page: Page, lang: str) -> None:
    button = page.locator(f"form.lang-form button[value={lang}]")
    if button.count():
        button.first.click()
        page.wait_for_load_state()


def step_up(page: Page, base: str, username: str) -> None:
    """Through the demo identity provider when the page asks for strong identification."""
    if username not in STRONG or not page.locator("main form[action*='strong']").count():
        return
    page.locator("main form[action*='strong'] button[type=submit]").first.click()
    page.wait_for_load_state()
    if page.locator("#subject-input").count():
        page.locator("#subject-input").fill(STRONG[username])
        page.locator("#subject-input").press("Enter")
        page.wait_for_load_state()


def shape(url: str) -> str:
    parsed = urlparse(url)
    return re.sub(r"/\d+|/[0-9a-f-]{32,36}", "/N", parsed.path) + ("?" if parsed.query else "")


def links(page: Page, base: str, selector: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.getAttribute('href'))"
        " .map(e => new URL(e.getAttribute('href'), location.href).href)",
    )
    return [h.split("#")[0] for h in hrefs if h.startswith(base) and not SKIP.search(h)]


def pages_for(page: Page, base: str, username: str) -> list[str]:
    """The navigation's pages and one level of links from each, one URL per shape."""
    page.goto(f"{base}/")
    nav = links(page, base, "header a, nav a")
    chosen: dict[str, str] = {}
    for url in [f"{base}/", *nav]:
        chosen.setdefault(shape(url), url)
    for url in list(chosen.values()):
        if len(chosen) >= MAX_PAGES:
            break
        try:
            page.goto(url)
        except Exception:  # noqa: BLE001,S112  (a page that does not load is reported below)
            continue
        step_up(page, base, username)
        for link in links(page, base, "main a")[: PER_PAGE_LINKS * 3]:
            if len(chosen) >= MAX_PAGES:
                break
            chosen.setdefault(shape(link), link)
    return list(chosen.values())


def walk(base: str, roles: list[str], out: Path) -> int:
    known = catalogues()
    findings: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(locale="fi-FI")
        for username in roles:
            sign_in(page, base, username)
            urls = pages_for(page, base, username)
            print(f"{username}: {len(urls)} pages", flush=True)
            for lang in LANGS:
                page.goto(f"{base}/")
                set_language(page, lang)
                for url in urls:
                    try:
                        response = page.goto(url)
                    except Exception as e:  # noqa: BLE001
                        findings.append(f"{username} {lang} {url}\n    ! {e}")
                        continue
                    step_up(page, base, username)
                    if response is not None and response.status >= 500:
                        findings.append(f"{username} {lang} {url}\n    ! HTTP {response.status}")
                    bad = []
                    for text, where in page.evaluate(TEXT_JS):
                        why = foreign(text, lang, known)
                        if why:
                            bad.append(f"    [{why}] <{where}> {text[:160]}")
                    if bad:
                        findings.append(f"{username} {lang} {url}\n" + "\n".join(bad))
            page.goto(f"{base}/")
            set_language(page, "fi")
        browser.close()
    out.write_text("\n".join(findings) + "\n")
    print(f"{len(findings)} pages with findings: {out}")
    return len(findings)


if __name__ == "__main__":
    base_url = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8123"
    walk(base_url, sys.argv[2:] or ROLES, ROOT / "var" / "language-walk.txt")
