from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from opiskeluhuolto.access import for_user, policies

from .registry import panels_for


@policies.authenticated
@require_GET
def home(request):
    can = for_user(request.user)
    return render(request, "front/home.html", {"can": can, "panels": panels_for(request, can)})


@policies.public("load balancers and monitoring probe it without an account")
@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@policies.public("choosing the language must work before signing in")
@require_POST
def set_language(request):
    return django_set_language(request)


@policies.public("the accessibility statement is public by law (LAW.md L-306-2)")
@require_GET
def accessibility(request):
    return render(request, "front/accessibility.html")
