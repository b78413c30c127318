"""Who reaches the annual clock's pages. The clock is the provider's; the lukio's welfare
group follows it (meetings/tests/matrix.py links it), so its external member and
student representative see it too."""

from opiskeluhuolto.access.matrix import Row

STAFF = (
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
    "outsider",
)
# Provider staff (not external members, who need a group) and the members of a following group.
CLOCK_VIEWERS = (
    "student",
    "admin",
    "rehtori",
    "kuraattori",
    "kuraattori_out",
    "psykologi",
    "nurse",
    "teacher",
    "supervisor",
    "external",
)


def viewers(status=200, anonymous=302):
    return {"*": 404, "anonymous": anonymous, **{m: status for m in CLOCK_VIEWERS}}


def setup(cast):
    from opiskeluhuolto.annualclock import actions

    admin = cast.users["admin"]
    cast.clock = actions.create_clock(
        by=admin, provider=cast.provider, name="Testilän vuosikello", kind="welfare"
    )
    cast.clock_item = actions.add_item(
        cast.clock,
        by=admin,
        title="Huoltajakysely",
        type="survey",
        kind="weeks",
        first_week=43,
        last_week=44,
    )
    cast.feed_token = actions.create_feed(cast.users["kuraattori"], cast.clock)


ROWS = [
    Row("annualclock:clock_new", {"*": 404, "anonymous": 302, "admin": 200}),
    Row("annualclock:clocks", {"*": 404, "anonymous": 302, **{m: 200 for m in STAFF}}),
    Row("annualclock:clock", viewers(), kwargs=lambda c: {"pk": c.clock.pk}),
    Row("annualclock:months", viewers(), kwargs=lambda c: {"pk": c.clock.pk}),
    Row("annualclock:item", viewers(), kwargs=lambda c: {"pk": c.clock_item.pk}),
    # Only the provider admin manages the provider's clock; a principal adapts it for the unit.
    Row(
        "annualclock:item_add",
        {"*": 404, "anonymous": 302, "admin": 200},
        kwargs=lambda c: {"pk": c.clock.pk},
    ),
    Row(
        "annualclock:item_edit",
        {"*": 404, "anonymous": 302, "admin": 200},
        kwargs=lambda c: {"pk": c.clock_item.pk},
    ),
    Row(
        "annualclock:item_adapt",
        {"*": 404, "anonymous": 302, "admin": 200, "rehtori": 200},
        kwargs=lambda c: {"pk": c.clock_item.pk},
    ),
    Row("annualclock:feeds", viewers(), kwargs=lambda c: {"pk": c.clock.pk}),
    Row(
        "annualclock:feed_revoke",
        {"*": 405, "anonymous": 302},
        kwargs=lambda c: {"pk": c.feed_token.pk},
    ),
    # Only the owner of the address can end it.
    Row(
        "annualclock:feed_revoke",
        {"*": 404, "anonymous": 302, "kuraattori": 302},
        kwargs=lambda c: {"pk": c.feed_token.pk},
        method="post",
    ),
    Row("annualclock:feed", {"*": 200}, kwargs=lambda c: {"token": c.feed_token.token}),
    Row("api:annualclock-clocks", {"*": 404, "anonymous": 401, **{m: 200 for m in STAFF}}),
    Row(
        "api:annualclock-occurrences",
        viewers(anonymous=401),
        kwargs=lambda c: {"clock_id": c.clock.pk},
        data=lambda c: {"start": "2026-08-01", "end": "2027-07-31"},
    ),
]
