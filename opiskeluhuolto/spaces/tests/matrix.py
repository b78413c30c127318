"""Who reaches the pages of communal spaces. The lukio's Etu-Töölö campus has the space
Olkkari: the lukio's staff and the provider's partners (Jari, an external member
provider-wide) see and book it, Aino (a lukio student) sees it, the principal and the
provider admin manage it. Riitta has booked it next Monday."""

from __future__ import annotations

from opiskeluhuolto.access.matrix import Row

#: Staff whose role covers the lukio (any campus of it, or provider-wide), partners too.
BOOKERS = (
    "admin",
    "rehtori",
    "kuraattori",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
)
VIEWERS = (*BOOKERS, "student")
MANAGERS = ("admin", "rehtori")


def setup(cast) -> None:
    from opiskeluhuolto.spaces import actions

    from .conftest import at, make_space, next_monday

    cast.space = make_space(cast)
    monday = next_monday()
    cast.space_booking = actions.book(
        cast.space,
        by=cast.users["rehtori"],
        starts_at=at(monday, 10),
        ends_at=at(monday, 12),
        kind="staff",
        purpose="Opiskelijakunnan kokous",
    )


def _space(c):
    return {"pk": c.space.pk}


def _to(members, status):
    return {"*": 404, "anonymous": 302, **{m: status for m in members}}


ROWS = [
    Row("spaces:index", {"*": 200, "anonymous": 302}),
    Row("spaces:space", _to(VIEWERS, 200), kwargs=_space),
    Row("spaces:book", _to(BOOKERS, 200), kwargs=_space),
    # An empty form: the page again with its errors, for everyone who may book.
    Row("spaces:book", _to(BOOKERS, 200), kwargs=_space, method="post"),
    Row("spaces:usage", _to(BOOKERS, 200), kwargs=_space),
    Row(
        "spaces:visits",
        _to(MANAGERS, 302),
        kwargs=_space,
        method="post",
        data=lambda c: {"day": c.today.isoformat(), "kind": "students", "count": "12"},
    ),
    Row("spaces:hours", _to(MANAGERS, 302), kwargs=_space, method="post"),
    Row("spaces:opening", _to(MANAGERS, 302), kwargs=_space, method="post"),
    # Riitta's booking: she (who booked it) and the managers cancel it.
    Row(
        "spaces:cancel",
        _to(MANAGERS, 302),
        kwargs=lambda c: {"pk": c.space_booking.pk},
        method="post",
    ),
    Row(
        "api:spaces-bookings",
        {"*": 404, "anonymous": 401, **{m: 200 for m in VIEWERS}},
        kwargs=lambda c: {"space_id": c.space.pk},
    ),
    # No body: 400 for those who may book, 404 for everyone else whatever they send.
    Row(
        "api:spaces-book",
        {"*": 404, "anonymous": 401, **{m: 400 for m in BOOKERS}},
        kwargs=lambda c: {"space_id": c.space.pk},
        method="post",
    ),
]
