from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("events/", views.events, name="events"),
    path("events.csv", views.export, name="export"),
]
