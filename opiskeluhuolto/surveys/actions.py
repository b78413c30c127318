"""What people do with surveys: build, open, answer, close, screen, release.

Views and the API are thin; they call these. Every rule is here, in plain functions
that the tests call directly. Anonymity (docs/surveys.md): `submit` writes the answer
side without any person, session or time, and marks the person side answered in the
same transaction; nothing else about answering is recorded (no event, no log line).

For other apps (events, issue 18): `create_feedback_survey(...)` builds a feedback
survey from a template for a given list of people, ready to open.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.annualclock import recurrence
from opiskeluhuolto.annualclock.models import ClockItem
from opiskeluhuolto.meetings.models import Group, Indicator
from opiskeluhuolto.organisation.models import Role, RoleAssignment, Student, StudentQuerySet

from . import library
from .models import (
    LANGUAGES,
    SMALL_CELL,
    Answer,
    Invitation,
    NamedResponse,
    Question,
    Response,
    Survey,
    SurveyEvent,
    TextAnswer,
)

TEXT_MAX = 1000


class AlreadyAnswered(Exception):
    """The person has answered this survey already (the API answers 409)."""


class NotInvited(Exception):
    """The person is not invited to this survey (the API answers 404)."""


class NotOpen(Exception):
    """The survey is not open for answers today (closed window, draft)."""


def _event(by, verb: str, survey: Survey) -> None:
    SurveyEvent.objects.create(
        actor=by if getattr(by, "pk", None) else None, verb=verb, survey=survey
    )


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
    survey = Survey.objects.create(
        provider_id=group.provider_id,
        owner_group=group,
        title=title,
        intro=intro or {},
        audience=audience,
        institution=institution,
        campus=campus,
        student_group=student_group,
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


# --- the audience -----------------------------------------------------------------------
def _students(survey: Survey) -> StudentQuerySet:
    students = Student.objects.active().filter(institution__provider_id=survey.provider_id)
    if survey.student_group_id:
        students = students.filter(group_id=survey.student_group_id)
    elif survey.campus_id:
        students = students.filter(campus_id=survey.campus_id)
    elif survey.institution_id:
        students = students.filter(institution_id=survey.institution_id)
    return students


def audience_users(survey: Survey, *, today: date | None = None) -> QuerySet:
    """The people the survey invites when it opens (students with an account, guardians of
    minor students, or staff of the unit)."""
    User = get_user_model()
    today = today or timezone.localdate()
    if survey.audience == Survey.Audience.STUDENTS:
        return User.objects.filter(student__in=_students(survey), is_active=True).distinct()
    if survey.audience == Survey.Audience.GUARDIANS:
        minors = _students(survey).minors(today)
        return User.objects.filter(guardianships__student__in=minors, is_active=True).distinct()
    if survey.audience == Survey.Audience.STAFF:
        roles = RoleAssignment.objects.valid_on(today).filter(provider_id=survey.provider_id)
        if survey.institution_id:
            roles = roles.filter(
                Q(institution_id=survey.institution_id) | Q(institution__isnull=True)
            )
        if survey.campus_id:
            roles = roles.filter(Q(campus_id=survey.campus_id) | Q(campus__isnull=True))
        return User.objects.filter(
            pk__in=roles.exclude(role=Role.EXTERNAL_MEMBER).values("user_id"), is_active=True
        )
    return User.objects.none()  # LISTED: the caller passes the invitees


# --- opening and closing ----------------------------------------------------------------
@transaction.atomic
def open_survey(survey: Survey, *, by, invitees=None, today: date | None = None) -> Survey:
    """Fix the audience (one invitation each) and open the survey for its window.

    Refused when it has no questions or window, or, when anonymous, fewer invitees than
    the small-cell threshold (SMALL_CELL): a survey that small cannot be anonymous.
    """
    today = today or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise ValidationError(_("The survey has already been opened."))
    if not survey.questions.exists():
        raise ValidationError(_("Add at least one question before opening the survey."))
    if survey.opens_on is None or survey.closes_on is None:
        raise ValidationError({"opens_on": _("Set when the survey opens and closes.")})
    if survey.closes_on < today:
        raise ValidationError({"closes_on": _("The survey's window has already passed.")})
    users = list(invitees if invitees is not None else audience_users(survey, today=today))
    user_ids = sorted({u.pk for u in users})
    if survey.is_anonymous and len(user_ids) < SMALL_CELL:
        raise ValidationError(
            _(
                "Only %(count)s people would be invited: an anonymous survey needs at least "
                "%(min)s. Widen the audience or mark the survey as not anonymous."
            )
            % {"count": len(user_ids), "min": SMALL_CELL}
        )
    Invitation.objects.bulk_create(
        [Invitation(survey=survey, user_id=uid) for uid in user_ids], batch_size=2000
    )
    survey.invited_count = len(user_ids)
    survey.status = Survey.Status.OPEN
    survey.version += 1
    survey.save(update_fields=["invited_count", "status", "version"])
    _event(by, "survey.open", survey)
    transaction.on_commit(lambda: _send_invitations(survey.pk))
    return survey


def _send_invitations(survey_id: int) -> None:
    from .tasks import send_invitations

    send_invitations.enqueue(survey_id)


@transaction.atomic
def close_survey(survey: Survey, *, by, today: date | None = None) -> Survey:
    """Close now (the window also closes it by itself); unsent drafts are deleted."""
    today = today or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.closes_on = min(survey.closes_on or today, today)
    survey.opens_on = min(survey.opens_on or today, survey.closes_on)
    survey.save(update_fields=["status", "opens_on", "closes_on"])
    Invitation.objects.filter(survey=survey).exclude(draft={}).update(draft={})
    _event(by, "survey.close", survey)
    return survey


# --- answering --------------------------------------------------------------------------
def open_for(user, *, today: date | None = None) -> QuerySet[Survey]:
    """The surveys this person may answer now (invited, not yet answered, window open)."""
    today = today or timezone.localdate()
    if not getattr(user, "is_authenticated", False):
        return Survey.objects.none()
    return Survey.objects.filter(
        status=Survey.Status.OPEN,
        opens_on__lte=today,
        closes_on__gte=today,
        invitations__user=user,
        invitations__has_answered=False,
    ).order_by("closes_on", "pk")


def clean_answers(
    survey: Survey, data: dict, *, partial: bool = False, questions: dict | None = None
) -> dict[int, object]:
    """Check one person's answers against the questions: {question id: value}.

    Values: an int for a scale or choice, a list of ints for several choices, an int
    for a number, a string for free text. Raises ValidationError keyed by question id
    (a missing required answer, a value outside the scale, an unknown question).
    `partial` (saving a draft) allows missing answers.
    """
    if not isinstance(data, dict):
        raise ValidationError({"answers": _("The answers must be given per question.")})
    if questions is None:
        questions = {q.pk: q for q in survey.questions.all()}
    errors: dict[str, str] = {}
    clean: dict[int, object] = {}
    given: dict[int, object] = {}
    for key, value in data.items():
        try:
            qid = int(key)
        except (TypeError, ValueError):
            qid = -1
        if qid not in questions:
            errors[str(key)] = _("There is no such question in this survey.")
            continue
        given[qid] = value
    for qid, q in questions.items():
        value = given.get(qid)
        empty = value is None or value == "" or value == []
        if empty:
            if q.required and not partial:
                errors[str(qid)] = _("This question needs an answer.")
            continue
        try:
            clean[qid] = _clean_value(q, value)
        except ValidationError as e:
            errors[str(qid)] = e.messages[0]
    if errors:
        raise ValidationError(errors)
    return clean


def _int(value) -> int:
    if isinstance(value, bool):
        raise ValidationError(_("Give a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,9}", value.strip()):
        return int(value.strip())
    raise ValidationError(_("Give a whole number."))


def _clean_value(q: Question, value):
    if q.kind in (Question.Kind.LIKERT, Question.Kind.CHOICE):
        v = _int(value)
        if v not in q.option_values():
            raise ValidationError(_("Choose one of the options."))
        return v
    if q.kind == Question.Kind.MULTI:
        values = value if isinstance(value, list) else [value]
        cleaned = sorted({_int(v) for v in values})
        if not set(cleaned) <= set(q.option_values()):
            raise ValidationError(_("Choose among the options."))
        return cleaned
    if q.kind == Question.Kind.NUMBER:
        v = _int(value)
        if (q.minimum is not None and v < q.minimum) or (q.maximum is not None and v > q.maximum):
            raise ValidationError(
                _("Give a number from %(min)s to %(max)s.")
                % {
                    "min": q.minimum if q.minimum is not None else "",
                    "max": q.maximum if q.maximum is not None else "",
                }
            )
        return v
    if not isinstance(value, str):
        raise ValidationError(_("Write the answer as text."))
    text = value.strip()
    if len(text) > TEXT_MAX:
        raise ValidationError(_("Write at most %(max)s characters.") % {"max": TEXT_MAX})
    return text


def _invitation(survey: Survey, user) -> Invitation:
    invitation = Invitation.objects.filter(survey=survey, user=user).first()
    if invitation is None:
        raise NotInvited
    return invitation


def save_draft(
    survey: Survey,
    user,
    data: dict,
    *,
    today: date | None = None,
    invitation: Invitation | None = None,
    questions: list[Question] | None = None,
) -> None:
    """Save and continue later: the answers so far, kept with the person until sent.

    `invitation` and `questions`, when the caller has them already, save their queries."""
    today = today or timezone.localdate()
    invitation = invitation or _invitation(survey, user)
    if invitation.has_answered:
        raise AlreadyAnswered
    if not survey.is_open_on(today):
        raise NotOpen
    by_id = {q.pk: q for q in questions} if questions is not None else None
    clean = clean_answers(survey, data, partial=True, questions=by_id)
    draft = {str(k): v for k, v in clean.items()}
    if not Invitation.objects.filter(pk=invitation.pk, has_answered=False).update(draft=draft):
        raise AlreadyAnswered


def draft_of(survey: Survey, user) -> dict:
    invitation = Invitation.objects.filter(survey=survey, user=user).first()
    return dict(invitation.draft) if invitation else {}


def has_answered(survey: Survey, user) -> bool:
    return Invitation.objects.filter(survey=survey, user=user, has_answered=True).exists()


def _breakdown_of(user) -> tuple[int | None, int | None]:
    student = Student.objects.filter(user=user).only("campus_id", "group_id").first()
    return (student.campus_id, student.group_id) if student else (None, None)


@transaction.atomic
def submit(
    survey: Survey,
    user,
    data: dict,
    *,
    today: date | None = None,
    invitation: Invitation | None = None,
    questions: list[Question] | None = None,
) -> None:
    """Store one person's answers once: all or nothing.

    The person side (`Invitation.has_answered`) and the answer side (`Response`,
    `Answer`, `TextAnswer`) are written in one transaction and share no column.
    A constant number of queries whatever the number of questions and answers (one
    bulk insert each); `invitation` and `questions`, when the caller has them already
    (access.surveys.get_survey_to_answer), save their queries.
    """
    today = today or timezone.localdate()
    if invitation is None and not Invitation.objects.filter(survey=survey, user=user).exists():
        raise NotInvited
    if not survey.is_open_on(today):
        raise NotOpen
    if questions is None:
        questions = list(survey.questions.all())
    by_id = {q.pk: q for q in questions}
    clean = clean_answers(survey, data, questions=by_id)
    # The conditional update is the lock: of two concurrent submits one sees 0 rows.
    marked = Invitation.objects.filter(survey=survey, user=user, has_answered=False).update(
        has_answered=True, draft={}
    )
    if not marked:
        raise AlreadyAnswered
    campus_id, group_id = (None, None)
    if survey.audience == Survey.Audience.STUDENTS:
        campus_id, group_id = _breakdown_of(user)
    response = Response.objects.create(
        survey=survey, campus_id=campus_id, student_group_id=group_id
    )
    answers, texts = [], []
    for qid, value in clean.items():
        q = by_id[qid]
        if q.kind == Question.Kind.TEXT:
            texts.append(TextAnswer(question=q, text=str(value)))
        elif q.kind == Question.Kind.MULTI:
            answers += [Answer(response=response, question=q, value=v) for v in value]  # type: ignore[attr-defined]
        else:
            answers.append(Answer(response=response, question=q, value=value))  # type: ignore[misc]
    Answer.objects.bulk_create(answers)
    TextAnswer.objects.bulk_create(texts)
    if not survey.is_anonymous:
        NamedResponse.objects.create(survey=survey, user=user, response=response)


# --- screening and release --------------------------------------------------------------
def screen_text(answer: TextAnswer, *, show: bool, by) -> TextAnswer:
    """A person has read the free-text answer: shown, or hidden as possibly identifying."""
    answer.screening = TextAnswer.Screening.SHOWN if show else TextAnswer.Screening.HIDDEN
    answer.save(update_fields=["screening"])
    _event(by, "survey.screen", answer.question.survey)
    return answer


def check_releasable(survey: Survey, *, today: date) -> None:
    """ValidationError unless the results may be released today: once the window has
    closed, on or after the results date."""
    if survey.status == Survey.Status.DRAFT:
        raise ValidationError(_("A survey that never opened has no results."))
    if survey.closes_on is None or survey.closes_on >= today:
        raise ValidationError(_("The results are released after the survey has closed."))
    if survey.results_on is None or survey.results_on > today:
        raise ValidationError(
            _("The results can be released on %(date)s at the earliest.")
            % {"date": survey.results_on.strftime("%-d.%-m.%Y") if survey.results_on else "–"}
        )


def request_release(survey: Survey, *, by, today: date | None = None) -> bool:
    """The release button: checked here (the person sees at once why not), released by the
    task worker after the commit (counting the results is not done in the web request).
    False when there is nothing to do (released already)."""
    today = today or timezone.localdate()
    if survey.released:
        return False
    check_releasable(survey, today=today)
    survey_id, by_id = survey.pk, getattr(by, "pk", None)
    transaction.on_commit(lambda: _enqueue_release(survey_id, by_id))
    return True


def _enqueue_release(survey_id: int, by_id: int | None) -> None:
    from .tasks import release_survey

    release_survey.enqueue(survey_id, by_id)


@transaction.atomic
def release(survey: Survey, *, by, today: date | None = None) -> Survey:
    """Release the results on or after the results date, once the window has closed.

    Counts the results once into `ResultCount` (results.tally), feeds the indicators of
    the questions tied to one and puts the results on the owner group's next agenda.
    Runs in the task worker (tasks.release_survey, tasks.release_due).
    """
    today = today or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.released:
        return survey
    check_releasable(survey, today=today)
    survey.status = Survey.Status.CLOSED
    survey.released = True
    survey.save(update_fields=["status", "released"])
    Invitation.objects.filter(survey=survey).exclude(draft={}).update(draft={})
    from . import evidence, results

    results.tally(survey)  # counted once; the results pages read the stored counts
    _event(by, "survey.release", survey)
    evidence.on_release(survey, by=by, year=survey.closes_on.year)
    return survey


def release_due(*, today: date | None = None) -> list[Survey]:
    """The task worker's daily run: close surveys whose window has passed, release those due."""
    today = today or timezone.localdate()
    done = []
    Survey.objects.filter(status=Survey.Status.OPEN, closes_on__lt=today).update(
        status=Survey.Status.CLOSED
    )
    for survey in Survey.objects.filter(
        released=False, status=Survey.Status.CLOSED, results_on__lte=today, closes_on__lt=today
    ):
        done.append(release(survey, by=None, today=today))
    return done
