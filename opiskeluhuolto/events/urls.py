from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/invite/", views.invite, name="invite"),
]
