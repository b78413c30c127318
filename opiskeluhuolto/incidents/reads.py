"""Every read of an incident is logged through the register's gate (LAW.md L-906-1).

An incident about identifiable students is personal data in a confidential matter: the
pages and API that show one log a read per student involved with `records.reading
.log_reads`, the same chained log the register and appointments use, so the student sees
it in "who has read my data". An anonymous report naming no student has nobody to log for.
"""

from __future__ import annotations

from collections.abc import Iterable

from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import Read, log_reads


def log_shown(request, incidents: Iterable, *, purpose: str) -> None:
    reads = [
        Read(AccessLogEntry.Subject.INCIDENT, i.pk, s.pk, i.institution_id)
        for i in incidents
        for s in i.students.all()
    ]
    log_reads(request.user, reads, purpose=purpose, request=request)
