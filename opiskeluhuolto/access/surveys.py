"""Access rules for the provider's own surveys (issue 16).

`SurveyRules` is mixed into `Permissions`. Role AND relation:

- **build and run** a survey (edit the draft, open, close, screen free text, release):
  the owner group's chair or secretary or its unit's lead (`manage_welfare_group`), a
  member of the owner group, or a principal or welfare professional working in the
  group's unit;
- **answer**: the person holds an invitation (the audience was fixed when it opened);
- **reschedule** (move the window and the results date): those who run it, while it is
  a draft or open and not released (`reschedule_survey`);
- **see results**: only once released and on or after the results date, for those who
  run it, the owner group's members and the people the group named (`shared_with`);
- **tie a survey to a clock item** in the builder: survey-type items of the annual clocks
  of the builder's groups' providers that the builder may see — `survey_clock_items`;
- **be named** to read the results: staff with a current role in the survey's provider
  (not an external member of a group) — `result_reader_choices`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from opiskeluhuolto.access.primitives import RulePrimitives
from opiskeluhuolto.organisation.models import WELFARE_PROFESSIONAL_ROLES, Role

#: Staff roles that build surveys in their unit besides the group's own members.
BUILDER_ROLES = frozenset({Role.PRINCIPAL, *WELFARE_PROFESSIONAL_ROLES})


class SurveyRules(RulePrimitives):
    if TYPE_CHECKING:  # defined by CommunalRules

        @property
        def group_roles(self) -> dict[int, str]: ...
        def manage_welfare_group(self, group) -> bool: ...

    def _builds_in(self, group) -> bool:
        return any(
            g.role in BUILDER_ROLES
            and g.provider_id == group.provider_id
            and (
                g.institution_id is None
                or group.institution_id is None
                or g.institution_id == group.institution_id
            )
            for g in self.grants
        )

    def build_survey_for(self, group) -> bool:
        """May start a survey owned by this welfare group."""
        if group.kind == "student_body":
            return False
        if group.pk in self.group_roles and self.group_roles[group.pk] in (
            "chair",
            "secretary",
            "member",
        ):
            return True
        return self.manage_welfare_group(group) or self._builds_in(group)

    def manage_survey(self, survey) -> bool:
        return self.build_survey_for(survey.owner_group)

    def reschedule_survey(self, survey) -> bool:
        """Move the window and the results date: those who run the survey, while it is a
        draft (planned) or open and its results are not yet released."""
        if survey.released or survey.status not in ("draft", "open"):
            return False
        return self.manage_survey(survey)

    def view_survey_results(self, survey) -> bool:
        if not survey.released or survey.results_on is None or survey.results_on > self.today:
            return False
        if self.manage_survey(survey) or survey.owner_group_id in self.group_roles:
            return True
        uid = getattr(self.user, "pk", None)
        return bool(uid) and survey.shared_with.filter(pk=uid).exists()

    def answer_survey(self, survey) -> bool:
        if not self.is_authenticated:
            return False
        return survey.invitations.filter(user=self.user).exists()

    def surveys_managed(self) -> QuerySet:
        """The surveys this person runs (for the list page)."""
        from opiskeluhuolto.meetings.models import Group
        from opiskeluhuolto.surveys.models import Survey

        if not self.is_authenticated:
            return Survey.objects.none()
        provider_ids = {g.provider_id for g in self.grants}
        groups = [
            g
            for g in Group.objects.filter(
                Q(provider_id__in=provider_ids) | Q(pk__in=self.group_roles)
            )
            if self.build_survey_for(g)
        ]
        return Survey.objects.filter(owner_group__in=groups)


def result_reader_choices(survey, today: date) -> QuerySet:
    """The people whom those who run the survey may name to read its released results:
    staff with a current role in the survey's provider."""
    from opiskeluhuolto.accounts.models import User

    from .audiences import Audience, staff_in

    roles = staff_in(Audience(kind="staff", provider_id=survey.provider_id), today)
    return User.objects.filter(pk__in=roles.values("user_id")).order_by(
        "last_name", "first_name", "pk"
    )


def survey_clock_items(user, groups) -> QuerySet:
    """The annual-clock items of type survey that a survey of these owner groups may be
    tied to in the builder: items (not hidden) of the groups' providers' clocks that this
    person may see (`view_clock`)."""
    from opiskeluhuolto.annualclock.models import ClockItem

    from .permissions import for_user

    can = for_user(user)
    items = ClockItem.objects.filter(
        type=ClockItem.Type.SURVEY,
        is_hidden=False,
        clock__provider_id__in={g.provider_id for g in groups},
    ).select_related("clock", "clock__parent")
    ids = [i.pk for i in items if can.view_clock(i.clock)]
    return ClockItem.objects.filter(pk__in=ids).select_related("clock").order_by("clock", "pk")


def get_survey(user, pk, *, need: str):
    """The survey, or Http404 for missing and forbidden alike."""
    from opiskeluhuolto.surveys.models import Survey

    from .permissions import for_user

    try:
        survey = Survey.objects.select_related("owner_group", "provider").get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    can = for_user(user)
    allowed = {
        "manage": can.manage_survey,
        "reschedule": can.reschedule_survey,
        "results": can.view_survey_results,
        "answer": can.answer_survey,
    }[need](survey)
    if not allowed:
        raise Http404
    return survey


def get_survey_to_answer(user, pk):
    """The survey and this person's invitation to it, in one query; Http404 for a missing
    survey and for one the person is not invited to alike (the answering pages and API).

    The invitation is the answer rule (`answer_survey`): holding one is being invited.
    """
    from opiskeluhuolto.surveys.models import Invitation

    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        invitation = Invitation.objects.select_related("survey").get(survey_id=pk, user=user)
    except (Invitation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return invitation.survey, invitation
