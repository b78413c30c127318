"""Released results become evidence: indicator data points and an agenda item.

A question tied to an indicator of the welfare plan's goals gives the indicator its
value for the survey's year, per institution: the share (%) of respondents who chose
one of the counted options (or the mean when none are counted). Cells under the small-
cell threshold are stored with their respondent count and never shown (meetings.goals).
The owner group gets the released results on its next agenda (meetings.inbox).
"""

from __future__ import annotations

from django.db.models import Avg, Count
from django.urls import reverse
from django.utils.translation import gettext as _

from opiskeluhuolto.meetings import goals, inbox
from opiskeluhuolto.organisation.models import Institution

from .models import Answer, Survey


def indicator_values(survey: Survey) -> list[tuple]:
    """(indicator, institution, value, respondents) per question tied to an indicator."""
    out = []
    for q in survey.questions.filter(indicator__isnull=False).select_related("indicator"):
        rows = Answer.objects.filter(question=q)
        if survey.institution_id:
            institutions = [survey.institution]
        else:
            ids = rows.values_list("response__student_group__institution", flat=True).distinct()
            institutions = list(Institution.objects.filter(pk__in=[i for i in ids if i]))
        for institution in institutions:
            mine = (
                rows
                if survey.institution_id
                else rows.filter(response__student_group__institution=institution)
            )
            n = mine.aggregate(n=Count("response", distinct=True))["n"]
            if not n:
                continue
            if q.indicator_values:
                hits = mine.filter(value__in=q.indicator_values).aggregate(
                    n=Count("response", distinct=True)
                )["n"]
                value = round(100 * hits / n, 1)
            else:
                value = round(mine.aggregate(m=Avg("value"))["m"], 2)
            out.append((q.indicator, institution, value, n))
    return out


def on_release(survey: Survey, *, by, year: int) -> None:
    for indicator, institution, value, n in indicator_values(survey):
        goals.set_data_point(
            indicator,
            by=by,
            institution=institution,
            campus=None,
            year=year,
            value=value,
            respondents=n,
        )
    inbox.propose(
        survey.owner_group,
        _("Survey results: %(title)s") % {"title": survey.display_title},
        detail=_("%(n)s of %(invited)s answered.")
        % {"n": survey.responses.count(), "invited": survey.invited_count},
        origin="surveys",
        link=reverse("surveys:results", args=[survey.pk]),
        key=f"surveys:{survey.pk}",
    )
