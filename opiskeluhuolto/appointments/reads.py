"""The access-log names of the requests and bookings a page shows (LAW.md L-906-1).

That a student asked to see the kuraattori or the psychologist, and when they come, is
personal data in a confidential matter: every page that shows it logs the read through
the register's gate, `records.reading.log_reads`, and the student sees it in "who has
read my data" (L-906-8)."""

from __future__ import annotations

from collections.abc import Iterable

from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import Read, log_reads


def request_read(req) -> Read:
    return Read(
        AccessLogEntry.Subject.REQUEST,
        req.pk,
        req.student_id,
        req.institution_id,
        made_by_id=getattr(req, "requested_by_user_id", None),
    )


def booking_read(booking) -> Read:
    return Read(
        AccessLogEntry.Subject.BOOKING, booking.pk, booking.student_id, booking.institution_id
    )


def log_shown(
    request, *, requests: Iterable = (), bookings: Iterable = (), purpose: str, action=None
) -> None:
    """Log the requests and bookings (models or list rows) one page shows."""
    reads = [request_read(r) for r in requests] + [booking_read(b) for b in bookings]
    kwargs = {"action": action} if action else {}
    log_reads(request.user, reads, purpose=purpose, request=request, **kwargs)
