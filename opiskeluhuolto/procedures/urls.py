from django.urls import path

from . import views, views_safety

app_name = "procedures"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("versions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("safety/", views_safety.index, name="safety"),
    path("safety/<int:pk>/", views_safety.record, name="safety_record"),
    path("safety/actions/<int:pk>/done/", views_safety.action_done, name="action_done"),
]
