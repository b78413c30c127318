"""Attachments of a version: adding a file to a draft, downloading, removing from a draft."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.lib.forms import apply_errors

from . import attachments
from .models import Attachment, ProcedureVersion


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        error_messages={"required": gettext_lazy("Choose the file to attach.")},
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Without a title the file's name is shown."),
    )


def _managed_version(user, pk) -> ProcedureVersion:
    version = get_object_or_404(
        ProcedureVersion.objects.select_related("procedure__owner_group"), pk=pk
    )
    if not for_user(user).manage_procedure(version.procedure):
        raise Http404
    return version


@policies.school_staff
def add(request, pk: int):
    version = _managed_version(request.user, pk)
    if not version.is_draft:
        messages.error(request, _("A published version cannot be changed; draft a new one."))
        return redirect("procedures:detail", pk=version.procedure_id)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                attachments.add(
                    version,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    by=request.user,
                )
            except ValidationError as e:
                apply_errors(form, e)
            else:
                messages.success(request, _("The file is attached to the draft."))
                return redirect("procedures:detail", pk=version.procedure_id)
        status = 400
    return render(
        request,
        "procedures/attachment_form.html",
        {
            "form": form,
            "version": version,
            "procedure": version.procedure,
            "allowed": attachments.allowed_types(),
        },
        status=status,
    )


@policies.public("a public procedure's attachment is read like the procedure itself")
def download(request, pk: int):
    attachment = get_object_or_404(
        Attachment.objects.select_related("version__procedure__owner_group"), pk=pk
    )
    if not for_user(request.user).read_procedure_version(attachment.version):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    if not attachment.file:
        if attachment.url:
            return redirect(attachment.url)
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as e:
        raise Http404 from e
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename or Path(attachment.file.name or "").name,
        content_type=attachment.content_type or "application/octet-stream",
    )


@require_POST
@policies.school_staff
def remove(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("version__procedure"), pk=pk)
    if not for_user(request.user).manage_procedure(attachment.version.procedure):
        raise Http404
    try:
        attachments.remove(attachment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The attachment is removed from the draft."))
    return redirect("procedures:detail", pk=attachment.version.procedure_id)
