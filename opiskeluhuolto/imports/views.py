"""Uploading import files and following their progress (provider admins only)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from opiskeluhuolto.access import policies
from opiskeluhuolto.access.insights import (
    get_import_run,
    import_institutions,
    import_runs_visible_to,
)

from . import actions
from .errors import message
from .forms import UploadForm
from .models import ImportRun
from .tasks import run_import_task


def upload_dir() -> Path:
    path = Path(getattr(settings, "IMPORT_UPLOAD_DIR", settings.BASE_DIR / "var" / "imports"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def index(request):
    institutions = import_institutions(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        path = upload_dir() / f"{uuid.uuid4()}.csv"
        # Hashed as it is written, so a file imported before is refused now, not after
        # the task has read it all (a year's attendance is a gigabyte).
        digest = hashlib.sha256()
        with open(path, "wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
                digest.update(chunk)
        with transaction.atomic():
            run = actions.create_run(
                form.cleaned_data["institution"],
                kind=form.cleaned_data["kind"],
                path=path,
                file_name=form.cleaned_data["file"].name,
                user=request.user,
                sha256=digest.hexdigest(),
            )
            if run.status == ImportRun.Status.DUPLICATE:
                path.unlink(missing_ok=True)  # the upload holds learner ids: not kept
            else:
                transaction.on_commit(lambda: run_import_task.enqueue(run.pk))
        return redirect("imports:run", pk=run.pk)
    actions.mark_stale_runs()
    runs = import_runs_visible_to(request.user).select_related("institution")[:50]
    return render(request, "imports/index.html", {"form": form, "runs": runs})


@policies.provider_admin
@require_GET
def run(request, pk):
    obj = get_import_run(request.user, pk)
    errors = [(e.get("line"), message(e)) for e in obj.errors]
    context = {"run": obj, "errors": errors}
    template = "imports/run.html#status" if request.htmx else "imports/run.html"
    return render(request, template, context)
