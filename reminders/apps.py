from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class RemindersConfig(AppConfig):
    """Follow-through: in-app notifications, the daily sweep and its escalation ladder (issue 13)."""

    name = "reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # deferred: these read models, which Django's app registry lets a module import only once it is ready
        from outbox.models import OutboxMessage

        from .schedules import schedules_ensure
        from .services import notification_for_message

        post_migrate.connect(schedules_ensure, sender=self, dispatch_uid="reminders.schedules_ensure")
        post_save.connect(notification_for_message, sender=OutboxMessage, dispatch_uid="reminders.notify")
