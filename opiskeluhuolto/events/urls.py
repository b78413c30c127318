from django.urls import path

from . import calendar_views, campaign_views, views

app_name = "events"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("campaigns/new/", campaign_views.new, name="campaign_new"),
    path("campaigns/<int:pk>/", campaign_views.campaign, name="campaign"),
    path("calendar/", calendar_views.index, name="calendar"),
    path("calendar/feeds/", calendar_views.feeds, name="calendar_feeds"),
    path(
        "calendar/feeds/<int:pk>/revoke/", calendar_views.feed_revoke, name="calendar_feed_revoke"
    ),
    path("calendar/feed/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
    path("<int:pk>/", views.event, name="event"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/feedback/", views.send_feedback, name="feedback"),
]
