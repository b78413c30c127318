"""Building a survey: from scratch or a template, its questions, its window (the
annual clock's item gives it)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opiskeluhuolto.annualclock import recurrence
from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.audit import trail as audit
from opiskeluhuolto.meetings.models import Group, Indicator

from .. import library
from ..models import (
    LANGUAGES,
    Question,
    Survey,
)
from .common import _event
from .running import open_survey


# --- building ---------------------------------------------------------------------------
@transaction.atomic
def create_survey(
    group: Group,
    *,
    by,
    title: dict,
    audience: str,
    institution=None,
    campus=None,
    student_group=None,
    starting_year: int | None = None,
    is_anonymous: bool = True,
    intro: dict | None = None,
    clock_item: ClockItem | None = None,
    template_key: str = "",
) -> Survey:
    if not any((title or {}).get(lang, "").strip() for lang in LANGUAGES):
        raise ValidationError({"title": _("Give the survey a title.")})
    if audience not in Survey.Audience.values:
        raise ValidationError({"audience": _("Choose who answers the survey.")})
    institution = institution or group.institution
    if student_group is not None:
        institution, campus = student_group.institution, student_group.campus or campus
    if campus is not None:
        institution = campus.institution
    if institution is not None and institution.provider_id != group.provider_id:
        raise ValidationError({"institution": _("The institution belongs to another provider.")})
    if starting_year is not None and (
        audience == Survey.Audience.STAFF or not 2000 <= starting_year <= 2099
    ):
        raise ValidationError(
            {"starting_year": _("A starting year narrows students or guardians: 2000–2099.")}
        )
    survey = Survey.objects.create(
        provider_id=group.provider_id,
        owner_group=group,
        title=title,
        intro=intro or {},
        audience=audience,
        institution=institution,
        campus=campus,
        student_group=student_group,
        starting_year=starting_year,
        is_anonymous=is_anonymous,
        clock_item=clock_item,
        template_key=template_key,
        created_by=by if getattr(by, "pk", None) else None,
    )
    _event(by, "survey.create", survey)
    return survey


def add_question(survey: Survey, *, kind: str, text: dict, **fields) -> Question:
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("An open survey's questions can no longer be changed."))
    position = (
        survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    question = Question(survey=survey, position=position, kind=kind, text=text, **fields)
    validate_question(question)
    question.save()
    return question


def validate_question(question: Question) -> None:
    errors: dict[str, str] = {}
    if question.kind not in Question.Kind.values:
        errors["kind"] = _("Choose the kind of the question.")
    if not any((question.text or {}).get(lang, "").strip() for lang in LANGUAGES):
        errors["text"] = _("Write the question.")
    if question.kind in (Question.Kind.LIKERT, Question.Kind.CHOICE, Question.Kind.MULTI):
        values = [o.get("value") for o in question.options or []]
        if len(values) < 2:
            errors["options"] = _("A choice needs at least two options.")
        elif len(set(values)) != len(values) or not all(isinstance(v, int) for v in values):
            errors["options"] = _("Each option needs its own whole-number value.")
    if question.kind == Question.Kind.NUMBER and (
        question.minimum is not None
        and question.maximum is not None
        and question.minimum > question.maximum
    ):
        errors["maximum"] = _("The largest number must not be smaller than the smallest.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_from_template(
    key: str, group: Group, *, by, audience: str | None = None, **fields
) -> Survey:
    """A draft survey with the template's title, introduction and questions.

    Questions with an `indicator_code` feed the owner's provider's indicator of that
    code when it exists (the welfare plan's goals).
    """
    try:
        template = library.TEMPLATES[key]
    except KeyError:
        raise ValidationError({"template": _("There is no such template.")}) from None
    survey = create_survey(
        group,
        by=by,
        title=dict(template["title"]),
        intro=dict(template["intro"]),
        audience=audience or template["audience"],
        template_key=key,
        **fields,
    )
    for q in template["questions"]:
        extra = {k: v for k, v in q.items() if k not in ("kind", "text", "indicator_code")}
        code = q.get("indicator_code")
        if code:
            extra["indicator"] = Indicator.objects.filter(
                provider_id=group.provider_id, code=code
            ).first()
            if extra["indicator"] is None:
                extra.pop("indicator_values", None)
        add_question(survey, kind=q["kind"], text=dict(q["text"]), **extra)
    return survey


@transaction.atomic
def create_feedback_survey(
    group: Group,
    *,
    by,
    title: dict,
    invitees,
    opens_on: date,
    closes_on: date,
    results_on: date | None = None,
    template: str = "event_feedback",
    is_anonymous: bool = True,
) -> Survey:
    """For other apps (the events of issue 18): a feedback survey for a given list of people.

    Builds the survey from `template` with the given `title` (by language), owned by
    `group`, for exactly the `invitees` (users), and opens it for the window; results
    are released on `results_on` (default: a week after closing). Raises
    ValidationError when the anonymous survey would have fewer invitees than the
    small-cell threshold (then pass `is_anonymous=False`; the survey says so).
    """
    survey = create_from_template(template, group, by=by, is_anonymous=is_anonymous)
    survey.title = title
    survey.audience = Survey.Audience.LISTED
    survey.save(update_fields=["title", "audience"])
    set_window(survey, opens_on=opens_on, closes_on=closes_on, results_on=results_on)
    return open_survey(survey, by=by, invitees=invitees)


# --- the window -------------------------------------------------------------------------
FINNISH_MONTHS = (
    "tammi", "helmi", "maalis", "huhti", "touko", "kesä",
    "heinä", "elo", "syys", "loka", "marras", "joulu",
)  # fmt: skip
SEASONS = {"syksy": 9, "kevää": 3, "kevät": 3, "kesä": 6, "talvi": 12}


def results_date(text: str, after: date) -> date:
    """The first day named by a clock item's "results due" (e.g. "aikaisintaan marraskuussa")
    on or after `after`; two weeks after `after` when the text names no month or season."""
    text = (text or "").lower()
    month = None
    for i, stem in enumerate(FINNISH_MONTHS, start=1):
        if re.search(rf"\b{stem}", text):
            month = i
            break
    if month is None:
        month = next((m for stem, m in SEASONS.items() if stem in text), None)
    if month is None:
        return after + timedelta(days=14)
    if after.month == month:  # already in the named month
        return after
    candidate = date(after.year, month, 1)
    if candidate < after:
        candidate = date(after.year + 1, month, 1)
    return candidate


def set_window(
    survey: Survey, *, opens_on: date, closes_on: date, results_on: date | None = None
) -> Survey:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The survey must not close before it opens.")})
    results_on = results_on or closes_on + timedelta(days=7)
    if results_on < closes_on:
        raise ValidationError(
            {"results_on": _("The results cannot be released before the survey closes.")}
        )
    survey.opens_on, survey.closes_on, survey.results_on = opens_on, closes_on, results_on
    survey.save(update_fields=["opens_on", "closes_on", "results_on"])
    return survey


@transaction.atomic
def reschedule(
    survey: Survey,
    *,
    by,
    opens_on: date,
    closes_on: date,
    results_on: date | None = None,
    today: date | None = None,
) -> Survey:
    """Move a draft or open survey's window and results date (audited: the results date
    decides when who may see the results). An open survey has begun: it cannot open
    later than today; no window may end before today (close it instead)."""
    from django.utils import timezone

    today = today or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.released or survey.status not in (Survey.Status.DRAFT, Survey.Status.OPEN):
        raise ValidationError(_("Only a planned or open survey can be rescheduled."))
    if closes_on < today:
        raise ValidationError({"closes_on": _("The new window must not end before today.")})
    if survey.status == Survey.Status.OPEN and opens_on > today:
        raise ValidationError(
            {"opens_on": _("The survey is already open: it cannot open later than today.")}
        )
    before = _dates(survey)
    set_window(survey, opens_on=opens_on, closes_on=closes_on, results_on=results_on)
    if _dates(survey) != before:
        survey.version += 1
        survey.save(update_fields=["version"])
        _event(by, "survey.reschedule", survey)
        audit.record(
            audit.Kind.SURVEY_RESCHEDULED,
            survey,
            by=by,
            provider_id=survey.provider_id,
            before=before,
            after=_dates(survey),
        )
    return survey


def _dates(survey: Survey) -> dict:
    return {
        name: d.isoformat() if (d := getattr(survey, name)) else None
        for name in ("opens_on", "closes_on", "results_on")
    }


def window_from_item(survey: Survey, item: ClockItem, *, today: date) -> Survey:
    """Tie the survey to an annual-clock item: its next occurrence (from `today`) opens and
    closes the survey; its "results due" text gives the release date."""
    found = recurrence.occurrences(item.rule, today, date(today.year + 2, 12, 31))
    if not found:
        raise ValidationError(
            {"clock_item": _("The clock item has no date in the next two years.")}
        )
    first = min(found, key=lambda o: o.start)
    survey.clock_item = item
    survey.save(update_fields=["clock_item"])
    return set_window(
        survey,
        opens_on=first.start,
        closes_on=first.end,
        results_on=results_date(item.results_due, first.end + timedelta(days=1)),
    )
