"""API schemas that several apps' routers answer with."""

from __future__ import annotations

from ninja import Schema


class NotFoundOut(Schema):
    """The body of a 404: missing and forbidden alike."""

    detail: str
