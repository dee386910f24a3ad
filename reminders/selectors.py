"""Reading notifications: always the signed-in user's own, never anyone else's."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.models import User

from .models import Notification


def notifications_for_user(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
