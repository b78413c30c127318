from django.urls import path

from . import views

app_name = "identification"
urlpatterns = [
    path("strong/", views.strong_identification, name="strong"),
]
