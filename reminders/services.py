"""Notifications written with their outbox rows; marking them read; rendering message templates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.template import Context
from django.urls import reverse
from django.utils import timezone

from portal.models import User
from workflows.models import Meeting

from .defaults import DEFAULT_TEMPLATES, TEMPLATE_ENGINE, TEMPLATE_VARIABLES
from .models import MessageTemplate, Notification

# A bare engine: no loaders (so no include/extends of files), only the built-in tags and filters, and
# autoescaping on. Only the documented variables are ever put in its context.

SUMMARY_LENGTH = 300


def _link_for(reference: str) -> str:
    """The page a message is about: a meeting's reference names the meeting; a reference that is a site
    path (a policy change's CMS page, a finished export's download page) is that page."""
    if not reference:
        return ""
    if reference.startswith("/"):
        return reference
    pk = Meeting.objects.filter(reference=reference).values_list("pk", flat=True).first()
    return reverse("workflows:meeting_detail", args=[pk]) if pk else ""


def notification_for_message(sender, instance, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """post_save of an outbox row: a new e-mail to a user with an account is also an in-app notification.

    Runs in the transaction that saved the row, so the notification commits (or rolls back) with it.
    """
    if raw or not created or not instance.recipient_user_id or instance.channel != "email":
        return
    Notification.objects.create(
        user_id=instance.recipient_user_id,
        message=instance,
        subject=instance.subject,
        summary=instance.body[:SUMMARY_LENGTH],
        link=_link_for(instance.reference),
    )


def notification_mark_read(*, notification_id: int, by: User) -> Notification:
    """Mark one of `by`'s own notifications read (refused for anyone else's)."""
    notification = Notification.objects.filter(pk=notification_id).first()
    if notification is None or notification.user_id != by.pk:
        raise PermissionDenied("That notification is not yours.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, by: User) -> int:
    return Notification.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())


def message_render(key: str, variables: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of reminder `key`, from the policy owner's template or the shipped default."""
    template = MessageTemplate.objects.filter(key=key).first()
    subject_src, body_src = (template.subject, template.body) if template else DEFAULT_TEMPLATES[key]
    context = Context({name: variables.get(name, "") for name in TEMPLATE_VARIABLES}, autoescape=False)
    # Plain-text e-mail: autoescape is off for the body text itself, but only plain strings go in.
    subject = TEMPLATE_ENGINE.from_string(subject_src).render(context)
    body = TEMPLATE_ENGINE.from_string(body_src).render(context)
    return " ".join(subject.split())[:255], body
