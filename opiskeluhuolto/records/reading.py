"""The ONLY way to read the welfare register (ARCHITECTURE.md §2, LAW.md L-906-1).

`read_records` checks `for_user(user).read_records(case)` and writes one
access-log row per record in the same transaction before returning the
content. The case page, the PDF copy and the API all call it; an
architecture test fails if anything else queries records.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.access.cases import cases_visible_to
from opiskeluhuolto.access.identification import require_for_basis
from opiskeluhuolto.access.permissions import Permissions
from opiskeluhuolto.cases.models import Case
from opiskeluhuolto.lib import compiled
from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES, Institution, Student

from . import log
from .models import (
    AccessLogEntry,
    Amendment,
    RecordEntry,
    RectificationRequest,
    WelfareRecord,
)


@dataclass
class RecordView:
    """What a reader gets: the record, its entries with amendments, disclosures, requests.

    Each entry's amendments, oldest first, are in its `amendment_list`. `disclosures` and
    `rectifications` are None when the reader did not ask for them."""

    case: Case
    record: WelfareRecord
    basis: str
    entries: list[RecordEntry] = field(default_factory=list)
    disclosures: list | None = field(default_factory=list)
    rectifications: list | None = field(default_factory=list)


def _rows(model, sql: str, *params) -> list:
    """`Model.objects.raw`, with the column layout worked out once (`lib.compiled.raw`)."""
    return compiled.raw(model, sql, params)


def _load(case: Case, basis: str, *, disclosures: bool, rectifications: bool) -> RecordView | None:
    """The case's record and the parts asked for; None when the case has no record yet.

    One plain SQL query per part through `Model.objects.raw`, which still gives model
    instances with their text decrypted: every read of a case pays for these, and building
    the same queries through the ORM (with a `Prefetch` for the amendments) cost several
    times more than running them. The amendments go to their entries' `amendment_list`."""
    found = _rows(WelfareRecord, "SELECT * FROM records_welfarerecord WHERE case_id = %s", case.pk)
    if not found:
        return None
    record = found[0]
    record.case = case  # the log row names the case and student: no second query
    entries = _rows(
        RecordEntry,
        "SELECT * FROM records_recordentry WHERE record_id = %s ORDER BY created_at, id",
        record.pk,
    )
    by_pk = {}
    for entry in entries:
        entry.amendment_list = []
        by_pk[entry.pk] = entry
    if entries:
        amendments = _rows(
            Amendment,
            "SELECT a.* FROM records_amendment a JOIN records_recordentry e ON e.id = a.entry_id"
            " WHERE e.record_id = %s ORDER BY a.created_at, a.id",
            record.pk,
        )
        for amendment in amendments:
            by_pk[amendment.entry_id].amendment_list.append(amendment)
    requests = (
        _rows(
            RectificationRequest,
            "SELECT * FROM records_rectificationrequest WHERE record_id = %s"
            " ORDER BY requested_at DESC, id DESC",
            record.pk,
        )
        if rectifications
        else None
    )
    return RecordView(
        case=case,
        record=record,
        basis=basis,
        entries=entries,
        disclosures=list(record.disclosures.select_related("consent")) if disclosures else None,
        rectifications=requests,
    )


def read_records(
    user,
    target: Case | Student,
    purpose: str,
    request=None,
    action: str = AccessLogEntry.Action.READ,
    *,
    disclosures: bool = True,
    rectifications: bool = True,
) -> list[RecordView]:
    """The records of one case, or all the records of a student the user may read.

    Raises Http404 when the user may not read a named case (missing and forbidden
    alike), and StrongIdentificationRequired when a student or guardian reads in a
    session that was not identified strongly (LAW.md L-306-4; without a request, never
    strong). Each returned record has been logged as read. A page that shows no
    disclosures or rectification requests says so with `disclosures=False` or
    `rectifications=False`, and those are not loaded (None in the view).
    """
    # A fresh resolver, not the per-request cache: this is the gate of the register, and a
    # membership may have ended earlier in the same request or test.
    can = Permissions(user)
    if isinstance(target, Case):
        cases = [target]
    else:
        cases = list(cases_visible_to(user).filter(student=target).select_related("institution"))
    views, rows = [], []
    # A read writes nothing but its log rows. On PostgreSQL, outside a transaction, those
    # rows are one INSERT committing by itself (`log.can_write_alone`), after the reads: the
    # content is returned only once they are chained and durable, as with a transaction,
    # but without its BEGIN and COMMIT round trips (issue 21, item 3). Under READ
    # COMMITTED a transaction around the reads would not make them see one snapshot.
    alone = log.can_write_alone()
    with contextlib.nullcontext() if alone else transaction.atomic():
        for case in cases:
            basis = can.read_records(case)
            if basis is None:
                raise Http404
            require_for_basis(request, basis)
            view = _load(case, basis, disclosures=disclosures, rectifications=rectifications)
            if view is None:
                continue
            views.append(view)
            rows.append(
                log.row_for(
                    user,
                    action=action,
                    basis=basis,
                    purpose=purpose,
                    record=view.record,
                    request=request,
                )
            )
        # Last, when everything has been read (on SQLite the log's write makes other
        # readers wait until the commit; PostgreSQL chains the rows as it commits).
        log.write(rows, alone=alone)
    return views


