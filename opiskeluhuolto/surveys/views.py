"""Pages of surveys: the list, answering (phone first), the released results. Thin: the rules
are in actions/, results.py and access/surveys.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opiskeluhuolto.access import policies
from opiskeluhuolto.access.permissions import for_user
from opiskeluhuolto.access.surveys import get_survey, get_survey_to_answer

from . import actions
from . import results as results_mod
from .results_table import tables


@policies.authenticated
def survey_list(request):
    can = for_user(request.user)
    return render(
        request,
        "surveys/list.html",
        {
            "to_answer": actions.open_for(request.user),
            "managed": can.surveys_managed().order_by("-pk")[:50],
            "can_build": can.is_staff_member,
        },
    )


def _form_answers(request, questions) -> dict:
    data: dict = {}
    for q in questions:
        key = f"q{q.pk}"
        data[str(q.pk)] = (
            request.POST.getlist(key) if q.kind == "multi" else request.POST.get(key, "")
        )
    return data


def _failure_message(saving: bool, had_draft: bool, fixable: bool) -> str:
    """What a refused send or save left behind, truthfully: the answers saved earlier
    stay as they were; this attempt was not accepted; and what to do."""
    if saving:
        state = (
            _("These changes were not saved; the answers you saved earlier are kept.")
            if had_draft
            else _("Nothing was saved yet.")
        )
        fix = _("Fix the answers marked below and save again.")
    else:
        state = (
            _("Your answers were not sent. The answers you saved earlier are kept.")
            if had_draft
            else _("Your answers were not sent, and nothing was saved.")
        )
        fix = _("Fix the answers marked below and send again.")
    return f"{state} {fix}" if fixable else state


@policies.authenticated
def answer(request, pk):
    """One page of a survey. A POST costs a constant number of queries whatever the number
    of questions (tests/test_queries.py); a sent or saved page redirects (PRG) and the
    page it lands on confirms it."""
    survey, invitation = get_survey_to_answer(request.user, pk)
    today = timezone.localdate()
    if invitation.has_answered:
        return render(
            request, "surveys/answered.html", {"survey": survey, "thanks": "sent" in request.GET}
        )
    errors: dict = {}
    questions = list(survey.questions.all())
    values = dict(invitation.draft)
    had_draft = bool(invitation.draft)  # answers saved earlier, kept whatever happens now
    if request.method == "POST":
        values = _form_answers(request, questions)
        kwargs = {"today": today, "invitation": invitation, "questions": questions}
        try:
            if "save" in request.POST:
                actions.save_draft(survey, request.user, values, **kwargs)
                messages.success(
                    request, _("Your answers so far are saved. You can continue later.")
                )
                return redirect("surveys:answer", pk=survey.pk)
            actions.submit(survey, request.user, values, **kwargs)
            return redirect(reverse("surveys:answer", args=[survey.pk]) + "?sent=1")
        except ValidationError as e:
            errors = e.message_dict
        except actions.NotOpen:
            errors = {"__all__": [_("The survey is not open for answers.")]}
        except actions.AlreadyAnswered:
            return render(request, "surveys/answered.html", {"survey": survey}, status=409)
    rows = [
        {
            "q": q,
            "value": values.get(str(q.pk)),
            "error": (errors.get(str(q.pk)) or [None])[0],
            "options": [
                {"value": o["value"], "label": q.option_label(o["value"])} for o in q.options
            ],
        }
        for q in questions
    ]
    status = 400 if errors else 200
    fixable = any(key != "__all__" for key in errors)
    failed = _failure_message("save" in request.POST, had_draft, fixable) if errors else ""
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "questions": rows,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "failed": failed,
            "open": survey.is_open_on(today),
        },
        status=status,
    )


@policies.authenticated
def results(request, pk):
    survey = get_survey(request.user, pk, need="results")
    by = request.GET.get("by")
    if by not in results_mod.BREAKDOWNS:
        by = None
    rows, respondents = results_mod.compute_kept(survey, by=by, can=for_user(request.user))
    return render(
        request,
        "surveys/results.html",
        {"survey": survey, "by": by, "rows": tables(rows), "respondents": respondents},
    )
