"""Background work of individual welfare: e-mail notices, sent after the commit."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _


@task
def send_guardian_referral_notice(referral_id: int) -> int:
    """LAW.md L-16-3: tell each guardian of a minor that welfare staff were contacted.

    Rechecks the prohibition at sending time: a §18(2) prohibition recorded after the
    referral was filed (the notice queued) but before this runs still stops the notice. The message holds no confidential
    content, only that a contact was made and how to reach the staff.
    """
    from .actions import _prohibition_in_force  # the rule of filing, asked again
    from .models import Referral

    referral = Referral.objects.select_related("student", "institution").get(pk=referral_id)
    student = referral.student
    if referral.guardian_notice != Referral.GuardianNotice.SENT:
        return 0
    if _prohibition_in_force(student):
        # Never sent: the referral keeps no time of a notice (`guardian_notice_at`).
        Referral.objects.filter(pk=referral.pk).update(
            guardian_notice=Referral.GuardianNotice.SUPPRESSED, guardian_notice_at=None
        )
        return 0
    from opiskeluhuolto.access.models import AccessRestriction

    # A guardian whose access to the student's data the register refused (L-GDPR-5,
    # tietosuojalaki 34 §: "another law" of L-16-3) is not told either; one refused some
    # matters only (a request answered in part) is told of a new contact.
    refused = set(
        AccessRestriction.objects.in_force()
        .filter(student=student, case__isnull=True)
        .values_list("person_id", flat=True)
    )
    addresses = [
        g.guardian.email
        for g in student.guardianships.select_related("guardian")
        if g.guardian.email and g.guardian_id not in refused
    ]
    if not addresses:
        return 0
    with translation.override("fi"):
        subject = _("Contact to student welfare")
        body = _(
            "Hello,\n\nA member of staff at %(institution)s has contacted the student welfare "
            "staff about %(first_name)s (Pupil and Student Welfare Act 1287/2013, section 16). "
            "The welfare staff will be in touch if needed; you can also contact them "
            "yourself.\n\nThis message was sent automatically."
        ) % {"institution": referral.institution.name, "first_name": student.first_name}
    send_mail(subject, body, None, addresses)
    return len(addresses)
