"""Every browser date or time picker gets its value in the format the browser reads.

Django writes a date, time or datetime value in the active language's input format
("7.12.2026", "08.00.00" in Finnish); `<input type="date">`, `type="time"` and
`type="datetime-local"` accept only ISO values and show such a value as empty. Walking the
demo in Finnish found the space's opening hours, the plan's evaluation date and a new
meeting's suggested day empty, though the page had set them."""

from __future__ import annotations

import datetime

from django import forms
from django.urls import get_resolver
from django.utils import translation

from opiskeluhuolto.lib.forms import DateInput, DateTimeInput, TimeInput

PICKERS = {"date", "time", "datetime-local"}
VALUES = {
    "date": datetime.date(2026, 12, 7),
    "time": datetime.time(8, 0),
    "datetime-local": datetime.datetime(2026, 12, 7, 14, 5),
}
TEMPORAL = (forms.DateField, forms.TimeField, forms.DateTimeField)
ISO = {"date": "2026-12-07", "time": "08:00", "datetime-local": "2026-12-07T14:05"}


def _forms() -> list[type[forms.BaseForm]]:
    get_resolver().url_patterns  # noqa: B018  # imports every view, and so every form
    found, todo = [], [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("opiskeluhuolto."):
                found.append(sub)
    return found


def test_the_forms_are_found():
    names = {f.__name__ for f in _forms()}
    assert {"OpeningHoursForm", "MeetingForm", "ReportForm"} <= names


def test_every_picker_renders_its_value_in_iso_format():
    wrong = []
    with translation.override("fi"):
        for form in _forms():
            for name, field in getattr(form, "base_fields", {}).items():
                kind = getattr(field.widget, "input_type", None)
                if kind not in PICKERS or not isinstance(field, TEMPORAL):
                    continue  # a text field behind a picker carries a string as it is
                html = field.widget.render(name, VALUES[kind])
                if f'value="{ISO[kind]}"' not in html:
                    wrong.append(f"{form.__module__}.{form.__name__}.{name}: {html}")
    assert wrong == []


def test_the_shared_widgets():
    with translation.override("fi"):
        assert 'value="08:00"' in TimeInput().render("t", datetime.time(8, 0))
        assert 'value="2026-12-07"' in DateInput().render("d", datetime.date(2026, 12, 7))
        html = DateTimeInput().render("dt", datetime.datetime(2026, 12, 7, 14, 5))
        assert 'type="datetime-local"' in html and 'value="2026-12-07T14:05"' in html
