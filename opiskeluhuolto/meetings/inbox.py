"""Other apps send items to a group's next agenda through here (the agenda inbox).

Surveys send their released results, procedures an updated version to review,
incidents the summary of the standing safety topic, events a participation report,
higher groups a follow-up sent down. The sender depends on `meetings`, never the other
way round (ARCHITECTURE.md §9): `propose()` is the one door.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Group, Proposal


@transaction.atomic
def propose(
    group: Group,
    title: str,
    *,
    detail: str = "",
    origin: str = "",
    link: str = "",
    key: str = "",
) -> Proposal:
    """Put `title` on the next agenda of `group` that is assembled after now.

    `key` makes sending idempotent: a second call with the same key for the same group
    returns the first proposal (updated title and detail while it is not yet handled).
    Communal content only: callers never put a student's name or data here.
    """
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("An agenda item needs a title.")})
    fields = {"title": title[:300], "detail": detail[:300], "origin": origin[:40], "link": link}
    if key:
        proposal, created = Proposal.objects.select_for_update().get_or_create(
            group=group, key=key[:120], defaults=fields
        )
        if not created and proposal.handled_in_id is None:
            for name, value in fields.items():
                setattr(proposal, name, value)
            proposal.save(update_fields=list(fields))
        return proposal
    return Proposal.objects.create(group=group, **fields)


def pending(group: Group):
    """What `group` has been sent and no published meeting has handled yet."""
    return Proposal.objects.filter(group=group, handled_in__isnull=True)
