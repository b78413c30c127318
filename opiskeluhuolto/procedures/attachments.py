"""Attachments of a procedure version: added and removed while the version is a draft.

A file is checked before anything is stored: its size (`PROCEDURE_ATTACHMENT_MAX_MB`)
and its type (`PROCEDURE_ATTACHMENT_TYPES`, by the name's extension). It is stored under
MEDIA_ROOT with a random name and read only through the download view, with the access
rule of its version (`access.procedures.read_procedure_version`).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Attachment, ProcedureVersion


def allowed_types() -> str:
    """The allowed file types for the form's help text: "PDF, DOCX, …"."""
    return ", ".join(ext.lstrip(".").upper() for ext in settings.PROCEDURE_ATTACHMENT_TYPES)


def _check(version: ProcedureVersion, upload, title: str) -> dict:
    errors: dict[str, str] = {}
    if version.published_at is not None:
        raise ValidationError(
            _("A published version cannot be changed; draft a new one to change its attachments.")
        )
    if upload is None:
        errors["file"] = _("Choose the file to attach.")
        return errors
    name = Path(upload.name or "").name
    if Path(name).suffix.lower() not in settings.PROCEDURE_ATTACHMENT_TYPES:
        errors["file"] = _("This type of file cannot be attached. Allowed: %(types)s.") % {
            "types": allowed_types()
        }
    elif upload.size > settings.PROCEDURE_ATTACHMENT_MAX_MB * 1024 * 1024:
        errors["file"] = _("The file is too large: at most %(mb)s MB.") % {
            "mb": settings.PROCEDURE_ATTACHMENT_MAX_MB
        }
    elif upload.size == 0:
        errors["file"] = _("The file is empty.")
    if len(title.strip() or name) > 200:
        errors["title"] = _("The title is at most 200 characters.")
    return errors


@transaction.atomic
def add(version: ProcedureVersion, *, upload, by, title: str = "") -> Attachment:
    """Attach an uploaded file to a draft; nothing is stored if it is refused."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    errors = _check(version, upload, title)
    if errors:
        raise ValidationError(errors)
    name = Path(upload.name).name
    attachment = Attachment(
        version=version,
        title=(title.strip() or name)[:200],
        filename=name[:200],
        content_type=settings.PROCEDURE_ATTACHMENT_TYPES[Path(name).suffix.lower()],
        size=upload.size,
        added_by=by,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def remove(attachment: Attachment) -> None:
    """Remove an attachment of a draft (a published version's attachments stay with it).
    The stored file is deleted once no version refers to it any more."""
    version = ProcedureVersion.objects.select_for_update().get(pk=attachment.version_id)
    if version.published_at is not None:
        raise ValidationError(
            _("A published version cannot be changed; draft a new one to change its attachments.")
        )
    name = attachment.file.name
    attachment.delete()
    if name and not Attachment.objects.filter(file=name).exists():
        storage = attachment.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def carry_over(source: ProcedureVersion | None, draft: ProcedureVersion) -> None:
    """A new draft starts with the current version's attachments (the same stored files);
    the writer removes those that no longer apply."""
    if source is None:
        return
    Attachment.objects.bulk_create(
        [
            Attachment(
                version=draft,
                title=a.title,
                file=a.file.name,
                url=a.url,
                filename=a.filename,
                content_type=a.content_type,
                size=a.size,
                added_by=a.added_by,
                added_at=a.added_at,
            )
            for a in source.attachments.all()
        ]
    )
