from django.contrib import admin
from django.urls import include, path

from opiskeluhuolto.api.urls import urlpatterns as api_urlpatterns
from opiskeluhuolto.front import views as front_views

urlpatterns = [
    path("", include("opiskeluhuolto.front.urls")),
    path("healthz", front_views.healthz, name="healthz"),
    path("favicon.ico", front_views.favicon, name="favicon"),
    path("i18n/setlang/", front_views.set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("identification/", include("opiskeluhuolto.accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api_urlpatterns()),
    path("org/", include("opiskeluhuolto.organisation.urls")),
    path("audit/", include("opiskeluhuolto.audit.urls")),
    path("cases/", include("opiskeluhuolto.cases.urls")),
    path("records/", include("opiskeluhuolto.records.urls")),
    path("appointments/", include("opiskeluhuolto.appointments.urls")),
    path("clock/", include("opiskeluhuolto.annualclock.urls")),
    path("meetings/", include("opiskeluhuolto.meetings.urls")),
    path("imports/", include("opiskeluhuolto.imports.urls")),
    path("insights/", include("opiskeluhuolto.insights.urls")),
    path("procedures/", include("opiskeluhuolto.procedures.urls")),
    path("incidents/", include("opiskeluhuolto.incidents.urls")),
    path("privacy/", include("opiskeluhuolto.privacy.urls")),
    path("surveys/", include("opiskeluhuolto.surveys.urls")),
    path("announcements/", include("opiskeluhuolto.announcements.urls")),
    path("events/", include("opiskeluhuolto.events.urls")),
    path("spaces/", include("opiskeluhuolto.spaces.urls")),
    path("projects/", include("opiskeluhuolto.projects.urls")),
]
