from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.index, name="index"),
    path("runs/<int:pk>/", views.run, name="run"),
]
