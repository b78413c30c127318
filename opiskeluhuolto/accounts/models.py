from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def display_name(first_name: str, last_name: str, username: str) -> str:
    """A person's name as pages show it (`User.display_name`), from plain values."""
    return f"{first_name} {last_name}".strip() or username


class User(AbstractUser):
    """A person who signs in: staff, student, guardian or external member.

    What a person may do is decided by `access` from role assignments and
    relations (organisation.RoleAssignment, Student.user, Guardianship), never
    from fields on this model. `is_staff` only opens the Django admin, and only
    provider admins get it.
    """

    phone = models.CharField(_("phone"), max_length=40, blank=True)
    title = models.CharField(
        # "title" alone is a heading elsewhere (annual clock, meetings, surveys, procedures).
        pgettext_lazy("job title", "title"),
        max_length=100,
        blank=True,
        help_text=_("Profession or position, e.g. kuraattori. Shown in records and logs."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.username)

    def __str__(self) -> str:
        return self.display_name
