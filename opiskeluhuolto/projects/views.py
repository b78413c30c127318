"""Pages of development projects: the list, a project with its results, the funder's PDF."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opiskeluhuolto.access import policies
from opiskeluhuolto.access import projects as access

from . import results


@policies.authenticated
@require_GET
def index(request):
    rows = access.projects_visible_to(request.user).select_related("institution")
    return render(request, "projects/index.html", {"projects": rows})


@policies.authenticated
@require_GET
def project(request, pk):
    project = access.get_project(request.user, pk)
    return render(
        request,
        "projects/project.html",
        {"project": project, "rows": results.results(project)},
    )


@policies.authenticated
@require_GET
def results_pdf(request, pk):
    project = access.get_project(request.user, pk)
    response = HttpResponse(results.results_pdf(project), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-results.pdf"'
    return response
