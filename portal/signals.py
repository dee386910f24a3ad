"""Keeping role groups in step: after migrations, and whenever a person's role changes."""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.db.models.signals import post_init, post_migrate, post_save
from django.dispatch import receiver

from .models import User


def _last_migrated_app_label() -> str:
    """post_migrate is sent once per app; permissions of every app exist only after the last one."""
    labels = [config.label for config in apps.get_app_configs() if config.models_module is not None]
    return labels[-1]


def role_groups_after_migrate(sender: AppConfig, using: str = "default", **kwargs) -> None:
    if sender.label != _last_migrated_app_label():
        return
    from .services import role_groups_ensure

    role_groups_ensure()


def connect() -> None:
    post_migrate.connect(role_groups_after_migrate, dispatch_uid="portal.role_groups_after_migrate")


@receiver(post_init, sender=User, dispatch_uid="portal.user_role_at_load")
def _remember_role(sender, instance: User, **kwargs) -> None:  # noqa: ANN001
    instance._role_at_load = instance.role if instance.pk else None


@receiver(post_save, sender=User, dispatch_uid="portal.user_role_groups")
def _sync_role_groups(sender, instance: User, created: bool, update_fields=None, raw: bool = False, **kwargs):  # noqa: ANN001, ANN201
    """Groups mirror the role however it was set (the CMS user editor, a script, a factory)."""
    if raw or (update_fields is not None and "role" not in update_fields):
        return
    changed = created or instance.role != getattr(instance, "_role_at_load", None)
    instance._role_at_load = instance.role
    if not changed or getattr(instance, "_role_groups_synced", False):
        instance._role_groups_synced = False
        return
    from .services import CMS_ROLES, user_role_groups_sync

    user_role_groups_sync(user=instance)
    if instance.role in CMS_ROLES and not instance.is_staff:
        User.objects.filter(pk=instance.pk).update(is_staff=True)
        instance.is_staff = True
