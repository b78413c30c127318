"""The entries of a welfare record as HTML, built in Python (the case page's list).

The list was a template (`records/_entries.html`): ten entries of an expert group's
meetings, each with eight labels, three dates and two role filters, took about 2.5 ms of
the case page's 10 ms of CPU (bench/README.md, "Own work lists, and the case page's
entries"), a quarter of the page, in the template language's per-value lookups. Here each
entry is one string: every value (names, texts, roles, labels) is escaped with the
standard library's `escape` (which Django's wraps), only the constant markup is literal,
and the labels are the template's msgids, translated once per list, so the page reads the
same in every language. The dates are formatted as the `date` filter does (in local time).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from opiskeluhuolto.lib.urls import pk_urls

from .log import role_label


def _esc(value) -> str:
    """A value as `{{ value }}` prints it, escaped."""
    return escape(str(value))


def _day(value) -> str:
    """`value|date:"j.n.Y"` (empty for no date)."""
    return date_format(value, "j.n.Y") if value else ""


def _moment(value) -> str:
    """`value|date:"j.n.Y H:i"` of a time, in local time."""
    return date_format(timezone.localtime(value), "j.n.Y H:i") if value else ""


def _field(item, name: str):
    """`{{ item.name }}` of a participant: a dict's key or an attribute, "" if missing."""
    if isinstance(item, dict):
        return item.get(name, "")
    return getattr(item, name, "")


def entries_html(entries: Iterable, can_edit: bool) -> SafeString:
    """The record's entries (each with its `amendment_list`), oldest first, as a list; the
    link to amend each when `can_edit`."""
    entries = list(entries)
    if not entries:
        return SafeString(f'<p class="muted">{_esc(gettext("Nothing has been recorded yet."))}</p>')
    label = {
        key: _esc(gettext(msgid))
        for key, msgid in (
            ("meeting_date", "Meeting date"),
            ("present", "Present"),
            ("decisions", "Decisions"),
            ("plan", "Plan"),
            ("carried_out_by", "Carried out by"),
            ("followed_up_by", "Followed up by"),
            ("follow_up", "Follow-up date"),
            ("amendment", "Amendment"),
            ("reason", "Reason"),
            ("amend", "Amend"),
        )
    }
    amend_url = pk_urls("records:amend") if can_edit else None
    out = ['<ol class="entries">']
    for e in entries:
        out.append(
            f'<li class="entry" id="entry-{int(e.pk)}"><p class="entry__meta"><strong>'
            f"{_esc(e.get_kind_display())}</strong> · {_esc(_moment(e.created_at))} · "
            f"{_esc(e.author_name)}, {_esc(role_label(e.author_profession or ''))}</p>"
        )
        if e.kind == "meeting":
            present = ", ".join(
                f"{_esc(_field(p, 'name'))} ({_esc(role_label(_field(p, 'position') or ''))})"
                for p in (e.participants or ())
            )
            out.append(
                f'<dl class="facts"><dt>{label["meeting_date"]}</dt>'
                f"<dd>{_esc(_day(e.meeting_date))}</dd>"
                f"<dt>{label['present']}</dt><dd>{present}</dd>"
                f'<dt>{label["decisions"]}</dt><dd class="prewrap">{_esc(e.decisions)}</dd>'
                f'<dt>{label["plan"]}</dt><dd class="prewrap">{_esc(e.plan)}</dd>'
                f"<dt>{label['carried_out_by']}</dt><dd>{_esc(e.implementers)}</dd>"
                f"<dt>{label['followed_up_by']}</dt><dd>{_esc(e.followers)}</dd>"
            )
            if e.follow_up_on:
                out.append(f"<dt>{label['follow_up']}</dt><dd>{_esc(_day(e.follow_up_on))}</dd>")
            out.append("</dl>")
            if e.text:
                out.append(f'<p class="prewrap">{_esc(e.text)}</p>')
        else:
            out.append(f'<p class="prewrap">{_esc(e.text)}</p>')
            if e.follow_up_on:
                out.append(f"<p>{label['follow_up']}: {_esc(_day(e.follow_up_on))}</p>")
        for a in getattr(e, "amendment_list", ()):
            out.append(
                f'<div class="amendment"><p class="entry__meta"><strong>{label["amendment"]}'
                f"</strong> · {_esc(_moment(a.created_at))} · {_esc(a.author_name)}, "
                f"{_esc(role_label(a.author_profession or ''))}</p>"
                f'<p class="prewrap">{_esc(a.text)}</p>'
                f'<p class="muted">{label["reason"]}: {_esc(a.reason)}</p></div>'
            )
        if amend_url:
            out.append(f'<p><a href="{amend_url(e.pk)}">{label["amend"]}</a></p>')
        out.append("</li>")
    out.append("</ol>")
    return SafeString("".join(out))
