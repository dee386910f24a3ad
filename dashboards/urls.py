from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("actions/", views.actions, name="actions"),
    path("disruptions/", views.disruptions, name="disruptions"),
]
