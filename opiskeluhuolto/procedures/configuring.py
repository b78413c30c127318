"""A procedure's settings (issue 17): the procedure it adapts, its audience, the groups that follow it, the roles
that must confirm reading it, the person responsible for its incidents, the follow-up time
and when the owner is reminded of the review. Plain functions the settings page calls.

The audience decides who reads the procedure and the responsible person who handles (and
reads) its incidents, so each change writes one event into the audit trail
(ARCHITECTURE.md decision 10), in the same transaction: ids and codes only.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opiskeluhuolto.access import for_user
from opiskeluhuolto.access.roles import SCHOOL_STAFF_ROLES
from opiskeluhuolto.audit import trail as audit
from opiskeluhuolto.meetings.models import Group
from opiskeluhuolto.organisation.models import RoleAssignment

from .models import Audience, Procedure

FOLLOW_UP_DAYS = (1, 365)
REMIND_DAYS = (1, 365)


#: Why a procedure cannot adapt another one (`adapt_error`); the form says the same.
ADAPTS_ERROR = gettext_lazy(
    "A procedure can adapt only a procedure of the same kind and of the same provider whose "
    "unit is broader and contains this one's: the provider's, or for a campus procedure its "
    "institution's."
)


def adapt_error(procedure: Procedure, adapted: Procedure | None) -> str | None:
    """Why `procedure` (saved or not) cannot adapt `adapted`; None when it can (or when
    nothing is adapted). The adapted one is of the same kind and its unit is strictly
    broader and contains the procedure's unit: provider ⊃ institution ⊃ campus. Strictly
    broader also rules out a procedure adapting itself or a cycle of adaptations."""
    if adapted is None:
        return None
    if adapted.provider_id != procedure.provider_id or adapted.kind != procedure.kind:
        return str(ADAPTS_ERROR)
    if adapted.campus_id is not None:
        return str(ADAPTS_ERROR)
    if adapted.institution_id is None:
        broader = procedure.institution_id is not None
    else:
        broader = (
            adapted.institution_id == procedure.institution_id and procedure.campus_id is not None
        )
    return None if broader else str(ADAPTS_ERROR)


def adaptable_procedures(procedure: Procedure, user) -> list[Procedure]:
    """The procedures `procedure` may adapt and `user` may read, for the form's choices."""
    rules = for_user(user)
    candidates = Procedure.objects.filter(
        provider_id=procedure.provider_id, kind=procedure.kind, campus__isnull=True
    ).order_by("institution_id", "title")
    return [p for p in candidates if adapt_error(procedure, p) is None and rules.view_procedure(p)]


def follower_groups(procedure: Procedure) -> QuerySet:
    """The groups that may follow it: the provider's groups."""
    return Group.objects.filter(provider_id=procedure.provider_id).order_by("name")


def responsible_candidates(procedure: Procedure) -> QuerySet:
    """Who may be responsible for its incidents: school staff whose role covers its unit
    (provider-wide roles; the institution's, and for a campus procedure the campus's)."""
    assignments = RoleAssignment.objects.valid_on(timezone.localdate()).filter(
        provider_id=procedure.provider_id, role__in=SCHOOL_STAFF_ROLES
    )
    if procedure.institution_id is not None:
        assignments = assignments.filter(
            Q(institution__isnull=True) | Q(institution_id=procedure.institution_id)
        )
        if procedure.campus_id is not None:
            assignments = assignments.filter(
                Q(campus__isnull=True) | Q(campus_id=procedure.campus_id)
            )
    return (
        get_user_model()
        .objects.filter(pk__in=assignments.values("user_id"))
        .order_by("last_name", "first_name")
    )


def _state(procedure: Procedure) -> dict:
    return {
        "adapts": procedure.adapts_id,
        "audience": sorted(procedure.audience or []),
        "followers": sorted(procedure.followers.values_list("pk", flat=True)),
        "must_know_roles": sorted(procedure.must_know_roles or []),
        "responsible": procedure.responsible_id,
        "follow_up_days": procedure.follow_up_days,
        "review_remind_days": procedure.review_remind_days,
    }


def _check(
    procedure, adapts, audience, followers, must_know_roles, responsible, follow_up_days, remind
):
    errors: dict[str, str] = {}
    if (error := adapt_error(procedure, adapts)) is not None:
        errors["adapts"] = error
    if not audience or not set(audience) <= set(Audience.values):
        errors["audience"] = _("Choose who the procedure is meant for.")
    if any(g.provider_id != procedure.provider_id for g in followers):
        errors["followers"] = _("The groups that follow it must be the provider's groups.")
    if not set(must_know_roles) <= {str(r) for r in SCHOOL_STAFF_ROLES}:
        errors["must_know_roles"] = _("Choose staff roles only.")
    if (
        responsible is not None
        and not responsible_candidates(procedure).filter(pk=responsible.pk).exists()
    ):
        errors["responsible"] = _(
            "The responsible person must be a staff member of the procedure's unit."
        )
    low, high = FOLLOW_UP_DAYS
    if follow_up_days is None or not low <= follow_up_days <= high:
        errors["follow_up_days"] = _("Give a number of days from %(low)s to %(high)s.") % {
            "low": low,
            "high": high,
        }
    low, high = REMIND_DAYS
    if remind is None or not low <= remind <= high:
        errors["review_remind_days"] = _("Give a number of days from %(low)s to %(high)s.") % {
            "low": low,
            "high": high,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def change_settings(
    procedure: Procedure,
    *,
    by,
    lock: int,
    adapts: Procedure | None,
    audience: list[str],
    followers: list[Group],
    must_know_roles: list[str],
    responsible,
    follow_up_days: int,
    review_remind_days: int,
) -> Procedure:
    """Save the settings all at once or not at all; a stale `lock` (someone saved the
    settings meanwhile) is refused. One audit event records what changed."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if procedure.settings_lock != lock:
        raise ValidationError(
            _(
                "Someone else saved the settings meanwhile. Reload the page and make your changes again."
            ),
            code="stale",
        )
    _check(
        procedure,
        adapts,
        audience,
        followers,
        must_know_roles,
        responsible,
        follow_up_days,
        review_remind_days,
    )
    before = _state(procedure)
    procedure.adapts = adapts
    procedure.audience = [a for a in Audience.values if a in set(audience)]
    procedure.must_know_roles = sorted(set(must_know_roles))
    procedure.responsible = responsible
    procedure.follow_up_days = follow_up_days
    procedure.review_remind_days = review_remind_days
    procedure.settings_lock += 1
    procedure.save(
        update_fields=[
            "adapts",
            "audience",
            "must_know_roles",
            "responsible",
            "follow_up_days",
            "review_remind_days",
            "settings_lock",
        ]
    )
    procedure.followers.set(followers)
    after = _state(procedure)
    if after != before:
        audit.record(
            audit.Kind.PROCEDURE_SETTINGS_CHANGED,
            procedure,
            by=by,
            provider_id=procedure.provider_id,
            before=before,
            after=after,
        )
    return procedure
