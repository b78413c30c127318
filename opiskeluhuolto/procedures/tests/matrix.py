"""Procedures in the permission matrix: a staff-only procedure of the lukio, published."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from opiskeluhuolto.access.matrix import Row


def setup(cast) -> None:
    from opiskeluhuolto.meetings.models import Group
    from opiskeluhuolto.procedures import actions
    from opiskeluhuolto.procedures.models import Kind, Procedure

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
LUKIO_STAFF_POST = {k: (302 if v == 200 else v) for k, v in LUKIO_STAFF.items()}

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
    Row("api:procedures-list", {"*": 200, "anonymous": 401}),
]
