from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The start page: panels from every app (case records, notifications, meetings, actions). It may
    depend on all of them; none of them depends on it (issue 15: dependencies point one way)."""

    name = "home"
    verbose_name = "Home page"
