"""Keeping role groups and the access table in step: after migrations, and whenever what they
mirror changes."""

from __future__ import annotations

from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_init, post_migrate, post_save, pre_delete
from django.dispatch import receiver

from .access import access_rebuild, access_refresh, team_children, user_children
from .choices import MANAGER_ROLES
from .models import CarerHousehold, Child, ChildAccess, Involvement, Placement, Team, User
from .services import CMS_ROLES, role_groups_ensure, user_role_groups_sync


def _last_migrated_app_label() -> str:
    """post_migrate is sent once per app; permissions of every app exist only after the last one."""
    labels = [config.label for config in apps.get_app_configs() if config.models_module is not None]
    return labels[-1]


def role_groups_after_migrate(sender: AppConfig, using: str = "default", **kwargs) -> None:
    if sender.label != _last_migrated_app_label():
        return

    role_groups_ensure()
    access_fill_if_empty()


def access_fill_if_empty() -> None:
    """A database migrated to the access table from an older version has children but no rows yet:
    fill it once (later changes keep it in step; the nightly check repairs any drift)."""
    if Child.objects.exists() and not ChildAccess.objects.exists():
        access_rebuild()


def connect() -> None:
    post_migrate.connect(role_groups_after_migrate, dispatch_uid="portal.role_groups_after_migrate")


@receiver(post_init, sender=User, dispatch_uid="portal.user_role_at_load")
def _remember_role(sender, instance: User, **kwargs) -> None:
    instance._role_at_load = instance.role if instance.pk else None


@receiver(post_save, sender=User, dispatch_uid="portal.user_role_groups")
def _sync_role_groups(sender, instance: User, created: bool, update_fields=None, raw: bool = False, **kwargs):
    """Groups mirror the role however it was set (the CMS user editor, a script, a factory)."""
    if raw or (update_fields is not None and "role" not in update_fields):
        return
    changed = created or instance.role != getattr(instance, "_role_at_load", None)
    instance._role_at_load = instance.role
    if not changed or getattr(instance, "_role_groups_synced", False):
        instance._role_groups_synced = False
        return

    user_role_groups_sync(user=instance)
    if instance.role in CMS_ROLES and not instance.is_staff:
        User.objects.filter(pk=instance.pk).update(is_staff=True)
        instance.is_staff = True


# --------------------------------------------------------------------------------------------------
# The access table (portal.access): refreshed in the transaction of every change that affects it
# --------------------------------------------------------------------------------------------------


@receiver(post_init, sender=User, dispatch_uid="portal.user_access_at_load")
def _remember_user_access(sender, instance: User, **kwargs) -> None:
    instance._access_at_load = (instance.role, instance.team_id) if instance.pk else None


@receiver(post_save, sender=User, dispatch_uid="portal.user_access_refresh")
def _user_access_refresh(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    """A new role or team changes what the person sees and what their managers see."""
    before = getattr(instance, "_access_at_load", None)
    now = (instance.role, instance.team_id)
    instance._access_at_load = now
    if raw or before == now or (created and instance.team_id is None and instance.role not in MANAGER_ROLES):
        return
    old_team = before[1] if before else None
    access_refresh(user_children(instance.pk, [old_team, instance.team_id]))


@receiver(pre_delete, sender=User, dispatch_uid="portal.user_access_before_delete")
def _user_access_before_delete(sender, instance: User, **kwargs) -> None:
    instance._access_children = user_children(instance.pk, [instance.team_id])


@receiver(post_delete, sender=User, dispatch_uid="portal.user_access_after_delete")
def _user_access_after_delete(sender, instance: User, **kwargs) -> None:
    ChildAccess.objects.filter(user_id=instance.pk).delete()
    access_refresh(getattr(instance, "_access_children", ()))


@receiver(post_init, sender=Team, dispatch_uid="portal.team_manager_at_load")
def _remember_team_manager(sender, instance: Team, **kwargs) -> None:
    instance._manager_at_load = instance.manager_id if instance.pk else None


@receiver(post_save, sender=Team, dispatch_uid="portal.team_access_refresh")
def _team_access_refresh(sender, instance: Team, raw: bool = False, **kwargs) -> None:
    before = getattr(instance, "_manager_at_load", None)
    instance._manager_at_load = instance.manager_id
    if raw or before == instance.manager_id:
        return
    access_refresh(team_children([instance.pk]))


@receiver(pre_delete, sender=Team, dispatch_uid="portal.team_access_before_delete")
def _team_access_before_delete(sender, instance: Team, **kwargs) -> None:
    instance._access_children = team_children([instance.pk])


@receiver(post_delete, sender=Team, dispatch_uid="portal.team_access_after_delete")
def _team_access_after_delete(sender, instance: Team, **kwargs) -> None:
    access_refresh(getattr(instance, "_access_children", ()))


@receiver(post_save, sender=Child, dispatch_uid="portal.child_access_refresh")
def _child_access_refresh(sender, instance: Child, raw: bool = False, **kwargs) -> None:
    if not raw:
        access_refresh([instance.pk])


@receiver(post_delete, sender=Child, dispatch_uid="portal.child_access_after_delete")
def _child_access_after_delete(sender, instance: Child, **kwargs) -> None:
    ChildAccess.objects.filter(child_id=instance.pk).delete()


@receiver(post_init, sender=Involvement, dispatch_uid="portal.involvement_child_at_load")
@receiver(post_init, sender=Placement, dispatch_uid="portal.placement_child_at_load")
def _remember_child(sender, instance, **kwargs) -> None:
    instance._child_at_load = instance.child_id if instance.pk else None


@receiver(post_save, sender=Involvement, dispatch_uid="portal.involvement_access_refresh")
@receiver(post_save, sender=Placement, dispatch_uid="portal.placement_access_refresh")
@receiver(post_delete, sender=Involvement, dispatch_uid="portal.involvement_access_after_delete")
@receiver(post_delete, sender=Placement, dispatch_uid="portal.placement_access_after_delete")
def _child_link_access_refresh(sender, instance, raw: bool = False, **kwargs) -> None:
    """An involvement or placement added, changed (dates, person, carers), moved or removed."""
    if raw:
        return
    before = getattr(instance, "_child_at_load", None)
    instance._child_at_load = instance.child_id
    access_refresh([instance.child_id, before])


@receiver(post_init, sender=CarerHousehold, dispatch_uid="portal.household_ssw_at_load")
def _remember_supervisor(sender, instance: CarerHousehold, **kwargs) -> None:
    instance._ssw_at_load = instance.supervising_social_worker_id if instance.pk else None


@receiver(post_save, sender=CarerHousehold, dispatch_uid="portal.household_access_refresh")
def _household_access_refresh(sender, instance: CarerHousehold, raw: bool = False, **kwargs) -> None:
    """A new supervising social worker for the carers changes who sees the children placed there."""
    before = getattr(instance, "_ssw_at_load", None)
    instance._ssw_at_load = instance.supervising_social_worker_id
    if raw or before == instance.supervising_social_worker_id:
        return
    access_refresh(Placement.objects.filter(carer_household=instance).values_list("child_id", flat=True))
