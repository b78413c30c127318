"""Demo: a guardian's open request for a copy of his child's data, six days old, so that
the register administration (sign-in `admin`) can answer it on the data requests page,
in full, in part or refused with its ground and reason (LAW.md L-GDPR-3, L-GDPR-5)."""

from __future__ import annotations

from datetime import timedelta

from opiskeluhuolto.organisation.demo.cast import DemoContext

from ..actions import register_request
from ..models import DataRequest


def seed(ctx: DemoContext) -> None:
    matti, aino = ctx.users["huoltaja"], ctx.students["aino"]
    request = register_request(aino, by=matti, kind=DataRequest.Kind.GDPR)
    came_in = ctx.today - timedelta(days=6)
    DataRequest.objects.filter(pk=request.pk).update(
        requested_on=came_in, due_on=DataRequest.deadline(DataRequest.Kind.GDPR, came_in)
    )
