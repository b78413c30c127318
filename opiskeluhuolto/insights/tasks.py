"""Background work of early warning (django.tasks): guardian notices by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _


@task()
def send_guardian_notice(notice_id: int) -> bool:
    """E-mail one notice. Idempotent: a notice already sent is not sent again.

    The message names the student by first name only and carries no welfare
    information (LAW.md L-ABS-6); the guardian reads details in Wilma.
    """
    from .models import GuardianNotice

    notice = (
        GuardianNotice.objects.select_related("student", "student__institution", "guardian")
        .filter(pk=notice_id, sent_at__isnull=True)
        .first()
    )
    if notice is None or not notice.guardian.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Unexplained absences: %(name)s") % {"name": notice.student.first_name}
        body = _(
            "Hello,\n\n%(name)s has %(hours)s unexplained absence hours in the week starting "
            "%(week)s at %(school)s. Please explain the absences to the school, or contact "
            "the group supervisor.\n\nThis message was sent automatically."
        ) % {
            "name": notice.student.first_name,
            "hours": notice.hours,
            "week": notice.week.strftime("%d.%m.%Y"),
            "school": notice.student.institution.name,
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [notice.guardian.email])
    GuardianNotice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
    return True
