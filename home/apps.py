from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages that gather panels from every app: the start page (case records, notifications,
    meetings, actions) and a child's page (the case record with the child's meetings). It may depend on
    all of them; none of them depends on it (issue 15: dependencies point one way)."""

    name = "home"
    verbose_name = "Home page"
