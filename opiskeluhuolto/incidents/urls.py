from django.urls import path

from . import views, views_refer

app_name = "incidents"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/refer/", views_refer.refer, name="refer"),
    path("p/<slug:slug>/report/", views.anonymous, name="anonymous"),
]
