from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Case records"

    def ready(self) -> None:
        # deferred: the app registry is not ready while apps.py is imported
        from . import signals

        signals.connect()
