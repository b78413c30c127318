from django.urls import path

from . import supervisor, views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("my-group/<int:pk>/", supervisor.supervisor_group, name="supervisor_group"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accessibility/feedback/", views.accessibility_feedback, name="accessibility_feedback"),
    path("accessibility/feedback/received/", views.feedback_list, name="feedback_list"),
]
