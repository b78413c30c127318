"""A role kept in the access log or a record is shown in the reader's language: the log held
"student", "studerande" and "opiskelija" side by side, each in its writer's language."""

import pytest
from django.utils import translation

from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.records.log import role_label
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import read_record


def test_a_role_written_in_any_language_reads_in_the_readers():
    for written in ("kuraattori", "kurator", str(Role.SOCIAL_WORKER.label)):
        with translation.override("sv"):
            assert role_label(written) == "kurator"
        with translation.override("fi"):
            assert role_label(written) == "kuraattori"
    with translation.override("en"):
        assert role_label("studerande") == "student"
        assert role_label("opiskelija, huoltaja") == "student, guardian"


def test_a_title_typed_by_hand_is_shown_as_it_is():
    with translation.override("sv"):
        assert role_label("Nuorisotyön koordinaattori") == "Nuorisotyön koordinaattori"
        assert role_label("") == ""


@pytest.mark.django_db
def test_the_log_keeps_the_registers_language_whoever_reads(cast, case_with_entry):
    with translation.override("sv"):
        read_record(cast.student, case_with_entry, purpose="own")
    row = AccessLogEntry.objects.order_by("-seq").first()
    assert row.actor_id == cast.student.pk
    assert row.actor_role == "opiskelija"
