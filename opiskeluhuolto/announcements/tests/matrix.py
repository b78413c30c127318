"""Who reaches the announcements' pages. Riitta (rehtori) has sent the lukio campus's
guardians a newsletter: Matti (Aino's guardian) received it; the writers of the lukio
(provider admin, principal, welfare professionals) manage it."""

from __future__ import annotations

from opiskeluhuolto.access.matrix import Row

WRITERS_ANYWHERE = (
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "outsider",
)
LUKIO_WRITERS = ("admin", "rehtori", "kuraattori", "psykologi", "nurse")


def setup(cast) -> None:
    from opiskeluhuolto.announcements import actions
    from opiskeluhuolto.announcements.models import Announcement

    a = actions.save_draft(
        Announcement(
            provider=cast.provider,
            kind="newsletter",
            audience="guardians",
            campus=cast.lukio_campus,
            title_fi="Kodin ja koulun uutiskirje",
            body_fi="Syksyn kotiväenilta on torstaina.",
            is_public=False,  # a public one is readable by everyone signed in
        ),
        by=cast.users["rehtori"],
    )
    actions.schedule(a, by=cast.users["rehtori"])
    cast.announcement = a
    from opiskeluhuolto.announcements import sending

    cast.unsubscribe_token = sending.unsubscribe_token(cast.users["guardian"].pk, cast.provider.pk)


def _managers(status=200):
    return {"*": 404, "anonymous": 302, **{m: status for m in LUKIO_WRITERS}}


ROWS = [
    Row("api:announcements", {"*": 200, "anonymous": 401}),
    Row("announcements:index", {"*": 200, "anonymous": 302}),
    Row("announcements:new", {"*": 404, "anonymous": 302, **{m: 200 for m in WRITERS_ANYWHERE}}),
    Row(
        "announcements:read",
        {**_managers(), "guardian": 200},
        kwargs=lambda c: {"pk": c.announcement.pk},
    ),
    Row("announcements:edit", _managers(), kwargs=lambda c: {"pk": c.announcement.pk}),
    Row("announcements:send", _managers(), kwargs=lambda c: {"pk": c.announcement.pk}),
    Row(
        "announcements:unsubscribe",
        {"*": 200},
        kwargs=lambda c: {"token": c.unsubscribe_token},
    ),
    Row("announcements:audience_archive", {"*": 200, "anonymous": 302}),
    Row("announcements:archive", {"*": 200}, kwargs=lambda c: {"pk": c.lukio.pk}),
]
