from django.urls import path

from . import views, views_build

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views_build.new, name="new"),
    path("<int:pk>/", views.answer, name="answer"),
    path("<int:pk>/edit/", views_build.edit, name="edit"),
    path("<int:pk>/open/", views_build.open_, name="open"),
    path("<int:pk>/close/", views_build.close, name="close"),
    path("<int:pk>/release/", views_build.release, name="release"),
    path("<int:pk>/screen/", views_build.screen, name="screen"),
    path("<int:pk>/reschedule/", views_build.reschedule, name="reschedule"),
    path("<int:pk>/share/", views_build.share, name="share"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.csv", views_build.results_csv, name="results_csv"),
    path("<int:pk>/results.pdf", views_build.results_pdf, name="results_pdf"),
]
