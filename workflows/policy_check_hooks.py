"""Wagtail hooks of the policy check (issue 10): its URL, its links from the meeting type's listing and
editor, its history line, and the message an approver sees when publishing is refused.

Imported by `workflows.wagtail_hooks` so Wagtail registers them.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.admin.widgets.button import ListingButton
from wagtail.log_actions import LogFormatter
from wagtail.snippets.action_menu import ActionMenuItem

from .models import MeetingType
from .policy_check import REFUSED_ACTION
from .policy_check_views import (
    CHECK_URL_NAME,
    latest_refusal,
    may_check,
    policy_check_url,
    policy_check_view,
)


@hooks.register("register_admin_urls")
def policy_check_urls() -> list:
    return [path("packs/meeting-types/<int:pk>/check/", policy_check_view, name=CHECK_URL_NAME)]


@hooks.register("register_log_actions")
def policy_check_log_actions(actions) -> None:
    @actions.register_action(REFUSED_ACTION)
    class PolicyCheckRefusedFormatter(LogFormatter):
        label = "Publishing refused by the policy check"

        def format_message(self, log_entry):
            sentence = (log_entry.data or {}).get("sentence", "")
            return f"Approval refused by the policy check: {sentence}" if sentence else self.label


@hooks.register("register_snippet_listing_buttons")
def policy_check_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, MeetingType) and may_check(user):
        yield ListingButton(
            "Check this policy",
            policy_check_url(snippet),
            icon_name="tasks",
            attrs={"aria-label": f"Check the policy of {snippet}"},
            priority=15,
        )


class PolicyCheckMenuItem(ActionMenuItem):
    """A link in the editor's action menu to the check of this meeting type's latest revision."""

    label = "Check this policy"
    name = "action-policy-check"
    icon_name = "tasks"

    def is_shown(self, context) -> bool:
        return (
            context.get("view") == "edit"
            and isinstance(context.get("instance"), MeetingType)
            and may_check(context["request"].user)
        )

    def get_url(self, parent_context) -> str:
        return policy_check_url(parent_context["instance"])


@hooks.register("register_snippet_action_menu_item")
def policy_check_menu_item(model):
    return PolicyCheckMenuItem(order=90) if model is MeetingType else None


@hooks.register("after_edit_snippet")
def policy_check_refusal_message(request, instance):
    """An approver who approved from the editor sees the refusal too (the workflow task undid it)."""
    if not isinstance(instance, MeetingType) or request.method != "POST":
        return None
    if "action-workflow-action" not in request.POST or request.POST.get("workflow-action-name") != "approve":
        return None
    instance.refresh_from_db()
    if not instance.workflow_in_progress:
        return None
    sentence = latest_refusal(instance, request.user)
    if not sentence:
        return None
    messages.error(request, sentence)
    return redirect(policy_check_url(instance) + "?refused=1")
