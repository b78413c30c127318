"""Template tags every template has (settings: TEMPLATES builtins) for data as entered.

- `{% data_lang %}` on an element whose text is data in the provider's language (an
  annual-clock item, an agenda item, a rule's name): ` lang="fi"` when the page is in
  another language, so a screen reader reads it with the right voice (WCAG 3.1.2).
- `phone` and `tel`: a phone number written one way, however it was typed ("+358 40 123 4567"
  for a Finnish number, "+46 8 123 456 78" for another country's), and its `tel:` form.
  Parsed with `phonenumbers`; a number it cannot read is shown as typed.
"""

from __future__ import annotations

import phonenumbers
from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()

#: The language the provider's data is written in (names of items, rules, minutes).
DATA_LANGUAGE = getattr(settings, "DATA_LANGUAGE", "fi")


@register.simple_tag
def data_lang(language: str = "") -> str:
    lang = language or DATA_LANGUAGE
    if (get_language() or "fi")[:2] == lang[:2]:
        return ""
    return format_html(' lang="{}"', lang)


def _parse(value):
    try:
        number = phonenumbers.parse(str(value), "FI")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


@register.filter
def phone(value) -> str:
    """ "+358 40 123 4567": the one format of the demo and the pages (international, the
    operator or area code, then the subscriber number with its last four digits apart)."""
    if not value:
        return ""
    number = _parse(value)
    if number is None:
        return str(value)
    if number.country_code != 358:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    nsn = phonenumbers.national_significant_number(number)
    code = phonenumbers.length_of_national_destination_code(number) or 2
    rest = nsn[code:]
    if len(rest) > 4:
        rest = f"{rest[:-4]} {rest[-4:]}"
    return f"+358 {nsn[:code]} {rest}"


@register.filter
def tel(value) -> str:
    """The number for a `tel:` link (E.164, +358…)."""
    number = _parse(value) if value else None
    if number is None:
        return "".join(ch for ch in str(value or "") if ch.isdigit() or ch == "+")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
