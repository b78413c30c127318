from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("students/<int:pk>/copy.pdf", views.copy_pdf, name="copy_pdf"),
    path("students/<int:pk>/copy.json", views.copy_json, name="copy_json"),
    path("notice/", views.notices, name="notices"),
    path("notice/<int:pk>/", views.notice, name="notice"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/answer/", views.answer, name="answer"),
    path("refusals/<int:pk>/end/", views.end_restriction, name="end_restriction"),
]
