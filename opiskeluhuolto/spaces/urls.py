from django.urls import path

from . import views

app_name = "spaces"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.space, name="space"),
    path("<int:pk>/book/", views.book, name="book"),
    path("<int:pk>/usage/", views.usage, name="usage"),
    path("<int:pk>/visits/", views.visits, name="visits"),
    path("<int:pk>/hours/", views.hours, name="hours"),
    path("<int:pk>/opening/", views.opening, name="opening"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
]
