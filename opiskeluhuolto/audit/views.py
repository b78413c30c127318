"""The audit trail of access rules for the provider admin, and its CSV export for the
data protection officer (ARCHITECTURE.md decision 10). Read-only: nothing here writes."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.access import audit as access_audit
from opiskeluhuolto.accounts.reconfirm import second_factor_recently_confirmed
from opiskeluhuolto.lib.csvexport import csv_response

from .forms import EventFilterForm

PAGE_SIZE = 50


def _filtered(request):
    """(form, events): the reader's events, filtered when the form is valid, none when not."""
    scope = access_audit.events_scope(request.user)
    actors = (
        scope.exclude(actor_id=None)
        .order_by("actor_name", "actor_id")
        .values_list("actor_id", "actor_name")
        .distinct()
    )
    form = EventFilterForm(
        request.GET or None,
        providers=access_audit.readable_providers(request.user),
        actors=list(actors),
    )
    if not request.GET:
        return form, scope
    if not form.is_valid():
        return form, scope.none()
    return form, form.filter(scope)


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


@access_audit.reader
def events(request):
    form, rows = _filtered(request)
    page = Paginator(rows.order_by("-at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    names = access_audit.student_names(request.user, [e.student_id_ref for e in page])
    for event in page:
        event.student_name = names.get(event.student_id_ref, "–")
        event.before_text, event.after_text = _json(event.before), _json(event.after)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/events.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@access_audit.reader
@second_factor_recently_confirmed  # the file names people and students, as other exports
def export(request):
    form, rows = _filtered(request)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "page": Paginator(rows, PAGE_SIZE).get_page(1), "query": ""}
        return render(request, "audit/events.html", context, status=400)
    header = [
        _("Time"),
        _("Provider"),
        _("User id"),
        _("Who"),
        _("Made in"),
        _("Change"),
        _("Object type"),
        _("Object id"),
        _("Student number"),
        _("Before"),
        _("After"),
    ]
    kinds, sources = dict(rows.model.Kind.choices), dict(rows.model.Source.choices)
    lines = (
        [
            timezone.localtime(e.at).isoformat(timespec="seconds"),
            e.provider_id_ref,
            e.actor_id or "",
            e.actor_name,
            str(sources.get(e.source, e.source)),
            str(kinds.get(e.kind, e.kind)),
            e.object_type,
            e.object_id,
            e.student_id_ref or "",
            _json(e.before),
            _json(e.after),
        ]
        for e in rows.order_by("at", "pk").iterator(chunk_size=2000)
    )
    stamp = timezone.localdate().isoformat()
    return csv_response(f"audit-trail-{stamp}.csv", header, lines)
