from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictional council's demo data (`manage.py load_demo`). It builds on every other app, through
    their services, and nothing depends on it."""

    name = "demo"
    verbose_name = "Demo data"
