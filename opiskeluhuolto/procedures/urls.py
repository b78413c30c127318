from django.urls import path

from . import views, views_attachments, views_safety, views_settings, views_versions

app_name = "procedures"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views_versions.new_procedure, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("versions/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("versions/<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/settings/", views_settings.procedure_settings, name="settings"),
    path("<int:pk>/versions/new/", views_versions.new_version, name="version_new"),
    path("versions/<int:pk>/edit/", views_versions.edit_version, name="version_edit"),
    path("versions/<int:pk>/discard/", views_versions.discard_version, name="version_discard"),
    path("versions/<int:pk>/approve/", views_versions.approve_version, name="version_approve"),
    path("versions/<int:pk>/attachments/", views_attachments.add, name="attachment_add"),
    path("attachments/<int:pk>/", views_attachments.download, name="attachment"),
    path("attachments/<int:pk>/remove/", views_attachments.remove, name="attachment_remove"),
    path("safety/", views_safety.index, name="safety"),
    path("safety/new/", views_safety.new_record, name="safety_new"),
    path("safety/<int:pk>/", views_safety.record, name="safety_record"),
    path("safety/<int:pk>/actions/", views_safety.record_actions, name="safety_actions"),
    path("safety/actions/<int:pk>/done/", views_safety.action_done, name="action_done"),
]
