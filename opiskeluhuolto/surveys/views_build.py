"""Pages of those who run surveys: build (from a template or from scratch) with a preview in
Finnish, Swedish and English, open, close, screen free text, release, export. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import policies
from opiskeluhuolto.access.permissions import for_user
from opiskeluhuolto.access.surveys import (
    get_survey,
    result_reader_choices,
    survey_clock_items,
)

from . import actions, exports
from . import results as results_mod
from .forms import NewSurveyForm, QuestionForm, RescheduleForm, ResultReadersForm
from .models import LANGUAGES, SMALL_CELL, TextAnswer, pick


def _groups(request):
    from opiskeluhuolto.meetings.models import Group

    can = for_user(request.user)
    ids = [g.pk for g in Group.objects.exclude(kind="student_body") if can.build_survey_for(g)]
    return Group.objects.filter(pk__in=ids)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, msgs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, error.messages)


@policies.staff
def new(request):
    groups = _groups(request)
    form = NewSurveyForm(
        request.POST or None, groups=groups, clock_items=survey_clock_items(request.user, groups)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = {
            "campus": d["campus"],
            "student_group": d["student_group"],
            "starting_year": d["starting_year"],
        }
        try:
            with transaction.atomic():
                if d["template"]:
                    survey = actions.create_from_template(
                        d["template"], d["group"], by=request.user, audience=d["audience"],
                        is_anonymous=d["is_anonymous"], **unit,
                    )  # fmt: skip
                    if d["title"].strip():
                        survey.title = {**survey.title, "fi": d["title"].strip()}
                        survey.save(update_fields=["title"])
                else:
                    survey = actions.create_survey(
                        d["group"], by=request.user, title={"fi": d["title"].strip()},
                        audience=d["audience"], is_anonymous=d["is_anonymous"], **unit,
                    )  # fmt: skip
                if d["clock_item"]:  # the item gives the dates the user left empty
                    actions.window_from_item(survey, d["clock_item"], today=timezone.localdate())
                actions.set_window(
                    survey,
                    opens_on=d["opens_on"] or survey.opens_on,
                    closes_on=d["closes_on"] or survey.closes_on,
                    results_on=d["results_on"] or (survey.results_on if d["clock_item"] else None),
                )
            return redirect("surveys:edit", pk=survey.pk)
        except ValidationError as e:
            _add_errors(form, e)
    status = 400 if form.errors else 200
    return render(
        request, "surveys/new.html", {"form": form, "has_groups": groups.exists()}, status=status
    )


@policies.staff
def edit(request, pk):
    survey = get_survey(request.user, pk, need="manage")
    lang = request.GET.get("lang") if request.GET.get("lang") in LANGUAGES else "fi"
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        text = {k: d[f"text_{k}"] for k in LANGUAGES if d[f"text_{k}"]}
        try:
            actions.add_question(
                survey, kind=d["kind"], text=text, options=d["option_list"], required=d["required"]
            )
            return redirect("surveys:edit", pk=survey.pk)
        except ValidationError as e:
            _add_errors(form, e)
    return _render_edit(request, survey, lang, form=form)


def _readers_form(survey, data=None) -> ResultReadersForm:
    return ResultReadersForm(
        data,
        choices=result_reader_choices(survey, timezone.localdate()),
        initial={"shared_with": list(survey.shared_with.all())},
    )


def _render_edit(request, survey, lang, *, form, readers_form=None):
    preview = [
        {
            "q": q,
            "text": pick(q.text, lang),
            "options": [pick(o, lang) for o in q.options],
        }
        for q in survey.questions.all()
    ]
    context = {
        "survey": survey,
        "form": form,
        "lang": lang,
        "preview_languages": LANGUAGES,
        "title": pick(survey.title, lang),
        "intro": pick(survey.intro, lang),
        "preview": preview,
        "audience_size": actions.audience_users(survey).count()
        if survey.status == "draft"
        else None,
        "pending_texts": TextAnswer.objects.filter(
            question__survey=survey, screening=TextAnswer.Screening.PENDING
        )[:50],
        "today": timezone.localdate(),
        "small_cell": SMALL_CELL,
        "readers_form": readers_form or _readers_form(survey),
    }
    failed = form.errors or (readers_form is not None and readers_form.errors)
    return render(request, "surveys/edit.html", context, status=400 if failed else 200)


@require_POST
@policies.staff
def share(request, pk):
    """Name who else reads the released results (audited)."""
    survey = get_survey(request.user, pk, need="manage")
    readers_form = _readers_form(survey, request.POST)
    if readers_form.is_valid():
        try:
            actions.share_results(survey, readers_form.cleaned_data["shared_with"], by=request.user)
            messages.success(request, _("Saved who else reads the results."))
            return redirect("surveys:edit", pk=survey.pk)
        except ValidationError as e:
            _add_errors(readers_form, e)
    return _render_edit(request, survey, "fi", form=QuestionForm(), readers_form=readers_form)


def _act(request, survey, fn, done: str):
    try:
        fn()
        messages.success(request, done)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    return redirect("surveys:edit", pk=survey.pk)


@require_POST
@policies.staff
def open_(request, pk):
    survey = get_survey(request.user, pk, need="manage")
    return _act(
        request,
        survey,
        lambda: actions.open_survey(survey, by=request.user),
        _("The survey is open."),
    )


@require_POST
@policies.staff
def close(request, pk):
    survey = get_survey(request.user, pk, need="manage")
    return _act(
        request,
        survey,
        lambda: actions.close_survey(survey, by=request.user),
        _("The survey is closed."),
    )


@require_POST
@policies.staff
def release(request, pk):
    survey = get_survey(request.user, pk, need="manage")
    if survey.released:
        messages.info(request, _("The results have already been released."))
        return redirect("surveys:edit", pk=survey.pk)
    return _act(
        request,
        survey,
        lambda: actions.request_release(survey, by=request.user),
        _("The results are being released: they are shown in a moment."),
    )


@require_POST
@policies.staff
def screen(request, pk):
    survey = get_survey(request.user, pk, need="manage")
    for answer in TextAnswer.objects.filter(
        question__survey=survey, pk__in=request.POST.getlist("show")
    ):
        actions.screen_text(answer, show=True, by=request.user)
    for answer in TextAnswer.objects.filter(
        question__survey=survey, pk__in=request.POST.getlist("hide")
    ):
        actions.screen_text(answer, show=False, by=request.user)
    return redirect("surveys:edit", pk=survey.pk)


@policies.authenticated
def results_csv(request, pk):
    survey = get_survey(request.user, pk, need="results")
    by = request.GET.get("by") if request.GET.get("by") in results_mod.BREAKDOWNS else None
    return exports.results_csv(survey, by)


@policies.authenticated
def results_pdf(request, pk):
    survey = get_survey(request.user, pk, need="results")
    response = HttpResponse(exports.results_pdf(survey), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kysely-{survey.pk}.pdf"'
    return response


@policies.staff
def reschedule(request, pk):
    """Move a planned or open survey's window and results date (audited)."""
    survey = get_survey(request.user, pk, need="reschedule")
    initial = {n: getattr(survey, n) for n in ("opens_on", "closes_on", "results_on")}
    form = RescheduleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reschedule(survey, by=request.user, **form.cleaned_data)
            messages.success(request, _("The survey's dates were changed."))
            return redirect("surveys:edit", pk=survey.pk)
        except ValidationError as e:
            _add_errors(form, e)
    status = 400 if form.errors else 200
    return render(
        request, "surveys/reschedule.html", {"survey": survey, "form": form}, status=status
    )
