"""Evaluating the early-warning rules: SQL aggregates over the weekly summaries.

Each rule kind is one grouped query over `WeeklyAbsence` (or the latest
`StudyProgress`) that returns only the students over the lowest threshold;
the pure functions in `rules.py` decide which steps they reached.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.db.models import F, Max, OuterRef, Q, Subquery, Sum, Window

from opiskeluhuolto.imports.models import StudyProgress, WeeklyAbsence
from opiskeluhuolto.organisation.models import Institution, Student

from . import rules
from .models import WarningRule, WarningStep

#: Classes that count as absence hours for the hour steps (leave applied for in
#: advance and school activities are not followed; absence-classes.md).
HOUR_FIELDS = ("health", "excused", "unexplained")


class Hit(NamedTuple):
    """A student who reached a step (a tuple: a year's evaluation makes tens of thousands)."""

    student_id: int
    step_id: int
    value: int


def rules_for(institution: Institution) -> list[WarningRule]:
    return list(
        WarningRule.objects.filter(provider_id=institution.provider_id, active=True)
        .filter(
            Q(institution=institution)
            | Q(institution__isnull=True, level__in=[institution.level, ""])
        )
        .prefetch_related("steps")
    )


def install_default_rules(institution: Institution) -> list[WarningRule]:
    """The default rules for the institution's level, unless it already has rules."""
    existing = rules_for(institution)
    if existing or WarningRule.objects.filter(institution=institution).exists():
        return existing
    for kind, name, weeks, minors, steps in rules.DEFAULT_RULES.get(institution.level, []):
        rule = WarningRule.objects.create(
            provider_id=institution.provider_id,
            institution=institution,
            kind=kind,
            name=name,
            window_weeks=weeks,
            minors_only=minors,
        )
        WarningStep.objects.bulk_create(
            [WarningStep(rule=rule, threshold=t, action=a) for t, a in steps]
        )
    return rules_for(institution)


def _minor_filter(rule: WarningRule, today: date, prefix: str = "student__") -> Q:
    if not (rule.minors_only or rule.kind == WarningRule.Kind.PROGRESS_BEHIND):
        return Q()
    try:
        cutoff = today.replace(year=today.year - 18)
    except ValueError:
        cutoff = today.replace(year=today.year - 18, day=28)
    return Q(**{f"{prefix}date_of_birth__gt": cutoff})


def _active(prefix: str = "student__") -> Q:
    return Q(**{f"{prefix}status": Student.Status.ACTIVE})


def evaluate_rule(rule: WarningRule, institution: Institution, today: date) -> list[Hit]:
    steps = sorted(rule.steps.all(), key=lambda s: s.threshold)
    if not steps:
        return []
    lowest = steps[0].threshold
    by_threshold = {s.threshold: s.pk for s in steps}
    base = WeeklyAbsence.objects.filter(institution=institution).filter(
        _active(), _minor_filter(rule, today)
    )
    values: list[tuple[int, int]] = []
    if rule.kind == WarningRule.Kind.ABSENCE_HOURS:
        hours = sum((F(f) for f in HOUR_FIELDS[1:]), F(HOUR_FIELDS[0]))
        rows = (
            base.filter(week__gte=rules.school_year_start(today), week__lte=today)
            .values("student_id")
            .annotate(v=Sum(hours))
            .filter(v__gte=lowest)
            .values_list("student_id", "v")
        )
        values = list(rows)
    elif rule.kind == WarningRule.Kind.UNEXPLAINED_SHARE:
        share_rows = (
            base.filter(week__gte=rules.window_start(today, rule.window_weeks), week__lte=today)
            .values("student_id")
            .annotate(u=Sum("unexplained"), n=Sum("lessons"))
            .filter(u__gt=0, u__gte=F("n") * lowest / 100.0)
            .values_list("student_id", "u", "n")
        )
        values = [(sid, rules.percent(u, n)) for sid, u, n in share_rows]
    elif rule.kind == WarningRule.Kind.CONSECUTIVE_DAYS:
        window = base.filter(
            week__gte=rules.window_start(today, rule.window_weeks), week__lte=today
        )
        # The weeks of students with an absent day in the window: one pass with a window
        # function, not a semi-join of the summaries with themselves, whose plan went
        # quadratic on the statistics of before an import (bench_notices.py).
        week_rows = (
            window.annotate(most=Window(Max("absent_days"), partition_by=[F("student_id")]))
            .filter(most__gt=0)
            .values_list("student_id", "week", "marked_days", "absent_days")
        )
        weeks: dict[int, list[rules.Week]] = defaultdict(list)
        for sid, week, marked, absent in week_rows:
            weeks[sid].append(rules.Week(week, marked, absent))
        values = [(sid, rules.longest_absent_streak(w)) for sid, w in weeks.items()]
    elif rule.kind == WarningRule.Kind.PROGRESS_BEHIND:
        latest_day = (
            StudyProgress.objects.filter(student_id=OuterRef("student_id"))
            .order_by("-as_of")
            .values("as_of")[:1]
        )
        progress_rows = (
            StudyProgress.objects.filter(student__institution=institution)
            .filter(_active(), _minor_filter(rule, today))
            .filter(as_of=Subquery(latest_day))
            .values_list("student_id", "credits_planned", "credits_done")
        )
        values = [(sid, rules.behind_plan_percent(p or 0, d or 0)) for sid, p, d in progress_rows]
    hits = []
    for sid, value in values:
        for threshold in rules.steps_reached(value, by_threshold):
            hits.append(Hit(sid, by_threshold[threshold], int(value)))
    return hits


def evaluate_institution(institution: Institution, today: date) -> list[Hit]:
    hits: list[Hit] = []
    for rule in install_default_rules(institution):
        hits.extend(evaluate_rule(rule, institution, today))
    return hits