def read_record(
    user,
    case: Case,
    purpose: str,
    request=None,
    action: str = AccessLogEntry.Action.READ,
    **parts: bool,
):
    """One case's record through `read_records`; None when the case has no record yet."""
    views = read_records(user, case, purpose, request=request, action=action, **parts)
    return views[0] if views else None


def log_case_list(
    user,
    cases: list[Case],
    purpose: str,
    request=None,
    action: str = AccessLogEntry.Action.READ,
) -> None:
    """A list naming cases by their subject shows part of each record: one read row each
    (LAW.md L-906-1), with the basis the register's gate gives."""
    if not cases:
        return
    from .models import WelfareRecord

    can = Permissions(user)
    records = {
        r.case_id: r for r in WelfareRecord.objects.filter(case__in=cases).select_related("case")
    }
    rows = []
    for case in cases:
        basis = can.read_records(case)
        if basis is None or case.pk not in records:
            continue
        rows.append(
            log.row_for(
                user,
                action=action,
                basis=basis,
                purpose=purpose,
                record=records[case.pk],
                request=request,
            )
        )
    log.write_use(rows)


@dataclass(frozen=True)
class Read:
    """One document of a student's confidential matters that is not a welfare record, as
    the log names it: a referral, an appointment request or booking (LAW.md L-906-1)."""

    kind: str  # AccessLogEntry.Subject
    pk: int
    student_id: int
    institution_id: int
    made_by_id: int | None = None  # who made the contact, when it was a signed-in person


def log_reads(
    user,
    reads: list[Read],
    purpose: str,
    request=None,
    action: str = AccessLogEntry.Action.READ,
) -> None:
    """Log reads of referrals, appointment requests and bookings through the register's log
    (LAW.md L-906-1, L-906-8): one chained row each, in the caller's transaction or one of
    its own. The caller has fetched the documents through `access` (which decided that the
    user may see them); this names the basis the log shows: own data, guardian, the
    welfare staff of the student's institution, the person who made the contact, or the
    register admin."""
    if not reads:
        return
    from opiskeluhuolto.access import for_user

    # The request's resolver is enough here: access was decided by the fetch, and this
    # only names the basis. Institutions are loaded only for a staff member's roles.
    can = for_user(user)
    institutions = _Institutions(can)
    roles: dict[tuple[int, int], str] = {}
    rows = []
    for r in reads:
        institution = institutions[r.institution_id]
        key = (r.institution_id, r.student_id)
        if key not in roles:
            roles[key] = log.role_at(user, institution, r.student_id)
        rows.append(
            log.subject_row(
                user,
                kind=r.kind,
                subject_id=r.pk,
                student_id=r.student_id,
                role=roles[key],
                basis=_basis(can, institution, r),
                purpose=purpose,
                action=action,
                request=request,
            )
        )
    log.write_use(rows)


class _Institutions(dict):
    """Institution id → a stand-in with `pk` and a `provider_id` read only when asked (the
    roles of a staff member), and kept with the permission facts: a student's or
    guardian's page reads no institution, a staff page reads each once per facts token."""

    def __init__(self, can):
        super().__init__()
        self.can = can

    def __missing__(self, pk: int):
        entry = self[pk] = _LazyInstitution(self.can, pk)
        return entry


class _LazyInstitution:
    def __init__(self, can, pk: int):
        self.can, self.pk = can, pk

    @cached_property
    def provider_id(self) -> int:
        from opiskeluhuolto.access import facts

        return facts.cached(
            self.can,
            f"institution-provider:{self.pk}",
            lambda: Institution.objects.values_list("provider_id", flat=True).get(pk=self.pk),
        )


def _basis(can: Permissions, institution, read: Read) -> str:
    own = can.own_student
    if own is not None and own.pk == read.student_id:
        return AccessLogEntry.Basis.OWN_DATA
    if read.student_id in can.guarded_student_ids:
        return AccessLogEntry.Basis.GUARDIAN
    if can.roles_at(institution) & WELFARE_PROFESSIONAL_ROLES:
        return AccessLogEntry.Basis.WELFARE_STAFF
    if read.made_by_id is not None and read.made_by_id == can.user.pk:
        return AccessLogEntry.Basis.REFERRER
    if can.is_register_admin(institution.provider_id):
        return AccessLogEntry.Basis.REGISTER_ADMIN
    return AccessLogEntry.Basis.WELFARE_STAFF


