from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.project, name="project"),
    path("<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
]
