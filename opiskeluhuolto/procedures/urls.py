from django.urls import path

from . import views

app_name = "procedures"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("versions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
]
