from django.urls import path

from . import views

app_name = "records"
urlpatterns = [
    path("cases/<int:pk>/", views.case_page, name="case"),
    path("cases/<int:pk>/entries/new/", views.add_entry, name="add_entry"),
    path("entries/<int:pk>/amend/", views.amend, name="amend"),
    path("cases/<int:pk>/disclose/", views.disclose, name="disclose"),
    path("cases/<int:pk>/pdf/", views.pdf, name="pdf"),
    path("cases/<int:pk>/print/", views.print_record, name="print"),
    path("cases/<int:pk>/rectification/", views.rectify, name="rectify"),
    path("rectifications/<int:pk>/", views.decide, name="decide"),
    path("who-has-read-my-data/", views.my_log, name="my_log"),
    path("access-log/", views.access_log, name="access_log"),
    path("access-review/", views.access_review, name="access_review"),
    path("destruction/", views.destruction, name="destruction"),
]
