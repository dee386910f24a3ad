"""Tell the other policy owners when a policy change is submitted for approval (issue 13).

Wagtail's `workflow_submitted` signal fires when a procedure page, meeting type or form revision enters
the "Policy change approval" workflow. Every other active policy owner with an e-mail address gets a
message through the outbox, written in the submitting transaction and delivered after commit (so it
is also an in-app notification), naming the change and linking to the CMS page where they review it.
The submitter is never told about their own change.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.admin_url_finder import AdminURLFinder

from outbox.services import message_queue
from portal.models import User

from .services import POLICY_OWNER_GROUP, WORKFLOW_NAME

TOPIC = "workflows.policy_change_submitted"


def policy_change_recipients(submitter) -> list:
    return list(
        User.objects.filter(groups__name=POLICY_OWNER_GROUP, is_active=True)
        .exclude(pk=getattr(submitter, "pk", None))
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def policy_change_notify(*, workflow_state) -> list:
    """Queue the messages for one submission (idempotent per workflow state)."""
    if workflow_state.workflow.name != WORKFLOW_NAME:
        return []
    obj = workflow_state.content_object
    submitter = workflow_state.requested_by
    link = AdminURLFinder().get_edit_url(obj) or ""
    kind = obj._meta.verbose_name
    who = (submitter.get_full_name() or submitter.get_username()) if submitter else "A policy owner"
    recipients = policy_change_recipients(submitter)
    return message_queue(
        topic=TOPIC,
        event=str(workflow_state.pk),
        to=[u.email for u in recipients],
        users_by_address={u.email: u for u in recipients},
        subject=f"Policy change to approve: {kind} “{obj}”",
        body=(
            f"{who} submitted a change to the {kind} “{obj}” for approval by a second policy owner. "
            f"Review it and approve or request changes: {link}"
        ),
        reference=link,
    )


def on_workflow_submitted(sender, instance, user=None, **kwargs: Any) -> None:
    """Signal receiver: the outbox rows are written in the submitting transaction (so they commit or roll
    back with the submission); the outbox delivers them after commit."""
    policy_change_notify(workflow_state=instance)
