"""Everything held about one student across the project, as one copy (LAW.md L-GDPR-3).

`collect` gathers the sections a data subject (or a minor's guardian) may see, reading the
welfare records through `records.reading.read_records` and logging every referral,
request and booking put into the copy through `records.reading.log_reads`, so the copy
itself appears in "who has read my data". The same sections feed the PDF and the JSON
file: each item is a list of (key, label, value) fields, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.access import privacy as scope
from opiskeluhuolto.appointments.reads import booking_read, request_read
from opiskeluhuolto.records.models import AccessLogEntry
from opiskeluhuolto.records.reading import Read, log_reads, read_records

#: The newest access-log rows put in the copy; the page "who has read my data" has them all.
LOG_ROWS = 1000


@dataclass
class Section:
    key: str
    title: str
    items: list[list[tuple[str, str, Any]]] = field(default_factory=list)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _messages(req) -> str:
    """The messages about a request (the request's own confidential words), oldest first."""
    return "\n".join(
        f"{m.sent_at:%d.%m.%Y %H:%M} {_name(m.author)}: {m.body}"
        for m in req.messages.select_related("author")
    )


def _item(obj, names: list[str], **extra) -> list[tuple[str, str, Any]]:
    """The named fields of a model instance, with choice fields as their labels."""
    fields = []
    for name in names:
        value = getattr(obj, name)
        display = getattr(obj, f"get_{name}_display", None)
        if display is not None and value not in (None, ""):
            value = display()
        fields.append((name, _label(type(obj), name), value))
    fields += [(k, label, v) for k, (label, v) in extra.items()]
    return fields


def _name(user) -> str:
    return user.display_name if user else ""


def collect(user, student, request=None) -> list[Section]:
    """The copy's sections for `student`, as `user` may see them (see `access.privacy`)."""
    from opiskeluhuolto.cases.models import Consent, Referral

    sections = [_person(student)]
    referrals = list(scope.referrals(user, student).select_related("referred_by"))
    sections.append(
        Section(
            "referrals",
            _("Contacts to student welfare"),
            [
                _item(
                    r,
                    [
                        "received_on",
                        "channel",
                        "with_student",
                        "reason",
                        "status",
                        "closing_reason",
                    ],
                    referred_by=(
                        _label(Referral, "referred_by"),
                        r.referrer_description or _name(r.referred_by),
                    ),
                )
                for r in referrals
            ],
        )
    )
    consents = scope.consents(user, student).prefetch_related("named_members")
    sections.append(
        Section(
            "consents",
            _("Consents"),
            [
                _item(
                    c,
                    ["kind", "given_by", "how", "given_on", "scope", "withdrawn_on"],
                    named_members=(
                        _label(Consent, "named_members"),
                        ", ".join(_name(m) for m in c.named_members.all()),
                    ),
                )
                for c in consents
            ],
        )
    )
    prohibitions = scope.prohibitions(user, student)
    sections.append(
        Section(
            "prohibitions",
            _("Prohibitions of the guardian's participation"),
            [
                _item(p, ["decided_on", "reason", "assessor_profession", "lifted_at"])
                for p in prohibitions
            ],
        )
    )
    sections.append(_cases(user, student, request))
    requests = list(scope.appointment_requests(user, student))
    bookings = list(scope.bookings(user, student).select_related("professional"))
    sections.append(
        Section(
            "appointment_requests",
            _("Appointment requests"),
            [
                _item(
                    r,
                    ["request_day", "service", "requested_by", "channel", "deadline", "status"]
                    + ["close_reason", "topic", "topic_text"],
                    messages=(_("messages about the request"), _messages(r)),
                )
                for r in requests
            ],
        )
    )
    sections.append(
        Section(
            "bookings",
            _("Appointments"),
            [
                _item(
                    b,
                    ["starts_at", "service", "mode", "place", "meeting_link", "status"],
                    professional=(_("professional"), _name(b.professional)),
                )
                for b in bookings
            ],
        )
    )
    sections += _school_data(student)
    sections.append(_data_requests(student))
    sections.append(_access_log(user, student))
    log_reads(
        user,
        [
            *[
                Read(
                    AccessLogEntry.Subject.REFERRAL,
                    r.pk,
                    r.student_id,
                    r.institution_id,
                    made_by_id=r.referred_by_id,
                )
                for r in referrals
            ],
            *[request_read(r) for r in requests],
            *[booking_read(b) for b in bookings],
        ],
        purpose="access copy",
        request=request,
        action=AccessLogEntry.Action.PRINT,
    )
    return sections


def _person(student) -> Section:
    names = ["first_name", "last_name", "date_of_birth", "hetu", "oppijanumero"]
    names += ["home_municipality", "email", "phone", "address", "status"]
    item = _item(student, names)
    item.append(("institution", _("institution"), str(student.institution)))
    if student.group_id:
        item.append(("group", _("group"), str(student.group)))
    return Section("student", _("The student"), [item])


def _cases(user, student, request) -> Section:
    """The cases with their records, read (and logged) through the register's gate."""
    from opiskeluhuolto.cases.models import Case

    views = read_records(
        user,
        student,
        purpose="access copy",
        request=request,
        action=AccessLogEntry.Action.PRINT,
    )
    items = []
    for view in views:
        case = view.case
        entries = []
        for e in view.entries:
            text = "\n".join(
                v for v in [e.text, e.decisions, e.plan, e.implementers, e.followers] if v
            )
            amendments = [
                f"{_('Amendment')} {a.created_at:%d.%m.%Y} ({a.author_name}): {a.text} – {a.reason}"
                for a in e.amendment_list  # type: ignore[attr-defined]  # set by records.reading
            ]
            entries.append(
                {
                    "written_at": e.created_at,
                    "author": f"{e.author_name}, {e.author_profession}",
                    "kind": e.get_kind_display(),
                    "text": "\n".join([text, *amendments]),
                }
            )
        items.append(
            [
                ("opened_on", _label(Case, "opened_on"), case.opened_on),
                ("closed_on", _label(Case, "closed_on"), case.closed_on),
                ("subject", _label(Case, "subject"), view.record.subject),
                (
                    "background",
                    _label(Case, "background"),
                    view.record.background or _("not recorded"),
                ),
                ("status", _label(Case, "status"), case.get_status_display()),
                ("entries", _("Entries"), entries),
                (
                    "disclosures",
                    _("Disclosures"),
                    [
                        f"{d.disclosed_at:%d.%m.%Y}: {d.recipient} – {d.data_items}"
                        for d in view.disclosures or []
                    ],
                ),
                (
                    "rectification_requests",
                    _("Rectification requests"),
                    [
                        f"{r.requested_at:%d.%m.%Y}: {r.text} ({r.get_status_display()})"
                        for r in view.rectifications or []
                    ],
                ),
            ]
        )
    return Section("cases", _("Cases and the student welfare record"), items)


def _school_data(student) -> list[Section]:
    """Absence summaries and early-warning tasks: the school's own data about the student."""
    from opiskeluhuolto.imports.models import WeeklyAbsence
    from opiskeluhuolto.insights.models import CareTask

    weeks = WeeklyAbsence.objects.filter(student_id=student.pk).order_by("-week")
    tasks = CareTask.objects.filter(student_id=student.pk).select_related("step")
    return [
        Section(
            "absences",
            _("Absences by week"),
            [
                [
                    ("week", _("week (Monday)"), w.week),
                    ("lessons", _("lessons"), w.lessons),
                    ("unexplained", _("unexplained absences"), w.unexplained),
                    ("health", _("absences for health reasons"), w.health),
                    ("excused", _("other excused absences"), w.excused),
                ]
                for w in weeks
            ],
        ),
        Section(
            "care_tasks",
            _("Early-warning care conversations"),
            [
                _item(t, ["triggered_on", "status", "value", "conversation_on", "agreed"])
                + [("step", _("step"), str(t.step))]
                for t in tasks
            ],
        ),
    ]


def _data_requests(student) -> Section:
    from .models import DataRequest

    rows = DataRequest.objects.filter(student=student).order_by("-requested_on", "-pk")
    return Section(
        "data_requests",
        _("Data requests"),
        [_item(r, ["kind", "requested_on", "due_on", "status", "answered_at"]) for r in rows],
    )


def _access_log(user, student) -> Section:
    rows = AccessLogEntry.objects.filter(student_id_ref=student.pk)
    case_ids = scope.visible_case_ids(user, student)
    if case_ids is not None:
        rows = rows.filter(case_id_ref__in=case_ids)
    rows = rows.order_by("-chain", "-seq")[:LOG_ROWS]
    return Section(
        "access_log",
        _("Who has read the data"),
        [
            _item(r, ["at", "actor_name", "actor_role", "action", "basis", "subject_kind"])
            for r in rows
        ],
    )


def plain(value):
    """A value for the JSON file."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def as_json(student, sections: list[Section]) -> dict:
    return {
        "generated_at": timezone.now().isoformat(),
        "controller": str(student.institution.provider),
        "sections": {
            s.key: [{key: plain(value) for key, _label, value in item} for item in s.items]
            for s in sections
        },
    }


def shown(value) -> str:
    """A value for the PDF, in Finnish notation."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        at = timezone.localtime(value)
        return f"{at.day}.{at.month}.{at.year} {at:%H:%M}"
    if isinstance(value, date):
        return f"{value.day}.{value.month}.{value.year}"
    return str(value)
