from django.urls import path

from . import views

app_name = "announcements"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.read, name="read"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/send/", views.send, name="send"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("archive/", views.audience_archive, name="audience_archive"),
    path("archive/<int:pk>/", views.archive, name="archive"),
]
