from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OutboxConfig(AppConfig):
    """Durable messages: written in the same transaction as the change, delivered by django-q2."""

    name = "outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # deferred: the app registry is not ready while apps.py is imported
        from .schedules import schedules_ensure

        post_migrate.connect(schedules_ensure, sender=self, dispatch_uid="outbox.schedules_ensure")
