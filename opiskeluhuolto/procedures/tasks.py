"""Review reminders: the owner group's chair hears when a procedure's review date nears."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from . import actions


@task()
def remind_reviews() -> int:
    """Tell each owner group's chair (by e-mail) that the procedure is due for review, once
    per version; the review date also stands on the annual clock (`clock.py`)."""
    today = timezone.localdate()
    sent = 0
    for version in actions.reviews_due(today):
        chair = version.procedure.owner_group.chair
        if chair is not None and chair.email:
            send_mail(
                _("A procedure is due for review"),
                _("“%(title)s” should be reviewed by %(day)s.")
                % {"title": version.procedure.title, "day": version.review_on.strftime("%d.%m.%Y")},
                None,
                [chair.email],
            )
            sent += 1
        version.review_reminded_on = today
        version.save(update_fields=["review_reminded_on"])
    return sent
