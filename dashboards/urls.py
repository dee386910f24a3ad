from django.urls import path

from . import oversight_views, views

app_name = "dashboards"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("actions/", views.actions, name="actions"),
    path("disruptions/", views.disruptions, name="disruptions"),
    path("due-soon/", oversight_views.due_soon_view, name="due_soon"),
    path("compliance/", oversight_views.compliance_view, name="compliance"),
    path("compliance/<slug:slug>/", oversight_views.compliance_cases_view, name="compliance_cases"),
    path("stability/", oversight_views.stability_view, name="stability"),
    path("returns/<slug:key>/", oversight_views.return_view, name="return"),
    path("exports/log/", oversight_views.export_log, name="export_log"),
    path("exports/<int:pk>/", oversight_views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", oversight_views.export_download, name="export_download"),
]
