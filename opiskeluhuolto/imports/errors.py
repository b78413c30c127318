"""The translated message for each error code an import can report (see parsing.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def message(error: dict) -> str:
    code = error.get("code", "")
    value = error.get("value", "")
    other = error.get("other", 0)
    messages = {
        "encoding": _(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” in the student information "
            "system or your spreadsheet and import it again."
        ),
        "delimiter": _(
            "The columns are separated by “%(found)s”. Use a semicolon (;), as Wilma and "
            "Primus export."
        )
        % {"found": value},
        "header": _("The first row must be the header: %(expected)s") % {"expected": value},
        "empty": _("The file is empty."),
        "no_rows": _("The file has a header but no rows."),
        "fields": _("The row has %(found)s columns; %(expected)s are needed.")
        % {"found": value, "expected": other},
        "truncated": _(
            "The last row ends without a line break: the file seems to be cut off. Export it again."
        ),
        "unknown_student": _("Unknown student “%(value)s”: no such learner id in this institution.")
        % {"value": value},
        "date": _("Impossible date “%(value)s”. Write dates as D.M.YYYY.") % {"value": value},
        "date_future": _("The date “%(value)s” is in the future.") % {"value": value},
        "lesson": _("The lesson number “%(value)s” must be a whole number 1–20.")
        % {"value": value},
        "unknown_code": _(
            "Unknown mark code “%(value)s”. Add it to the institution's mark codes first."
        )
        % {"value": value},
        "duplicate": _("The same lesson is marked twice (also on line %(other)s).")
        % {"other": other},
        "duplicate_student": _("The student appears twice (also on line %(other)s).")
        % {"other": other},
        "status": _(
            "Unknown study-right status “%(value)s” (läsnä, keskeytetty, eronnut, valmistunut)."
        )
        % {"value": value},
        "status_date": _("The status “%(value)s” needs a start date.") % {"value": value},
        "date_order": _("The status ends before it starts.") % {"value": value},
        "unknown_campus": _("Unknown campus “%(value)s”.") % {"value": value},
        "email": _("Guardian e-mail addresses must be separated by commas.") % {"value": value},
        "missing": _("The column “%(value)s” is empty.") % {"value": value},
        "number": _("“%(value)s” is not a whole number.") % {"value": value},
        "other_institution": _(
            "The learner id “%(value)s” belongs to a student of another institution."
        )
        % {"value": value},
        "oppijanumero": _("“%(value)s” is not a learner id (1.2.246.562.24.12345678901).")
        % {"value": value},
        "interrupted": _("The import was interrupted before it finished; nothing was saved."),
        "internal": _("The import failed unexpectedly; nothing was saved. Reference: %(value)s")
        % {"value": value},
    }
    return messages.get(code, code)
