from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/", views.institution, name="institution"),
    path("institutions/<int:pk>/calendar/", views.calendar, name="calendar"),
    path("school-years/<int:pk>/periods/new/", views.add_period, name="add_period"),
    path("periods/<int:pk>/remove/", views.remove_period, name="remove_period"),
    path("students/", views.students, name="students"),
    path("students/<int:pk>/", views.student, name="student"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_new, name="organisation_new"),
    path("organisations/<int:pk>/", views.organisation, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/employees/", views.employer_set, name="employer_set"),
    path("organisations/<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("organisations/<int:pk>/services/new/", views.service_add, name="service_add"),
    path("organisations/<int:pk>/agreements/new/", views.agreement_add, name="agreement_add"),
    path("organisation-services/<int:pk>/", views.service_edit, name="service_edit"),
    path("organisation-contacts/<int:pk>/remove/", views.contact_remove, name="contact_remove"),
    path("organisation-services/<int:pk>/remove/", views.service_remove, name="service_remove"),
    path(
        "organisation-agreements/<int:pk>/remove/",
        views.agreement_remove,
        name="agreement_remove",
    ),
]
