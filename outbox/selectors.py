"""How the queue is doing, for the health check and monitoring."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from .models import MessageStatus, OutboxMessage, QueueHeartbeat


def heartbeat_max_age() -> timedelta:
    return timedelta(minutes=getattr(settings, "QUEUE_HEALTH_MAX_AGE_MINUTES", 5))


def queue_health() -> dict[str, Any]:
    """Healthy when the django-q2 cluster ran its every-minute heartbeat within the allowed age."""
    now = timezone.now()
    name = settings.Q_CLUSTER.get("name", "default")
    beat = QueueHeartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
    max_age = heartbeat_max_age()
    age = (now - beat) if beat else None
    state = "never run" if beat is None else ("ok" if age <= max_age else "stale")
    pending = OutboxMessage.objects.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING])
    oldest = pending.aggregate(oldest=Min("created_at"))["oldest"]
    return {
        "status": "ok" if state == "ok" else "error",
        "queue": state,
        "last_heartbeat": beat.isoformat() if beat else None,
        "age_seconds": int(age.total_seconds()) if age is not None else None,
        "max_age_seconds": int(max_age.total_seconds()),
        "outbox": {
            "pending": pending.count(),
            "oldest_pending_seconds": int((now - oldest).total_seconds()) if oldest else None,
            "failed": OutboxMessage.objects.filter(status=MessageStatus.FAILED).count(),
        },
    }
