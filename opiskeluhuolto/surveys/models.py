"""Surveys the welfare group runs itself (issue 16), anonymous by construction.

Two sides that share nothing that could join them (docs/surveys.md):

- the **person side**: `Invitation` (survey × person, whether they have answered, their
  unsent draft). No answer content once sent, no time of answering, no response id.
- the **answer side**: `Response` (random UUID, the respondent's campus and group for
  the breakdowns, in an anonymous survey only as far as at least SMALL_CELL invitees
  share the value: `BreakdownCell`, fixed at opening; nothing else), its `Answer` rows
  (random UUIDs) and the free-text answers as separate `TextAnswer` rows that do not
  point to the response at all. An anonymous survey's sheets reach it through the
  pending pool (`PendingSheet`), moved in random order and in batches of at least
  SMALL_CELL by the mixer (actions.mixing), so that no answer-side row shares its
  writing transaction or its place in the table with the invitation marked answered.

No answer-side row has a person, session, IP address, sequence or time column; the
tests in tests/test_anonymity.py read the table definitions from the database.
Non-anonymous surveys (the survey says so before answering) link the two through
`NamedResponse`, a table only they use.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Campus, Institution, Provider, StudentGroup

#: The project's small-cell rule (PRODUCT.md §5): fewer answers than this are never shown.
SMALL_CELL = 5
LANGUAGES = ("fi", "sv", "en")


def pick(values: dict | None, lang: str | None = None) -> str:
    """The text in the user's language, falling back to Finnish, then any language."""
    values = values or {}
    lang = (lang or get_language() or "fi")[:2]
    return values.get(lang) or values.get("fi") or next((v for v in values.values() if v), "")


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", pgettext_lazy("survey", "closed")

    class Audience(models.TextChoices):
        STUDENTS = "students", _("students")
        GUARDIANS = "guardians", _("guardians of minor students")
        STAFF = "staff", _("staff")
        LISTED = "listed", _("people named by another app (e.g. an event's participants)")

    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    owner_group = models.ForeignKey(
        "meetings.Group",
        verbose_name=_("owner group"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    clock_item = models.ForeignKey(
        "annualclock.ClockItem",
        verbose_name=_("annual clock item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    template_key = models.SlugField(_("template"), max_length=40, blank=True)
    title = models.JSONField(_("title"), default=dict, help_text=_("By language: fi, sv, en."))
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_anonymous = models.BooleanField(_("anonymous"), default=True)
    # The audience: a kind of people and the unit that bounds them (the narrowest given).
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campus = models.ForeignKey(
        Campus,
        verbose_name=_("campus"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    student_group = models.ForeignKey(
        StudentGroup,
        verbose_name=_("student group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starting_year = models.PositiveSmallIntegerField(
        _("starting year"),
        null=True,
        blank=True,
        help_text=_("Only students (or their guardians) of groups that started in this year."),
    )
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    results_on = models.DateField(
        _("results released on"),
        null=True,
        blank=True,
        help_text=_("The results are shown no earlier than this day."),
    )
    invited_count = models.PositiveIntegerField(_("invited"), default=0)
    released = models.BooleanField(_("results released"), default=False)
    shared_with = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("results also shown to"),
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Bumped on every edit of the draft: concurrent edits never overwrite silently.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(opens_on__lte=models.F("closes_on")),
                name="surveys_survey_window_order",
            ),
            models.CheckConstraint(
                condition=Q(results_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__lte=models.F("results_on")),
                name="surveys_survey_results_after_close",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return pick(self.title)

    @property
    def display_intro(self) -> str:
        return pick(self.intro)

    def is_open_on(self, day) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.opens_on is not None
            and self.closes_on is not None
            and self.opens_on <= day <= self.closes_on
        )

    @property
    def unit(self):
        return self.student_group or self.campus or self.institution or self.provider


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("scale (Likert)")
        CHOICE = "choice", _("one choice")
        MULTI = "multi", _("several choices")
        NUMBER = "number", _("number")
        TEXT = "text", _("short free text")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    required = models.BooleanField(_("required"), default=True)
    #: LIKERT, CHOICE, MULTI: [{"value": 1, "fi": "…", "sv": "…", "en": "…"}, …]
    options = models.JSONField(_("options"), default=list, blank=True)
    minimum = models.IntegerField(_("smallest number"), null=True, blank=True)
    maximum = models.IntegerField(_("largest number"), null=True, blank=True)
    indicator = models.ForeignKey(
        "meetings.Indicator",
        verbose_name=_("feeds the indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The option values whose share (%) is the indicator's value, e.g. [3, 4] for
    #: "bullied at least once in the last month"; empty = the mean of a number or scale.
    indicator_values = models.JSONField(_("counted options"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "position"], name="surveys_question_position"
            ),
        ]

    def __str__(self) -> str:
        return self.display_text

    @property
    def display_text(self) -> str:
        return pick(self.text)

    def option_values(self) -> list[int]:
        return [int(o["value"]) for o in self.options]

    def option_label(self, value: int) -> str:
        for o in self.options:
            if int(o["value"]) == value:
                return pick(o)
        return str(value)


class Invitation(models.Model):
    """The person side: who is invited, whether they have answered, their unsent draft.

    No time of answering, no link to the response; the draft is emptied in the same
    transaction that puts the anonymous sheet in the pending pool.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    has_answered = models.BooleanField(default=False)
    draft = models.JSONField(default=dict, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="surveys_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.user_id}"


class Response(models.Model):
    """One anonymous answer sheet: a random id and the breakdown units, nothing else.

    In an anonymous survey the campus and group are stored only as far as the survey's
    `BreakdownCell` rows allow (values shared by at least SMALL_CELL invitees): otherwise
    the invitations' `has_answered` would name the writer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    campus = models.ForeignKey(
        Campus, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student_group = models.ForeignKey(
        StudentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["survey", "campus"], name="surveys_response_campus_idx")]

    def __str__(self) -> str:
        return str(self.pk)


class PendingSheet(models.Model):
    """An anonymous answer sheet sent but not yet mixed into the answer side
    (actions.mixing, docs/surveys.md "Mixing"): the survey, the breakdown units the
    response will carry (read from `BreakdownCell` within the insert, as a response's
    were) and the answers, nothing about the person.

    Written in the answering transaction, so that a sent sheet is never lost; moved by
    the mixer, in a transaction of its own and in random order, into `Response`,
    `Answer` and `TextAnswer` and deleted here, once the sheet's breakdown cell (its
    campus and group) has SMALL_CELL of them and when the survey closes. So no answer-side row shares its writing transaction (PostgreSQL's
    `xmin`) or its place in the table with the invitation marked answered. Only the
    pending row does, for the short time it waits."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    campus = models.ForeignKey(
        Campus, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student_group = models.ForeignKey(
        StudentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: [[question id, value], …]: one pair per closed answer (per chosen option of a MULTI).
    answers = models.JSONField(default=list)
    #: [[question id, text], …]: the free-text answers.
    texts = models.JSONField(default=list)

    class Meta:
        verbose_name = _("answer sheet waiting to be added")
        verbose_name_plural = _("answer sheets waiting to be added")
        indexes = [
            # The answer POST counts its breakdown cell's waiting sheets
            # (actions.answering.PENDING_COUNT_SQL); the mixer batches per cell.
            models.Index(fields=["survey", "campus", "student_group"], name="surveys_pending_cell"),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class BreakdownCell(models.Model):
    """A (campus, group) value the responses of an anonymous students' survey may carry,
    fixed with the invitations when the survey opens (`cells.kept_cells`); a row with no
    group: the campus alone. Only values shared by at least SMALL_CELL invitees (the
    remainders included) are listed: the pending sheet's insert stores the respondent's
    campus and group (which its response carries) only as far as they are listed here (actions.answering.PENDING_SQL).
    Survey-level facts: no person, no count, no time."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="+")
    student_group = models.ForeignKey(
        StudentGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("breakdown cell")
        verbose_name_plural = _("breakdown cells")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "campus", "student_group"], name="surveys_breakdowncell_once"
            ),
            models.UniqueConstraint(
                fields=["survey", "campus"],
                condition=Q(student_group__isnull=True),
                name="surveys_breakdowncell_campus_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.campus_id}:{self.student_group_id}"


class Answer(models.Model):
    """A closed answer (scale, choice, number); one row per chosen option of a MULTI."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.IntegerField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "value"], name="surveys_answer_q_value_idx")]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}"


class TextAnswer(models.Model):
    """A free-text answer, deliberately not linked to its response (nor to a person).

    Shown only in views without a breakdown, and only once a person has screened it.
    """

    class Screening(models.TextChoices):
        PENDING = "pending", _("not screened")
        SHOWN = "shown", _("shown")
        HIDDEN = "hidden", _("hidden: could identify someone")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="text_answers")
    text = models.CharField(max_length=1000)
    screening = models.CharField(
        max_length=10, choices=Screening.choices, default=Screening.PENDING
    )

    class Meta:
        verbose_name = _("free-text answer")
        verbose_name_plural = _("free-text answers")

    def __str__(self) -> str:
        return self.text[:40]


class NamedResponse(models.Model):
    """Only for surveys that say they are not anonymous: whose response this is."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("named response")
        verbose_name_plural = _("named responses")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.user_id}"


class SurveyEvent(models.Model):
    """The survey's own audit trail (built, opened, closed, released, screened): opaque ids only."""

    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=40)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="events")

    class Meta:
        verbose_name = _("survey event")
        verbose_name_plural = _("survey events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.verb} {self.survey_id}"


class ResultCount(models.Model):
    """The results, counted once at release (results.tally) so that the results pages read
    these few rows instead of aggregating the answers on every view.

    One row per question × campus × group × option value: how many answers; a row with
    no value is the question's respondents in that cell; a row with no question is the
    survey's respondents in that cell. Counts only: no person, session or time, and no
    cell is published from here without the small-cell rule of results.py.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="result_counts")
    question = models.ForeignKey(
        Question, null=True, on_delete=models.CASCADE, related_name="result_counts"
    )
    campus = models.ForeignKey(
        Campus, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    student_group = models.ForeignKey(
        StudentGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.IntegerField(null=True)
    n = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("result count")
        verbose_name_plural = _("result counts")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.question_id}={self.value}:{self.n}"
