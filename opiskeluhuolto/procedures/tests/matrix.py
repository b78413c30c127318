"""Procedures in the permission matrix: a staff-only procedure of the lukio, published."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from opiskeluhuolto.access.matrix import Row


def setup(cast) -> None:
    from opiskeluhuolto.meetings.models import Group
    from opiskeluhuolto.procedures import actions, safety
    from opiskeluhuolto.procedures.models import Attachment, Kind, Procedure

    group = Group.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        kind=Group.Kind.WELFARE,
        name="Matriisiryhmä",
    )
    procedure = Procedure.objects.create(
        provider=cast.provider,
        institution=cast.lukio,
        kind=Kind.CRISIS,
        title="Kriisisuunnitelma",
        owner_group=group,
        audience=["staff"],
        must_know_roles=["teacher"],
    )
    version = actions.add_version(
        procedure,
        steps=[{"text": "Soita 112.", "role": "havaitsija"}],
        review_on=timezone.localdate() + timedelta(days=200),
    )
    actions.approve(version, by=cast.rehtori)
    actions.publish(version, by=cast.rehtori)
    cast.procedure = procedure
    cast.procedure_version = version
    cast.procedure_attachment = Attachment.objects.create(
        version=version,
        title="Yhteystiedot",
        file=ContentFile(b"%PDF-1.4 matrix", name="yhteystiedot.pdf"),
        filename="yhteystiedot.pdf",
        content_type="application/pdf",
        size=15,
    )
    cast.procedure_draft = actions.add_version(
        procedure,
        steps=[{"text": "Soita 112 ja rehtorille.", "role": "havaitsija"}],
        review_on=timezone.localdate() + timedelta(days=300),
        change_note="Rehtorille soitetaan heti.",
    )
    held = timezone.localdate() - timedelta(days=10)
    cast.safety_record = safety.record_safety(
        campus=cast.lukio_campus,
        kind="lockdown",
        held_on=held,
        by=cast.rehtori,
        findings="Kuulutus ei kuulunut saliin.",
        actions=[{"description": "Kaiutin saliin", "owner": cast.rehtori, "due_on": held}],
    )
    cast.corrective_action = cast.safety_record.actions.get()


SIGNED_IN = {"*": 200, "anonymous": 302}
LUKIO_STAFF = {
    "*": 404,
    "anonymous": 302,
    "admin": 200,
    "rehtori": 200,
    "kuraattori": 200,
    "psykologi": 200,
    "nurse": 200,
    "teacher": 200,
    "supervisor": 200,
}
SCHOOL_STAFF = {
    "*": 200,
    "anonymous": 302,
    "external": 404,
    "student": 404,
    "adult": 404,
    "guardian": 404,
}
LUKIO_STAFF_POST = {k: (302 if v == 200 else v) for k, v in LUKIO_STAFF.items()}

MANAGE = {"*": 404, "anonymous": 302, "admin": 200, "rehtori": 200}
MANAGE_POST = {"*": 404, "anonymous": 302, "admin": 302, "rehtori": 302}

ROWS = [
    Row("procedures:index", SIGNED_IN),
    Row("procedures:detail", LUKIO_STAFF, kwargs=lambda c: {"pk": c.procedure.pk}),
    Row(
        "procedures:confirm",
        LUKIO_STAFF_POST,
        kwargs=lambda c: {"pk": c.procedure_version.pk},
        method="post",
    ),
    Row(
        "procedures:publish",
        {"*": 404, "anonymous": 302, "admin": 302, "rehtori": 302},
        kwargs=lambda c: {"pk": c.procedure_version.pk},
        method="post",
    ),
    # The cast's procedure has a draft: "new" leads the managers to it.
    Row("procedures:new", SCHOOL_STAFF),
    Row("procedures:settings", MANAGE, kwargs=lambda c: {"pk": c.procedure.pk}),
    Row("procedures:version_new", MANAGE_POST, kwargs=lambda c: {"pk": c.procedure.pk}),
    Row("procedures:version_edit", MANAGE, kwargs=lambda c: {"pk": c.procedure_draft.pk}),
    # A published version: managers are refused with a message (302) and nothing is
    # deleted, so every member asks about the same object.
    Row(
        "procedures:version_discard",
        MANAGE_POST,
        kwargs=lambda c: {"pk": c.procedure_version.pk},
        method="post",
    ),
    Row(
        "procedures:version_approve",
        MANAGE_POST,
        kwargs=lambda c: {"pk": c.procedure_draft.pk},
        method="post",
    ),
    # An attachment is read with its version; a published version's is not removed
    # (managers are refused with a message, 302).
    Row(
        "procedures:attachment",
        LUKIO_STAFF,
        kwargs=lambda c: {"pk": c.procedure_attachment.pk},
    ),
    Row("procedures:attachment_add", MANAGE, kwargs=lambda c: {"pk": c.procedure_draft.pk}),
    Row(
        "procedures:attachment_remove",
        MANAGE_POST,
        kwargs=lambda c: {"pk": c.procedure_attachment.pk},
        method="post",
    ),
    Row("api:procedures-list", {"*": 200, "anonymous": 401}),
    Row("procedures:safety", SCHOOL_STAFF),
    Row("procedures:safety_new", MANAGE),
    Row("procedures:safety_actions", MANAGE, kwargs=lambda c: {"pk": c.safety_record.pk}),
    Row("procedures:safety_record", LUKIO_STAFF, kwargs=lambda c: {"pk": c.safety_record.pk}),
    Row(
        "procedures:action_done",
        {"*": 404, "anonymous": 302, "admin": 302, "rehtori": 302},
        kwargs=lambda c: {"pk": c.corrective_action.pk},
        method="post",
    ),
]
