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
]
