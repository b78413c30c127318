"""The procedures API: what the signed-in person may read, in their language."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from ninja import Router, Schema

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.api import api_policy

from .models import Attachment, ProcedureVersion

router = Router(tags=["procedures"])


class ProcedureStepOut(Schema):
    text: str
    role: str


class ProcedureAttachmentOut(Schema):
    id: int
    title: str
    #: The uploaded file's name ("" for a link).
    filename: str
    #: Bytes (0 for a link).
    size: int
    content_type: str
    #: The download view: the same access rule as the page's link (the version's audience);
    #: a link attachment redirects to its address.
    download_url: str


class ProcedureOut(Schema):
    id: int
    kind: str
    title: str
    institution_id: int | None
    campus_id: int | None
    audience: list[str]
    version: int
    summary: str
    steps: list[ProcedureStepOut]
    review_on: date
    change_note: str
    attachments: list[ProcedureAttachmentOut]


def _current_versions(procedures) -> dict[int, ProcedureVersion]:
    """The newest published version of each procedure, with its attachments: three
    queries whatever the number of procedures (not `Procedure.current()` for each)."""
    by_pk = {p.pk: p for p in procedures}
    current: dict[int, ProcedureVersion] = {}
    for v in ProcedureVersion.objects.filter(
        procedure_id__in=by_pk, published_at__isnull=False
    ).order_by("procedure_id", "-number"):
        if v.procedure_id not in current:
            v.procedure = by_pk[v.procedure_id]
            v.listed_attachments = []  # type: ignore[attr-defined]  # filled below
            current[v.procedure_id] = v
    by_version = {v.pk: v for v in current.values()}
    for a in Attachment.objects.filter(version_id__in=by_version).order_by("added_at", "pk"):
        by_version[a.version_id].listed_attachments.append(a)  # type: ignore[attr-defined]
    return current


@router.get(
    "",
    response=list[ProcedureOut],
    auth=api_policy("authenticated"),
    url_name="procedures-list",
)
def list_procedures(request):
    """The current version of every procedure the signed-in person may read, with the
    version's attachments (each downloaded through the page's view and its rule)."""
    who = for_user(request.user)
    procedures = list(who.procedures_scope().order_by("kind", "title"))
    current = _current_versions(procedures)
    out = []
    for p in procedures:
        version = current.get(p.pk)
        # The download's own rule (`read_procedure_version`), asked of the very version
        # listed: its text and attachments go only to someone the download would answer.
        if version is None or not who.read_procedure_version(version):
            continue
        text = version.localized()
        out.append(
            {
                "id": p.pk,
                "kind": p.kind,
                "title": text["title"],
                "institution_id": p.institution_id,
                "campus_id": p.campus_id,
                "audience": list(p.audience),
                "version": version.number,
                "summary": text["summary"],
                "steps": text["steps"],
                "review_on": version.review_on,
                "change_note": version.change_note,
                "attachments": [
                    {
                        "id": a.pk,
                        "title": a.title,
                        "filename": a.filename,
                        "size": a.size,
                        "content_type": a.content_type,
                        "download_url": request.build_absolute_uri(
                            reverse("procedures:attachment", args=[a.pk])
                        ),
                    }
                    for a in version.listed_attachments
                ],
            }
        )
    return out
