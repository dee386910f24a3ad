from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    """Who changed what: the history of records (django-simple-history) and the append-only guards."""

    name = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # deferred: the app registry is not ready while apps.py is imported
        from .append_only import guards_connect, triggers_ensure

        guards_connect()
        post_migrate.connect(triggers_ensure, sender=self, dispatch_uid="audit.triggers_ensure")
