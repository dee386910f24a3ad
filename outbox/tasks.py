"""django-q2 entry points for the outbox. Thin: the work is in `outbox.services`."""

from __future__ import annotations

from .services import message_deliver, outbox_sweep, queue_heartbeat_record


def outbox_deliver(message_ids: list[int]) -> int:
    """Deliver messages just committed (queued after commit). Returns how many this run sent."""
    return sum(int(message_deliver(message_id=pk)) for pk in message_ids)


def outbox_send_pending() -> int:
    """Scheduled every minute: send anything left pending, resume expired "sending" leases."""
    return outbox_sweep()


def queue_heartbeat() -> str:
    """Scheduled every minute: proves the cluster runs scheduled tasks (see /health/queue/)."""
    return queue_heartbeat_record().beat_at.isoformat()
