"""The one rule for a person's position as the register keeps it (`organisation.positions`)."""

from django.test import override_settings
from django.utils import translation

from opiskeluhuolto.organisation.models import Role
from opiskeluhuolto.organisation.positions import position_in_register


def test_roles_are_written_in_the_registers_language_whoever_writes():
    with translation.override("sv"):
        written = position_in_register("", [Role.SOCIAL_WORKER, Role.NURSE])
    assert written == "kuraattori, terveydenhoitaja"
    with override_settings(LANGUAGE_CODE="sv"), translation.override("fi"):
        assert position_in_register("", [Role.NURSE, Role.SOCIAL_WORKER]) == (
            "hälsovårdare, kurator"
        )


def test_a_title_wins_and_the_relation_comes_last():
    assert position_in_register("Nuorisotyön koordinaattori", [Role.NURSE]) == (
        "Nuorisotyön koordinaattori"
    )
    assert position_in_register("", [], is_student=True, is_guardian=True) == "opiskelija"
    assert position_in_register("", [], is_guardian=True) == "huoltaja"
    assert position_in_register("", []) == ""
