"""A logging filter that masks personal data before a line is written.

Personal identity codes and e-mail addresses are replaced; query strings are
dropped from request paths. Opaque ids stay, so an operator can still follow
a request.
"""

from __future__ import annotations

import logging
import re

HETU = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
QUERY = re.compile(r"\?\S*")


def scrub(text: str) -> str:
    return QUERY.sub("?…", EMAIL.sub("[email]", HETU.sub("[hetu]", text)))


class ScrubPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = scrub(message)
        record.args = None
        return True
