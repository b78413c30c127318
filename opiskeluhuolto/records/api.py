"""The register over the API: the same access check and the same logging as the pages."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema

from opiskeluhuolto.access import cases as access
from opiskeluhuolto.access.api import api_policy

from .models import AccessLogEntry
from .reading import read_record

router = Router(tags=["records"])


class AmendmentOut(Schema):
    text: str
    reason: str
    author_name: str
    author_profession: str
    created_at: datetime


class EntryOut(Schema):
    id: int
    kind: str
    text: str
    meeting_date: date | None
    participants: list[dict]
    decisions: str
    plan: str
    implementers: str
    followers: str
    follow_up_on: date | None
    author_name: str
    author_profession: str
    created_at: datetime
    version: int
    amendments: list[AmendmentOut]


class RecordOut(Schema):
    confidential: str
    case_id: int
    student_name: str
    subject: str
    background: str
    initiator: str
    entries: list[EntryOut]


@router.get(
    "/cases/{case_id}",
    response=RecordOut,
    auth=api_policy("authenticated"),
    url_name="records-case",
)
def case_record(request, case_id: int):
    """The welfare record of one case; the read is logged (LAW.md L-906-1). 404 when the
    case is missing or the caller may not read it."""
    case = access.get_case(request.user, case_id)
    view = read_record(
        request.user,
        case,
        purpose="API",
        request=request,
        action=AccessLogEntry.Action.API_READ,
        disclosures=False,
        rectifications=False,
    )
    if view is None:
        from django.http import Http404

        raise Http404
    record = view.record
    return {
        "confidential": "SALASSA PIDETTÄVÄ (JulkL 24 §)",
        "case_id": case.pk,
        "student_name": record.student_name,
        "subject": record.subject,
        "background": record.background,
        "initiator": record.initiator,
        "entries": [
            {
                **{f: getattr(e, f) for f in EntryOut.model_fields if f != "amendments"},
                "amendments": e.amendment_list,
            }
            for e in view.entries
        ],
    }
