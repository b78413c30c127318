"""The rows of the booking lists as HTML, built in Python: the one definition of a work-list
row, a booking's place and a booking's actions.

The work list shows up to 80 rows (50 open requests, 30 bookings). Rendered through the
template language, with two includes, two `{% csrf_token %}` and a filter per booking, the
rows took about half of the page's CPU (bench/README.md, "The staff work list rendered in
Python"). Here each row is one `_html` (`format_html`'s rule): every value, from the
database, the user or the translations (names, places, links, labels), is escaped, and
only the constant markup here is literal. The labels are translated once per page (`_Labels`) with
the msgids the templates had, so the translations are the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from html import escape

from django.middleware.csrf import get_token
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from opiskeluhuolto.lib.urls import pk_urls

from .display import BookingRow, RequestRow, format_local

#: The URL names the rows link to, each taking the row's key.
_LINKS = ("request_detail", "booking_meeting", "booking_ics", "rebook", "cancel", "booking_held")


def _html(template: str, *args) -> SafeString:
    """`_html(template, *args)`: each argument escaped as `conditional_escape` does
    (HTML already made is kept, anything else escaped), without Django's `escape` and its
    wrapper for lazy text, which were a third of the rows' cost."""
    return SafeString(
        template.format(*[a.__html__() if hasattr(a, "__html__") else escape(str(a)) for a in args])
    )


class Labels:
    """The lists' fixed words, in the active language, translated once per page, and their
    links' URLs, reversed once per page (`lib.urls.pk_urls`)."""

    def __init__(self) -> None:
        self.url = {name: pk_urls(f"appointments:{name}") for name in _LINKS}

    @cached_property
    def urgent(self) -> str:
        return gettext("urgent")

    @cached_property
    def request(self) -> str:
        return gettext("request")

    @cached_property
    def change_meeting(self) -> str:
        return gettext("Change how you meet")

    @cached_property
    def join(self) -> str:
        return gettext("Join the remote meeting")

    @cached_property
    def new_window(self) -> str:
        return gettext("opens in a new window")

    @cached_property
    def add_to_calendar(self) -> str:
        return gettext("Add to calendar")

    @cached_property
    def move(self) -> str:
        return gettext("Move")

    @cached_property
    def cancel(self) -> str:
        return gettext("Cancel")

    @cached_property
    def mark_held(self) -> str:
        return gettext("Mark held")

    @cached_property
    def request_columns(self) -> tuple[str, ...]:
        """The work list's request columns, as its header names them: each cell carries its
        column's name (`data-label`), which a phone shows above the cell when the rows
        stack as cards (appointments.css)."""
        return (
            gettext("Student"),
            gettext("Topic"),
            gettext("Service"),
            gettext("Asked on"),
            gettext("Deadline"),
            gettext("Status"),
        )

    @cached_property
    def booking_columns(self) -> tuple[str, ...]:
        return (
            gettext("Time"),
            gettext("Student"),
            gettext("With"),
            gettext("How and where"),
            gettext("Actions"),
        )

    def messages(self, n: int) -> str:
        return ngettext("%(n)s message", "%(n)s messages", n) % {"n": n}


def csrf_input(request) -> SafeString:
    """The form field `{% csrf_token %}` writes, with the request's token."""
    return _html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))


def where_html(b: BookingRow, labels: Labels) -> SafeString:
    """How and where the meeting is held, and the link of a remote one."""
    if not b.link:
        return _html("{}", b.where)
    # The link is the user's text: `_html` escapes it into the attribute.
    return _html(
        '{}<br><a href="{}" rel="noopener noreferrer" target="_blank">{}'
        '<span class="visually-hidden"> ({})</span></a>',
        b.where,
        b.link,
        labels.join,
        labels.new_window,
    )


def booking_actions_html(b: BookingRow, labels: Labels, csrf: SafeString) -> SafeString:
    """Add to calendar, move, cancel."""
    return _html(
        '<div class="row-actions"><a href="{}">{}</a> <a href="{}">{}</a> '
        '<form method="post" action="{}">{}<button type="submit" class="link-button">{}'
        '<span class="visually-hidden"> {}</span></button></form></div>',
        labels.url["booking_ics"](b.pk),
        labels.add_to_calendar,
        labels.url["rebook"](b.pk),
        labels.move,
        labels.url["cancel"](b.pk),
        csrf,
        labels.cancel,
        format_local(b.starts_at, "j.n. H.i"),
    )


def work_request_rows(rows: Iterable[RequestRow], labels: Labels) -> list[SafeString]:
    """The open requests of the work list, a `<tr>` each."""
    out = []
    for r in rows:
        urgent = (
            _html(' <span class="badge badge--danger">{}</span>', labels.urgent) if r.urgent else ""
        )
        messages = (
            _html('<br><span class="badge">{}</span>', labels.messages(r.messages))
            if r.messages
            else ""
        )
        col = labels.request_columns
        out.append(
            _html(
                '<tr class="deadline-row deadline-row--{}"><td data-label="{}"><a href="{}">{}</a>'
                '{}</td><td data-label="{}">{}{}</td><td data-label="{}">{}</td>'
                '<td data-label="{}">{}<br><span class="muted">{}, {}</span></td>'
                '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>',
                r.flag,
                col[0],
                labels.url["request_detail"](r.pk),
                r.student,
                urgent,
                col[1],
                r.topic or "–",
                messages,
                col[2],
                r.service,
                col[3],
                r.asked_on,
                r.requested_by,
                r.channel,
                col[4],
                r.deadline_html,
                col[5],
                r.status,
            )
        )
    return out


def work_booking_rows(
    bookings: Iterable[BookingRow], labels: Labels, csrf: SafeString, now: datetime
) -> list[SafeString]:
    """The bookings of the work list, a `<tr>` each; a started one can be marked held."""
    out = []
    for b in bookings:
        request = (
            _html(
                ' · <a href="{}">{}</a>', labels.url["request_detail"](b.request_id), labels.request
            )
            if b.request_id
            else ""
        )
        held = (
            _html(
                '<form method="post" action="{}">{}<button type="submit" class="link-button">'
                "{}</button></form>",
                labels.url["booking_held"](b.pk),
                csrf,
                labels.mark_held,
            )
            if b.starts_at <= now
            else ""
        )
        col = labels.booking_columns
        out.append(
            _html(
                '<tr><td data-label="{}">{}</td><td data-label="{}">{}{}</td>'
                '<td data-label="{}">{}</td><td data-label="{}">{}<br><a href="{}">{}'
                '<span class="visually-hidden"> {}</span></a></td>'
                '<td data-label="{}">{}{}</td></tr>',
                col[0],
                b.time,
                col[1],
                b.student,
                request,
                col[2],
                b.professional,
                col[3],
                where_html(b, labels),
                labels.url["booking_meeting"](b.pk),
                labels.change_meeting,
                b.time,
                col[4],
                booking_actions_html(b, labels, csrf),
                held,
            )
        )
    return out
