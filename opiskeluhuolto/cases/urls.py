from django.urls import path

from . import expert_group_views, own_consent, views

app_name = "cases"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.moved_case_page, name="moved_case_page"),
    path("refer/", views.refer, name="refer"),
    path("refer/<int:pk>/", views.refer_student, name="refer_student"),
    path("ask-for-help/", views.self_refer, name="self_refer"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("referrals/<int:pk>/student-notice/", views.student_notice, name="student_notice"),
    path("referrals/<int:pk>/guardian-notice/", views.release_notice, name="release_notice"),
    path("referrals/<int:pk>/open-case/", expert_group_views.open_case, name="open_case"),
    path("referrals/<int:pk>/close/", views.close_referral, name="close_referral"),
    path("<int:pk>/expert-group/", expert_group_views.expert_group, name="expert_group"),
    path("<int:pk>/consents/new/", expert_group_views.add_consent, name="add_consent"),
    path("<int:pk>/my-consent/", own_consent.own_consent, name="own_consent"),
    path(
        "consents/<int:pk>/withdraw/", expert_group_views.withdraw_consent, name="withdraw_consent"
    ),
    path(
        "consents/<int:pk>/withdraw-mine/",
        expert_group_views.withdraw_own_consent,
        name="withdraw_own_consent",
    ),
    path("<int:pk>/close/", expert_group_views.close, name="close"),
    path("<int:pk>/responsible/", expert_group_views.responsible, name="responsible"),
    path("memberships/<int:pk>/end/", expert_group_views.end_membership, name="end_membership"),
    path("<int:pk>/guardian-prohibition/", views.prohibition, name="prohibition"),
    path("prohibitions/<int:pk>/lift/", views.lift_prohibition, name="lift_prohibition"),
]
