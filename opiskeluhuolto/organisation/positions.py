"""A person's position towards a student, as the welfare register keeps it: the one rule.

The access log (`records.log.role_at`), the records' author profession and the expert
group's members (`cases.actions`) all store it with this function, in the register's
language (`settings.LANGUAGE_CODE`) whoever writes, so the register holds one language;
`records.log.role_label` shows a stored value in the reader's language using `LABELS`.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

from .models import Role

STUDENT = gettext_lazy("student")
GUARDIAN = gettext_lazy("guardian")

#: Every label the rule can write (besides a title typed by hand), lazily translated.
LABELS = (*(label for _value, label in Role.choices), STUDENT, GUARDIAN)


def position_in_register(
    title: str, roles: Iterable[str], *, is_student: bool = False, is_guardian: bool = False
) -> str:
    """The person's position towards a student at an institution, in the register's language.

    `title` is the person's own job title (kept as typed, and it wins); `roles` the values
    of the roles they hold at the student's institution that day. Without either, the
    relation to the student: the student themself, or their guardian. Empty if none.
    """
    if title:
        return title
    labels = dict(Role.choices)
    with translation.override(settings.LANGUAGE_CODE):
        named = sorted(str(labels[r]) for r in set(roles) if r in labels)
        if named:
            return ", ".join(named)
        if is_student:
            return str(STUDENT)
        if is_guardian:
            return str(GUARDIAN)
    return ""
