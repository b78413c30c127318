"""The visit statistics of the kuraattori and the psychologist: page, CSV, group work.

Aggregates only (`visits.py`); small cells are hidden from everyone who does not work in
that service at the institution. Who sees the statistics is `access` (the readers of
the compliance figures); the CSV goes through `lib.csvexport`.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiskeluhuolto.access import appointments as access
from opiskeluhuolto.access import for_user, policies
from opiskeluhuolto.accounts.reconfirm import second_factor_recently_confirmed
from opiskeluhuolto.lib import csvexport
from opiskeluhuolto.lib.replica import replica_reads
from opiskeluhuolto.organisation.models import Campus, Institution, Organisation, RoleAssignment

from . import visits
from .forms import EMPLOYER_PROVIDER, GroupWorkForm, VisitStatisticsForm
from .models import GroupWork

YEARS_BACK = 3


def _scope(request):
    """The form, the chosen institution, year and employer, or 404 when the person sees none."""
    can = for_user(request.user)
    visible = [i for i in can.institutions_scope() if can.view_visit_statistics(i)]
    if not visible:
        raise Http404
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - YEARS_BACK, -1))
    # A link may name only the institution: the year is this year then.
    data = {"year": str(this_year), **request.GET.dict()} if request.GET else None
    employers = Organisation.objects.filter(
        provider_id__in={i.provider_id for i in visible}, employees__isnull=False
    ).distinct()
    form = VisitStatisticsForm(
        data,
        institutions=Institution.objects.filter(pk__in=[i.pk for i in visible]),
        years=years,
        employers=employers,
        initial={"institution": visible[0].pk, "year": this_year},
    )
    if data and form.is_valid():
        institution, year = form.cleaned_data["institution"], form.cleaned_data["year"]
        employer = form.cleaned_data["employer"]
    else:
        institution, year, employer = visible[0], this_year, ""
    return can, form, institution, year, employer


def _employed_staff(institution: Institution, employer: str) -> set[int] | None:
    """The welfare professionals of the institution employed by the chosen employer (the
    provider itself, or an organisation such as the wellbeing county); None for all."""
    if not employer:
        return None
    rows = RoleAssignment.objects.at_institution(institution).welfare_staff()
    if employer == EMPLOYER_PROVIDER:
        rows = rows.employed_by(None)
    else:
        rows = rows.filter(employer_id=int(employer))
    return set(rows.values_list("user_id", flat=True))


def _statistics(can, institution: Institution, year: int, employer: str = ""):
    start, end = date(year, 1, 1), min(date(year, 12, 31), timezone.localdate())
    exact = can.visit_statistics_exact_services(institution)
    computed = visits.compute(
        [institution.pk], start, end, professional_ids=_employed_staff(institution, employer)
    )
    stats = visits.suppress(computed, exact_services=exact)
    return visits.label(stats, campuses=_campus_names(institution)), exact


def _campus_names(institution: Institution) -> dict[int | None, str]:
    names: dict[int | None, str] = dict(
        Campus.objects.filter(institution=institution).values_list("pk", "name")
    )
    names[None] = _("no campus")
    return names


def _page(request, can, form, institution: Institution, year: int, group_form=None, employer=""):
    stats, exact = _statistics(can, institution, year, employer)
    services = can.record_group_work(institution)
    campuses = Campus.objects.filter(institution=institution)
    if group_form is None and services:
        group_form = GroupWorkForm(services=services, campuses=campuses)
    context = {
        "form": form,
        "institution": institution,
        "year": year,
        "stats": stats,
        "all_exact": len(exact) == 2,
        "small_cell": visits.SMALL_CELL,
        "query": request.GET.urlencode(),
        "group_form": group_form,
        "own_work": GroupWork.objects.filter(
            professional=request.user, institution=institution, day__year=year
        ).select_related("campus")[:20],
    }
    status = 400 if group_form is not None and group_form.errors else 200
    return render(request, "appointments/statistics.html", context, status=status)


@replica_reads
@policies.staff
@require_GET
def statistics(request):
    can, form, institution, year, employer = _scope(request)
    return _page(request, can, form, institution, year, employer=employer)


@replica_reads
@policies.staff
@require_GET
@second_factor_recently_confirmed
def statistics_csv(request):
    can, _form, institution, year, employer = _scope(request)
    stats, _exact = _statistics(can, institution, year, employer)
    hidden = f"<{visits.SMALL_CELL}"
    rows: list[list] = []
    for section, cells in ((_("by service"), stats.by_service), (_("by campus"), stats.by_campus)):
        for c in cells:
            rows.append(
                [
                    section,
                    c.service_label,
                    c.campus_label if section == _("by campus") else "",
                    _("visits"),
                    hidden if c.hidden else c.visits,
                    hidden if c.hidden else c.students,
                    hidden if c.hidden else c.first_visits,
                    "",
                    "",
                ]
            )
    for w in stats.waiting:
        rows.append(
            [
                _("waiting times"),
                w.service_label,
                "",
                _("urgent") if w.urgent else _("normal"),
                hidden if w.hidden else w.requests,
                "",
                "",
                "" if w.hidden or w.share_met is None else f"{100 * w.share_met:.1f}",
                "" if w.median_days is None else f"{w.median_days:.1f}",
            ]
        )
    for g in stats.group_work:
        rows.append(
            [
                _("group and communal work"),
                g.service_label,
                "",
                g.kind_label,
                g.sessions,
                g.participants,
                "",
                "",
                f"{g.hours:.1f}",
            ]
        )
    return csvexport.csv_response(
        f"kayntitilasto-{institution.slug}-{year}.csv",
        [
            _("table"),
            _("service"),
            _("campus"),
            _("kind"),
            _("count"),
            _("students or participants"),
            _("first visits"),
            _("met the legal limit (%)"),
            _("median working days, or hours"),
        ],
        rows,
    )


@policies.welfare_professional
@require_http_methods(["POST"])
def group_work_add(request):
    """Record one session of group or communal work at an institution where I work."""
    can = for_user(request.user)
    try:
        institution = Institution.objects.get(pk=int(request.POST.get("institution", "")))
    except (Institution.DoesNotExist, ValueError):
        raise Http404 from None
    services = can.record_group_work(institution)
    if not services:
        raise Http404
    form = GroupWorkForm(
        request.POST, services=services, campuses=Campus.objects.filter(institution=institution)
    )
    if not form.is_valid():
        # The errors next to their fields, on the statistics page of that institution.
        _can, stats_form, _institution, year, _employer = _scope(request)
        return _page(request, can, stats_form, institution, year, group_form=form)
    work = form.save(commit=False)
    work.professional = request.user
    work.institution = institution
    work.save()
    messages.success(request, _("The group work was recorded."))
    return redirect(f"{reverse('appointments:statistics')}?institution={institution.pk}")


@policies.welfare_professional
@require_POST
def group_work_remove(request, pk):
    work = access.get_own_group_work(request.user, pk)
    institution_id = work.institution_id
    work.delete()
    messages.success(request, _("The entry was removed."))
    return redirect(f"{reverse('appointments:statistics')}?institution={institution_id}")
