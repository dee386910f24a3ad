"""Changing procedure data: the approval workflow that makes a second policy owner approve every change
to procedure pages, meeting types and forms before it is published (issue 11, item 3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

from forms_builder.models import FormDefinition
from workflows.models import MeetingType

from .models import PolicyOwnerApprovalTask, ProcedureIndexPage

POLICY_OWNER_GROUP = "Policy owner"
WORKFLOW_NAME = "Policy change approval"
OLD_WORKFLOW_NAMES = ("Policy owner approval",)
TASK_NAME = "Approval by a second policy owner"
# No publish permission: policy owners publish only through the approval workflow.
PAGE_PERMISSIONS = ("add_page", "change_page")
NEVER_PAGE_PERMISSIONS = ("publish_page",)


def _workflow_models() -> list[type]:
    """The snippets that carry policy: meeting types and forms (pages are covered by WorkflowPage)."""
    return [MeetingType, FormDefinition]


def procedures_workflow_ensure() -> Workflow:
    """Create (or repair) the "Policy change approval" workflow and assign it to every procedure index
    page, to meeting types and to forms, so each change is approved by a policy owner other than its
    author before it is published. Lets the "Policy owner" group edit pages under the procedure indexes
    but never publish them directly. Idempotent.

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

        if not Workflow.objects.filter(name=WORKFLOW_NAME).exists():
            Workflow.objects.filter(name__in=OLD_WORKFLOW_NAMES).update(name=WORKFLOW_NAME)
        workflow = Workflow.objects.filter(name=WORKFLOW_NAME).order_by("pk").first()
        if workflow is None:
            workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        if not workflow.active:
            workflow.active = True
            workflow.save(update_fields=["active"])
        WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
        for model in _workflow_models():
            WorkflowContentType.objects.update_or_create(
                content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow}
            )

        page_permissions = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
        for index in ProcedureIndexPage.objects.all():
            WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
        GroupPagePermission.objects.filter(
            group=group, permission__codename__in=NEVER_PAGE_PERMISSIONS
        ).delete()
    return workflow


WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
SITE_ROOT_TITLE = "Procedures"


def site_root_ensure() -> None:
    """Name the default site after the council (not "localhost") and retitle Wagtail's placeholder root
    page ("Welcome to your new Wagtail site!"), under which the procedure indexes live, as "Procedures".
    Only Wagtail's own defaults are changed; a name or title someone chose is left alone. Idempotent."""
    council_name = getattr(settings, "PORTAL_COUNCIL_NAME", "") or ""
    if not Page.objects.exists():
        # A database emptied since Wagtail's migrations (a flushed test database) has no page tree:
        # make the tree root, the site's root page and the default site that migrations would have made.
        Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        tree_root = Page.add_root(instance=Page(title="Root", slug="root", live=True))
        home = tree_root.add_child(instance=Page(title=SITE_ROOT_TITLE, slug="home", live=True))
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=council_name
        )
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return
    council = getattr(settings, "PORTAL_COUNCIL_NAME", "") or ""
    if council and site.site_name in ("", "localhost", None):
        site.site_name = council
        site.save(update_fields=["site_name"])
    root = site.root_page
    if root.specific_class is Page and root.title == WAGTAIL_WELCOME_TITLE:
        root.title = root.draft_title = SITE_ROOT_TITLE
        root.save_revision(log_action=True).publish()
