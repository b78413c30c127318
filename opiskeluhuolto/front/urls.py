from django.urls import path

from . import views

app_name = "front"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accessibility/feedback/", views.accessibility_feedback, name="accessibility_feedback"),
    path("accessibility/feedback/received/", views.feedback_list, name="feedback_list"),
]
