"""`get_FOO_display` without translating every choice on every call.

Django's `Model._get_FIELD_display` builds `dict(make_hashable(field.flatchoices))` on each
call, which hashes every (value, label) pair: hashing a lazy label translates it. A case
page calls it some fifteen times (the case's status, three per consent, each
rectification request's status), each translating all of its field's labels (issue 21,
item 3). `ChoiceLabels` keeps the value-to-label map per field (labels still lazy, so each
call gives the reader's language) and translates only the label shown.
`lib/tests/test_choices.py` checks it against Django's own in Finnish, Swedish and English.
"""

from __future__ import annotations

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def _labels(field) -> dict:
    """The field's choices by value, made once per `choices` object (a field given new
    choices gets a new map)."""
    cached = field.__dict__.get("_choice_labels")
    if cached is None or cached[0] is not field.choices:
        cached = (field.choices, {make_hashable(v): label for v, label in field.flatchoices})
        field.__dict__["_choice_labels"] = cached
    return cached[1]


class ChoiceLabels(models.Model):
    """A model base whose `get_FOO_display` looks the label up in `_labels`."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(make_hashable(value), value), strings_only=True)
