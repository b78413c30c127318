"""Form helpers every app's pages share: the date widget and how an action's errors reach
the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO value it sends and expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    """The browser's time picker, with the value it expects ("08:00"): Django's own widget
    writes the Finnish input format ("08.00.00"), which the picker shows as empty."""

    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, with the value it expects ("2026-12-07T14:00")."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def apply_errors(form, error: ValidationError) -> None:
    """Show an action's errors next to their fields; the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)
