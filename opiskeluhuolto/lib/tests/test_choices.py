"""`ChoiceLabels.get_FOO_display` says what Django's own says, in every language."""

import pytest
from django.db.models import Model
from django.utils import translation

from opiskeluhuolto.cases.models import Case, Consent
from opiskeluhuolto.records.models import RectificationRequest

FIELDS = [
    (Case, "status"),
    (Consent, "kind"),
    (Consent, "given_by"),
    (Consent, "how"),
    (RectificationRequest, "status"),
]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize(("model", "name"), FIELDS)
def test_labels_are_djangos(model, name, language):
    field = model._meta.get_field(name)
    values = [v for v, _label in field.flatchoices] + ["not-a-choice", ""]
    with translation.override(language):
        for value in values:
            obj = model(**{field.attname: value})
            django = Model._get_FIELD_display(obj, field)
            assert getattr(obj, f"get_{name}_display")() == django
            assert type(getattr(obj, f"get_{name}_display")()) is type(django)


def test_a_field_given_new_choices_shows_them():
    field = Case._meta.get_field("status")
    saved = field.choices
    case = Case(status="open")
    try:
        field.choices = [("open", "Auki nyt")]
        assert case.get_status_display() == "Auki nyt"
    finally:
        field.choices = saved
    assert case.get_status_display() == Model._get_FIELD_display(case, field)
