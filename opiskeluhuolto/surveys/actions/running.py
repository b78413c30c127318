"""The audience, opening (one invitation each, e-mailed by the task worker) and closing."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.access.audiences import Audience, students_in
from opiskeluhuolto.organisation.models import Role, RoleAssignment, Student, StudentQuerySet

from ..cells import kept_cells
from ..models import (
    SMALL_CELL,
    BreakdownCell,
    Invitation,
    Survey,
)
from .common import _event
from .mixing import mix_locked


# --- the audience -----------------------------------------------------------------------
def _students(survey: Survey) -> StudentQuerySet:
    """The active students of the survey's unit, narrowed to a starting year when given
    (the one audience rule, access.audiences: the year from the group's name)."""
    return students_in(
        Audience(
            kind=survey.audience,
            provider_id=survey.provider_id,
            institution_id=survey.institution_id,
            campus_ids=frozenset({survey.campus_id}) if survey.campus_id else frozenset(),
            group_id=survey.student_group_id,
            starting_year=survey.starting_year,
        )
    )


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
    if survey.is_anonymous and survey.audience == Survey.Audience.STUDENTS:
        _fix_breakdown_cells(survey, user_ids)
    survey.invited_count = len(user_ids)
    survey.status = Survey.Status.OPEN
    survey.version += 1
    survey.save(update_fields=["invited_count", "status", "version"])
    _event(by, "survey.open", survey)
    transaction.on_commit(lambda: _send_invitations(survey.pk))
    return survey


def _fix_breakdown_cells(survey: Survey, user_ids: list[int]) -> None:
    """The (campus, group) values the survey's responses may carry, from the invitees'
    student records now (`cells.kept_cells`), fixed with the invitations. One query for
    the records (by the survey's invitations: the list of ids could pass the database's
    limit of parameters), one insert."""
    records = {
        uid: (campus, group)
        for uid, campus, group in Student.objects.filter(
            user__survey_invitations__survey=survey
        ).values_list("user_id", "campus_id", "group_id")
    }
    campuses, groups = kept_cells(records.get(uid, (None, None)) for uid in user_ids)
    BreakdownCell.objects.filter(survey=survey).delete()
    BreakdownCell.objects.bulk_create(
        [BreakdownCell(survey=survey, campus_id=c) for c in campuses]
        + [BreakdownCell(survey=survey, campus_id=c, student_group_id=g) for c, g in groups]
    )


def _send_invitations(survey_id: int) -> None:
    from ..tasks import send_invitations

    send_invitations.enqueue(survey_id)


@transaction.atomic
def close_survey(survey: Survey, *, by, today: date | None = None) -> Survey:
    """Close now (the window also closes it by itself); unsent drafts are deleted, and
    the answer sheets still waiting are mixed into the answer side in this transaction
    (actions.mixing: a remainder under SMALL_CELL with earlier responses taken back)."""
    today = today or timezone.localdate()
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise ValidationError(_("Only an open survey can be closed."))
    survey.status = Survey.Status.CLOSED
    survey.closes_on = min(survey.closes_on or today, today)
    survey.opens_on = min(survey.opens_on or today, survey.closes_on)
    survey.save(update_fields=["status", "opens_on", "closes_on"])
    Invitation.objects.filter(survey=survey).exclude(draft={}).update(draft={})
    mix_locked(survey, closing=True)
    _event(by, "survey.close", survey)
    return survey
