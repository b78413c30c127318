from django.urls import path

from . import views, views_hierarchy, views_plans

app_name = "meetings"
urlpatterns = [
    path("groups/", views.groups, name="groups"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group, name="group"),
    path("groups/<int:pk>/members/", views.member_add, name="member_add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("groups/<int:pk>/items/", views.standing_add, name="standing_add"),
    path("groups/<int:pk>/highlight/", views.highlight_add, name="highlight_add"),
    path("groups/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("standing-items/<int:pk>/raise/", views.standing_raise, name="standing_raise"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/assemble/", views.meeting_assemble, name="meeting_assemble"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/attendees/", views.attendees, name="attendees"),
    path("<int:pk>/publish/", views.meeting_publish, name="meeting_publish"),
    path("<int:pk>/minutes.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("items/<int:pk>/", views.item_minutes, name="item_minutes"),
    path("items/<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path(
        "follow-ups/<int:pk>/send-down/",
        views_hierarchy.follow_up_send_down,
        name="follow_up_send_down",
    ),
    path(
        "groups/<int:pk>/providers/", views_hierarchy.member_providers, name="member_providers"
    ),
    path("plans/", views_plans.plan_list, name="plans"),
    path("plans/new/", views_plans.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views_plans.plan, name="plan"),
    path("plans/<int:pk>/draft/", views_plans.plan_draft, name="plan_draft"),
    path("plans/<int:pk>/evaluations/", views_plans.plan_evaluate, name="plan_evaluate"),
    path("plan-versions/<int:pk>/", views_plans.plan_version, name="plan_version"),
    path("plan-versions/<int:pk>/diff/", views_plans.plan_diff, name="plan_diff"),
    path("plan-versions/<int:pk>/sections/", views_plans.plan_section_add, name="plan_section_add"),
    path(
        "plan-versions/<int:pk>/comments/open/",
        views_plans.plan_open_comments,
        name="plan_open_comments",
    ),
    path("plan-versions/<int:pk>/comments/", views_plans.plan_comment, name="plan_comment"),
    path(
        "plan-versions/<int:pk>/participation/",
        views_plans.plan_participation,
        name="plan_participation",
    ),
    path("plan-versions/<int:pk>/approve/", views_plans.plan_approve, name="plan_approve"),
    path("plan-sections/<int:pk>/", views_plans.plan_section_edit, name="plan_section_edit"),
    path(
        "institutions/<int:institution_pk>/announce/",
        views_plans.plan_announce,
        name="plan_announce",
    ),
    path("public/<int:institution_pk>/plan/", views_plans.plan_public, name="plan_public"),
    path("indicators/", views_plans.indicators, name="indicators"),
    path("indicators/import/", views_plans.indicators_import, name="indicators_import"),
    path("indicators/new/", views_plans.indicator_new, name="indicator_new"),
    path("indicators/<int:pk>/", views_plans.indicator, name="indicator"),
    path("indicators/<int:pk>/data/", views_plans.indicator_data, name="indicator_data"),
]
