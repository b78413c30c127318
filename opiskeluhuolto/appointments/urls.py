from django.urls import path

from . import conversation_views, report_views, staff_views, views, visit_views

app_name = "appointments"
urlpatterns = [
    path("", views.index, name="index"),
    path("book/", views.book, name="book"),
    path("request/", views.request_new, name="request_new"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/move/", views.rebook, name="rebook"),
    path("bookings/<int:pk>/calendar.ics", views.booking_ics, name="booking_ics"),
    path("bookings/<int:pk>/held/", staff_views.booking_held, name="booking_held"),
    path("work/", staff_views.work, name="work"),
    path("requests/new/", staff_views.staff_request_new, name="staff_request_new"),
    path("requests/<int:pk>/", staff_views.request_detail, name="request_detail"),
    path(
        "requests/<int:pk>/messages/",
        conversation_views.request_messages,
        name="request_messages",
    ),
    path("requests/<int:pk>/write/", conversation_views.request_write, name="request_write"),
    path("bookings/<int:pk>/meeting/", conversation_views.booking_meeting, name="booking_meeting"),
    path("requests/<int:pk>/urgency/", staff_views.request_urgency, name="request_urgency"),
    path("requests/<int:pk>/book/", staff_views.request_book, name="request_book"),
    path("requests/<int:pk>/close/", staff_views.request_close, name="request_close"),
    path("availability/", staff_views.availability, name="availability"),
    path(
        "availability/<int:pk>/remove/",
        staff_views.availability_remove,
        name="availability_remove",
    ),
    path(
        "availability/exceptions/<int:pk>/remove/",
        staff_views.exception_remove,
        name="exception_remove",
    ),
    path("feed/new/", staff_views.feed_rotate, name="feed_rotate"),
    path("feed/off/", staff_views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("report/", report_views.report, name="report"),
    path("report.csv", report_views.report_csv, name="report_csv"),
    path("statistics/", visit_views.statistics, name="statistics"),
    path("statistics.csv", visit_views.statistics_csv, name="statistics_csv"),
    path("statistics/group-work/", visit_views.group_work_add, name="group_work_add"),
    path(
        "statistics/group-work/<int:pk>/remove/",
        visit_views.group_work_remove,
        name="group_work_remove",
    ),
    path("p/<slug:slug>/", views.public_page, name="public_page"),
]
