"""API of announcements: mine, read and unread."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from opiskeluhuolto.access.api import api_policy

from .models import Announcement, Delivery

router = Router(tags=["announcements"])


class AnnouncementOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    sent_at: datetime | None
    read: bool


@router.get(
    "",
    response=list[AnnouncementOut],
    auth=api_policy("authenticated"),
    url_name="announcements",
)
def mine(request, unread: bool = False):
    """The announcements and newsletters sent to me, newest first, in my language;
    `unread=true` for the unread ones only."""
    rows = (
        Delivery.objects.filter(
            user=request.user,
            announcement__status__in=[Announcement.Status.SENDING, Announcement.Status.SENT],
        )
        .select_related("announcement")
        .order_by("-announcement__sent_at", "-pk")
    )
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return [
        {
            "id": d.announcement_id,
            "kind": d.announcement.kind,
            "title": d.announcement.title_in(d.language),
            "body": d.announcement.body_in(d.language),
            "sent_at": d.announcement.sent_at,
            "read": d.read_at is not None,
        }
        for d in rows[:200]
    ]
