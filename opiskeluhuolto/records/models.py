"""The welfare register: welfare records, entries, amendments, disclosures, the access log,
rectification requests and retention.

Append-only (LAW.md L-20-2, ARCHITECTURE.md §3): entries, amendments,
disclosures and access-log rows are never changed or deleted through the
ORM's instance methods; `AppendOnly.save()` refuses an update and
`delete()` refuses always. Only the retention job destroys, in bulk, and
writes a destruction report. Triggers refuse changes in the database too (migrations
0012–0014, 0017): the log's on both databases, those of entries, records, amendments and
disclosures on PostgreSQL.
Read records only through `records.reading`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.cases.models import Case, Consent

from .fields import EncryptedJSONField, EncryptedTextField


class AppendOnlyError(RuntimeError):
    pass


class AppendOnly(models.Model):
    """Rows are inserted once; `MUTABLE` lists the few columns an action may update."""

    MUTABLE: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = set(kwargs.get("update_fields") or ())
            if not fields or not fields <= self.MUTABLE:
                raise AppendOnlyError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are destroyed only by run_retention")


class WelfareRecord(AppendOnly):
    """Opiskeluhuoltokertomus: one per case (LAW.md L-20-1, L-20-2).

    The §20(4)(1) identity and contact data are captured when the record is
    opened, so the document shows what it was based on.
    """

    MUTABLE = frozenset({"legal_hold", "legal_hold_reason"})

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="record"
    )
    student_id_ref = models.IntegerField(_("student"))
    student_name = EncryptedTextField(_("student's name"))
    student_hetu = EncryptedTextField(_("personal identity code"), blank=True)
    home_municipality = EncryptedTextField(_("home municipality"), blank=True)
    contact_details = EncryptedTextField(_("contact details"), blank=True)
    guardians = EncryptedTextField(
        _("guardians or legal representatives and their contact details"), blank=True
    )
    subject = EncryptedTextField(_("subject of the matter"))
    # LAW.md L-20-1 (377/2022). Blank on records opened before the field existed.
    background = EncryptedTextField(_("background of the matter"), blank=True)
    initiator = EncryptedTextField(_("who initiated the matter"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("welfare record")
        verbose_name_plural = _("welfare records")
        indexes = [models.Index(fields=["student_id_ref"], name="records_record_student_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_hold=False) | ~Q(legal_hold_reason=""),
                name="records_record_hold_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Welfare record')} {self.pk}"


class RecordEntry(AppendOnly):
    """One chronological entry (LAW.md L-20-1, L-20-3, L-18-3). Author, time and profession
    are set by the system; corrections are `Amendment`s, counted by `version`."""

    MUTABLE = frozenset({"version"})

    class Kind(models.TextChoices):
        INVESTIGATION = "investigation", _("measure while examining the situation")
        MEETING = "meeting", _("expert group meeting")
        MEASURE = "measure", _("measure carried out")
        STUDENT_VIEW = "student_view", _("the student's own wishes and opinions")
        DISCLOSURE = "disclosure", _("disclosure of information")
        RECTIFICATION = "rectification", _("decision on a rectification request")
        EVENT = "event", _("consent or group change")

    record = models.ForeignKey(
        WelfareRecord, verbose_name=_("record"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = EncryptedTextField(_("text"), blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    participants = EncryptedJSONField(_("participants and their positions"), blank=True)
    decisions = EncryptedTextField(_("decisions"), blank=True)
    plan = EncryptedTextField(_("plan for carrying out the decisions"), blank=True)
    implementers = EncryptedTextField(_("who carries out the decisions"), blank=True)
    followers = EncryptedTextField(_("who follows up"), blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_name = models.CharField(_("author's name"), max_length=200)
    author_profession = models.CharField(_("author's profession or position"), max_length=200)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("record entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["record", "created_at"], name="records_entry_record_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d.%m.%Y}"


class Amendment(AppendOnly):
    """A correction of an entry with author, time and reason (LAW.md L-20-2, L-GDPR-3)."""

    entry = models.ForeignKey(
        RecordEntry, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="amendments"
    )
    text = EncryptedTextField(_("correction"))
    reason = EncryptedTextField(_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_name = models.CharField(_("author's name"), max_length=200)
    author_profession = models.CharField(_("author's profession or position"), max_length=200)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    version = models.PositiveIntegerField(_("entry version it created"))

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="records_amendment_version")
        ]

    def __str__(self) -> str:
        return f"{_('Amendment')} {self.created_at:%d.%m.%Y}"


class Disclosure(AppendOnly):
    """What was disclosed, to whom, on what basis (LAW.md L-20-7, L-22-2, L-906-2)."""

    class Basis(models.TextChoices):
        CONSENT = "consent", _("written specified consent")
        STATUTE = "statute", _("provision of law")

    record = models.ForeignKey(
        WelfareRecord,
        verbose_name=_("record"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    recipient = models.CharField(_("recipient"), max_length=200)
    recipient_provider = models.ForeignKey(
        "organisation.Provider",
        verbose_name=_("receiving provider (a transfer, §23(3))"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    data_items = EncryptedTextField(_("information disclosed"))
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    consent = models.ForeignKey(
        Consent,
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    statute_reference = models.CharField(_("section of law"), max_length=200, blank=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disclosed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    disclosed_at = models.DateTimeField(_("disclosed at"), auto_now_add=True)
    entry = models.OneToOneField(
        RecordEntry,
        verbose_name=_("record entry"),
        on_delete=models.PROTECT,
        related_name="disclosure",
    )

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["disclosed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(basis="consent") & Q(consent__isnull=False))
                | (Q(basis="statute") & ~Q(statute_reference="")),
                name="records_disclosure_has_basis",
            )
        ]

    def __str__(self) -> str:
        return f"{_('Disclosure')} {self.disclosed_at:%d.%m.%Y}"


class AccessLogEntry(AppendOnly):
    """One use of register data (LAW.md L-906-1..3). Tamper-evident: each row stores the
    previous row's hash and its own; `manage.py verify_access_log` checks the chain.

    A row is about a welfare record (`case_id_ref`, `record_id_ref`) or, with its
    `subject_kind`, about another document of the student's confidential matters (a
    referral, an appointment request, a booking: `subject_id`).

    Ids are plain integers, not foreign keys, so the log outlives destroyed
    records (L-RET-4) and its hashed content never changes.
    """

    class Action(models.TextChoices):
        READ = "read", _("read")
        PRINT = "print", _("PDF copy")
        API_READ = "api_read", _("read through the API")
        CREATE = "create", _("wrote an entry")
        AMEND = "amend", _("amended an entry")
        DISCLOSE = "disclose", _("disclosed information")

    class Basis(models.TextChoices):
        MEMBERSHIP = "membership", _("expert group member")
        REGISTER_ADMIN = "register_admin", _("register admin")
        OWN_DATA = "own_data", _("own data")
        GUARDIAN = "guardian", _("guardian")
        WELFARE_STAFF = "welfare_staff", _("welfare staff of the student's institution")
        REFERRER = "referrer", _("made the contact")

    class Subject(models.TextChoices):
        """What was read (LAW.md L-906-1: every read of personal data in a confidential
        matter, not only the record's)."""

        RECORD = "record", _("welfare record")
        REFERRAL = "referral", _("contact to student welfare")
        REQUEST = "request", _("appointment request")
        BOOKING = "booking", _("appointment")
        COPY = "copy", _("copy of own data")
        INCIDENT = "incident", _("incident report")

    # One chain per student (`chain.student_chain`, issue 21: readers about different
    # students never queue behind one lock, even within one provider); the rows logged
    # before keep theirs: 0 the one chain before migration 0008, a provider's id that
    # provider's chain from 0008 until the split per student. Not hashed: moving a row to
    # another chain breaks both chains' links anyway.
    chain = models.IntegerField(_("chain"), default=0, db_default=0)
    # `seq` and the hashes are NULL only inside the inserting transaction on PostgreSQL,
    # until its commit chains the row (migration 0003); no other reader sees them NULL.
    # `seq` numbers the rows of one chain.
    seq = models.PositiveBigIntegerField(_("number"), null=True)
    at = models.DateTimeField(_("time"))
    actor_id = models.IntegerField(_("user id"))
    actor_name = models.CharField(_("name"), max_length=200)
    actor_role = models.CharField(_("role"), max_length=200)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    basis = models.CharField(_("access basis"), max_length=20, choices=Basis.choices)
    purpose = models.CharField(_("purpose"), max_length=100)
    student_id_ref = models.IntegerField(_("student"))
    case_id_ref = models.IntegerField(_("case"), null=True)
    record_id_ref = models.IntegerField(_("record"), null=True)
    client_ip = models.CharField(_("client address"), max_length=45, blank=True)
    subject_kind = models.CharField(
        _("what was read"), max_length=20, choices=Subject.choices, default=Subject.RECORD
    )
    subject_id = models.IntegerField(_("document"), null=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, null=True)  # noqa: DJ001
    hash = models.CharField(_("hash"), max_length=64, null=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["chain", "seq"]
        # Every index is written by each logged read (80 rows a staff work list): only those
        # a query reads are kept (records migration 0018).
        indexes = [
            # "Who has read my data", the data request's copy and the register admin's
            # review of a few students: a student's rows, newest first in chain order;
            # "who has read my data" counts only the rows after those it has counted.
            models.Index(
                fields=["student_id_ref", "chain", "seq"], name="records_log_student_chain_idx"
            ),
            # The register responsible person's review, newest first over all students
            # (records.views.access_log): 14–26 s a page at 5 M rows without it. Its key
            # grows with time, so an insert touches only the rightmost leaf.
            models.Index(fields=["at", "id"], name="records_log_at_idx"),
            # The rows of open transactions, whose chains the committing one locks in
            # order (migration 0009).
            models.Index(
                fields=["chain"],
                condition=models.Q(seq__isnull=True),
                name="records_log_unchained_idx",
            ),
        ]
        constraints = [
            # A fork of a chain (two rows after the same one) cannot be stored: a row's
            # `seq` and `prev_hash` come from the same last row under the chain's lock, so
            # two rows after one row share their place (records/tests/test_chain_forks.py).
            models.UniqueConstraint(fields=["chain", "seq"], name="records_log_unique_chain_seq"),
        ]

    def __str__(self) -> str:
        return f"{_('Access log entry')} {self.seq}"


# Registered with the app's models; modules of their own to keep this one short.
from .administration import (  # noqa: E402, F401
    AccessReview,
    DestructionReport,
    RectificationRequest,
    RetentionClass,
)
from .heads import AccessLogHead  # noqa: E402, F401 (registered with the app's models)
