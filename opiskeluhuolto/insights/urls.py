from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("chart.svg", views.chart_svg, name="chart_svg"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/acknowledge/", views.task_acknowledge, name="task_acknowledge"),
    path("tasks/<int:pk>/resolve/", views.task_resolve, name="task_resolve"),
    path("groups/<int:pk>/", views.group, name="group"),
    path(
        "regional-plans/<int:pk>/comparison/",
        views.regional_comparison,
        name="regional_comparison",
    ),
]
