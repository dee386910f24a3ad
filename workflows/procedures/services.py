"""Changing procedure data: the moderation workflow that makes a second policy owner approve."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Workflow, WorkflowPage, WorkflowTask

from .models import PolicyOwnerApprovalTask, ProcedureIndexPage

POLICY_OWNER_GROUP = "Policy owner"
WORKFLOW_NAME = "Policy owner approval"
TASK_NAME = "Approval by a second policy owner"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def procedures_workflow_ensure() -> Workflow:
    """Create (or repair) the "Policy owner approval" workflow and assign it to every procedure index
    page, so each change to a procedure is approved by a policy owner other than its author before it is
    published. Also lets the "Policy owner" group edit pages under the procedure indexes. Idempotent.

    The group is normally made by `portal.services.role_groups_ensure()`; it is created here by name if
    missing so this works on its own.
    """
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=POLICY_OWNER_GROUP)
        admin_access = Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ).first()
        if admin_access is not None:
            group.permissions.add(admin_access)

        task = PolicyOwnerApprovalTask.objects.filter(name=TASK_NAME).first()
        if task is None:
            task = PolicyOwnerApprovalTask.objects.create(name=TASK_NAME)
        if not task.active:
            task.active = True
            task.save(update_fields=["active"])
        task.groups.add(group)

        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
        if not workflow.active:
            workflow.active = True
            workflow.save(update_fields=["active"])
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

        page_permissions = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
        for index in ProcedureIndexPage.objects.all():
            WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    return workflow
