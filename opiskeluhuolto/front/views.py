from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from opiskeluhuolto.access import for_user, policies

from . import services
from .forms import FeedbackForm
from .models import AccessibilityFeedback, ProviderContact
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


@policies.public("browsers ask for /favicon.ico on pages without an icon link (JSON, PDF)")
@require_GET
def favicon(request):
    """Send the browser to the static icon. Without this route, the icon request a browser
    makes for a JSON or PDF answer got the HTML 404 page, whose language form set a new
    CSRF cookie: arriving during a sign-in, it replaced the cookie the sign-in form's
    token belonged to, and the sign-in was refused (403)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@policies.public("choosing the language must work before signing in")
@require_POST
def set_language(request):
    return django_set_language(request)


@policies.public("the accessibility statement is public by law (LAW.md L-306-2)")
@require_GET
def accessibility(request):
    """The statement, with each provider's real feedback address (LAW.md L-306-2)."""
    contacts = ProviderContact.objects.select_related("provider").order_by("provider__name")
    return render(request, "front/accessibility.html", {"contacts": contacts})


@policies.public("accessibility feedback must reach the provider without an account (L-306-3)")
@require_http_methods(["GET", "POST"])
def accessibility_feedback(request):
    """Feedback with a receipt showing the time received and the answer's due date."""
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feedback = services.receive_feedback(
                form.cleaned_data["provider"],
                message=form.cleaned_data["message"],
                reply_to=form.cleaned_data["reply_to"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return render(
                request,
                "front/feedback_received.html",
                {"receipt": services.receipt_text(feedback), "feedback": feedback},
            )
    status = 400 if form.errors else 200
    return render(request, "front/feedback_form.html", {"form": form}, status=status)


@policies.provider_admin
@require_http_methods(["GET", "POST"])
def feedback_list(request):
    """The provider admin follows the two-week answer of each piece of feedback."""
    can = for_user(request.user)
    rows = AccessibilityFeedback.objects.filter(provider_id__in=can.admin_provider_ids())
    if request.method == "POST":
        feedback = rows.filter(pk=request.POST.get("feedback") or 0).first()
        if feedback is None:
            raise Http404
        try:
            services.answer_feedback(feedback, by=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The feedback was marked answered."))
        return redirect("front:feedback_list")
    context = {"rows": rows.order_by("answered_at", "due_on")[:200], "today": can.today}
    return render(request, "front/feedback_list.html", context)
