"""The group supervisor's page for one group (issue 19, UX.md "group supervisor").

One page instead of four: the group's absences with the early-warning steps that apply,
the care-conversation tasks, the referrals the supervisor made about the group's
students with their state (never their contents, nor what became of them: the referrer
is a third party, §22), and the year's tasks of a group supervisor from the home–school
cooperation clock (seed 003: the HOKS invitation to minors' guardians, …).

`front` sits above the feature apps, so it may read insights, cases and annualclock; the
page is the supervisor's only (`access.insights.get_absence_group`, the rule that already
decides who sees a group's individual absences).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from opiskeluhuolto.access import policies
from opiskeluhuolto.access.cases import referrals_visible_to
from opiskeluhuolto.access.insights import care_tasks_visible_to, get_absence_group
from opiskeluhuolto.annualclock.layers import (
    Unit,
    dated_items,
    effective_items,
    school_year_bounds,
    terms_for,
)
from opiskeluhuolto.annualclock.models import Clock
from opiskeluhuolto.cases import signals as case_signals
from opiskeluhuolto.cases.models import Referral
from opiskeluhuolto.insights import queries
from opiskeluhuolto.insights.absences import group_students
from opiskeluhuolto.insights.evaluate import rules_for

#: What a referrer may know of their referral: received, being handled, or handled. Whether
#: a case was opened, or why it was closed, is the welfare staff's (§22).
REFERRAL_STATE = {
    Referral.Status.OPEN: _("received, being handled"),
    Referral.Status.CASE_OPENED: _("handled"),
    Referral.Status.CLOSED: _("handled"),
}


@dataclass(frozen=True)
class YearTask:
    title: str
    start: date
    end: date
    done: bool
    note: str


def year_tasks(group, today: date) -> list[YearTask]:
    """The items of the provider's home–school cooperation clocks (the clock the group
    supervisors follow, seed 003) as they apply to the group's campus, this school year."""
    unit = Unit(group.institution, group.campus)
    start, end = school_year_bounds(today)
    terms = terms_for(unit)
    clocks = Clock.objects.roots().filter(
        provider_id=group.institution.provider_id, kind=Clock.Kind.HOME_SCHOOL
    )
    tasks = []
    for clock in clocks:
        for d in dated_items(effective_items(clock, unit), start, end, terms):
            tasks.append(YearTask(d.item.title, d.start, d.end, d.end < today, d.item.note))
    return sorted(tasks, key=lambda t: (t.start, t.title))


@policies.staff
@require_GET
def supervisor_group(request, pk):
    group = get_absence_group(request.user, pk)
    today = timezone.localdate()
    start, _end = queries.period(today)
    students = list(group.students.order_by("last_name", "first_name"))
    minors = [s for s in students if s.is_minor(today)]
    absences = {r["student_id"]: r for r in group_students(group, start, today)}
    tasks = list(
        care_tasks_visible_to(request.user)
        .filter(student__group=group, year_start=start)
        .select_related("student", "step", "step__rule")
        .order_by("status", "-triggered_on", "pk")
    )
    open_by_student: dict[int, list] = {}
    for t in tasks:
        if t.status != t.Status.RESOLVED:
            open_by_student.setdefault(t.student_id, []).append(t)
    referrals = list(
        referrals_visible_to(request.user)
        .filter(referred_by=request.user, student__group=group)
        .select_related("student")
        .order_by("-received_on", "-pk")
    )
    # The list names students with a referral: a read of the referrals (LAW.md L-906-1).
    case_signals.referrals_read.send(
        sender=Referral,
        user=request.user,
        referrals=referrals,
        purpose="group supervisor's page",
        request=request,
    )
    rows = [
        {"student": s, "absence": absences.get(s.pk), "tasks": open_by_student.get(s.pk, [])}
        for s in students
    ]
    context = {
        "group": group,
        "start": start,
        "rows": rows,
        "minors": minors,
        "rules": rules_for(group.institution),
        "tasks": tasks,
        "open_count": sum(len(v) for v in open_by_student.values()),
        "referrals": [(r, REFERRAL_STATE.get(r.status, "")) for r in referrals],
        "year_tasks": year_tasks(group, today),
        "today": today,
    }
    return render(request, "front/supervisor_group.html", context)
