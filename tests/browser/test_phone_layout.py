"""No page scrolls sideways on a 375 px phone: wide tables scroll inside their own box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

PHONE = {"width": 375, "height": 812}


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize(
    ("username", "paths"),
    [
        # A long online-event link in the calendar's list; hidden cell texts in a table; a long
        # Finnish compound in a heading (the plans).
        ("opiskelija", ["/events/calendar/", "/appointments/"]),
        (
            "rehtori",
            ["/procedures/", "/procedures/safety/", "/spaces/1/usage/", "/meetings/plans/"],
        ),
        # A filter select as wide as its longest option.
        ("admin", ["/audit/events/"]),
    ],
)
def test_pages_fit_a_phone(demo, sign_in, page, live_server, screenshot, username, paths):
    page.set_viewport_size(PHONE)
    sign_in(username)
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        assert _page_width(page) <= PHONE["width"], path
        screenshot(f"phone-layout-{username}{path.replace('/', '-').rstrip('-')}")
        caption = page.locator("main table.data caption")
        if caption.count():  # a caption shows at the table's start, not centred out of sight
            expect(caption.first).to_be_in_viewport()


def test_the_staff_work_list_does_not_scroll_sideways_on_a_phone(
    demo, sign_in, page, live_server, screenshot, axe
):
    """Neither the page nor its tables: each request and booking is a card whose cells
    carry their column's name, the deadline and the status in sight."""
    page.set_viewport_size(PHONE)
    sign_in("kuraattori")
    page.goto(f"{live_server.url}/appointments/work/")
    assert _page_width(page) <= PHONE["width"]
    boxes = page.locator("main .table-wrap")
    assert boxes.count() >= 2
    for i in range(boxes.count()):
        box = boxes.nth(i)
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), i
    deadline = page.locator("main table.work-list td[data-label='Määräaika']").first
    deadline.scroll_into_view_if_needed()
    expect(deadline).to_be_in_viewport(ratio=1)
    right = deadline.evaluate("td => td.getBoundingClientRect().right")
    assert right <= PHONE["width"]
    assert axe() == []
    screenshot("phone-layout-kuraattori-work-list")
