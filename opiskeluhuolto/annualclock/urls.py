from django.urls import path

from . import views

app_name = "annualclock"
urlpatterns = [
    path("", views.clocks, name="clocks"),
    path("new/", views.clock_new, name="clock_new"),
    path("<int:pk>/", views.clock, name="clock"),
    path("<int:pk>/months/", views.months, name="months"),
    path("<int:pk>/items/new/", views.item_add, name="item_add"),
    path("<int:pk>/feeds/", views.feeds, name="feeds"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/adapt/", views.item_adapt, name="item_adapt"),
    path("feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