READERS_SHOWN = 100

#: Why someone could read, in the words of a student or a guardian ("who has read my data"
#: is theirs; the register's own terms stay on the staff's review pages).
PLAIN_BASIS = {
    AccessLogEntry.Basis.MEMBERSHIP: _("works on the matter with the student"),
    AccessLogEntry.Basis.REGISTER_ADMIN: _("checks that the data are used lawfully"),
    AccessLogEntry.Basis.OWN_DATA: _("the student themselves"),
    AccessLogEntry.Basis.GUARDIAN: _("guardian"),
    AccessLogEntry.Basis.WELFARE_STAFF: _("welfare staff of the school"),
    AccessLogEntry.Basis.REFERRER: _("contacted the welfare staff about the student"),
}


@dataclass(frozen=True)
class LogRow:
    """One event as "who has read my data" shows it: plain values, cheap to render by the
    hundred (a model instance and the `date` filter per row cost more than the query)."""

    at: datetime
    actor_name: str
    actor_role: str
    basis_label: str
    action_label: str
    subject_label: str = ""

    @property
    def when(self) -> str:
        at = timezone.localtime(self.at)
        return f"{at.day}.{at.month}.{at.year} {at:%H:%M}"


def readers_of(
    student: Student, *, exclude_user=None, case_ids=None
) -> tuple[list[LogRow], list[dict]]:
    """'Who has read my data' (LAW.md L-906-8): the latest log rows about one student, and a
    summary of every reader over the whole history (name, role, how many times, last time).

    The rows are capped so the page stays fast however long the log grows; the summary
    covers everything. `case_ids` limits both to the matters the viewer may see (L-18-1).
    """
    rows = AccessLogEntry.objects.filter(student_id_ref=student.pk)
    if exclude_user is not None:
        rows = rows.exclude(actor_id=exclude_user.pk)
    if case_ids is not None:
        rows = rows.filter(case_id_ref__in=case_ids)
    # The labels translated once, not per row.
    basis = {value: str(label) for value, label in AccessLogEntry.Basis.choices}
    basis.update({value: str(label) for value, label in PLAIN_BASIS.items()})
    action = {value: str(label) for value, label in AccessLogEntry.Action.choices}
    subject = {value: str(label) for value, label in AccessLogEntry.Subject.choices}
    # Newest first in the chain's order, along the index (student, chain, seq). A student's
    # rows are in their own chain, after any in their provider's and in chain 0 (logged
    # before the splits; `chain.STUDENT_CHAINS`).
    latest = [
        LogRow(at, name, role, basis.get(b, b), action.get(a, a), subject.get(k, k))
        for at, name, role, b, a, k in rows.order_by("-chain", "-seq").values_list(
            "at", "actor_name", "actor_role", "basis", "action", "subject_kind"
        )[:READERS_SHOWN]
    ]
    ids = None if case_ids is None else sorted(case_ids)
    summary = _reader_summary(rows, f"{student.pk}:{exclude_user and exclude_user.pk}:{ids}")
    return latest, summary


def _reader_summary(rows, key: str) -> list[dict]:
    """Per reader: name, role, how many times, the last time; newest first.

    Counted once, then carried forward: the cache keeps the counts up to the last
    (chain, seq) seen, and each view counts only the rows after it (index (student, chain,
    seq)), so the cost stays flat however long a student's log grows. Sound because the
    log is append-only, a student's rows are in their own chain (after any in their
    provider's and in chain 0, logged before the splits), and `seq` is given under the chain's lock that
    the appending transaction holds until it commits: when a row is visible, every row
    with a smaller `seq` in its chain is visible too.
    """
    key = f"log-readers:{key}"
    cached = cache.get(key)
    readers: dict[tuple[str, str], tuple[int, datetime]] = {}
    upto: tuple[int, int] = (0, 0)
    if cached and isinstance(cached[0], tuple):  # not a count from before the chains split
        upto, readers = cached
    after = Q(chain__gt=upto[0]) | Q(chain=upto[0], seq__gt=upto[1])
    new = (
        rows.filter(after)
        .values("actor_name", "actor_role", "chain")
        .annotate(times=Count("pk"), last=Max("at"), top=Max("seq"))
        .order_by()
    )
    counted = upto
    for row in new:
        times, last = readers.get((row["actor_name"], row["actor_role"]), (0, row["last"]))
        readers[row["actor_name"], row["actor_role"]] = (
            times + row["times"],
            max(last, row["last"]),
        )
        upto = max(upto, (row["chain"], row["top"]))
    if cached is None or upto != counted:  # else the cached copy is already this one
        cache.set(key, (upto, readers), 24 * 3600)
    summary = [
        {"actor_name": name, "actor_role": role, "times": times, "last": last}
        for (name, role), (times, last) in readers.items()
    ]
    return sorted(summary, key=lambda r: r["last"], reverse=True)
