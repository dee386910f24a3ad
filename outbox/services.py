"""Writing messages to the outbox and delivering them exactly once per row.

`message_queue` runs inside the caller's transaction: the rows commit with the change. After the commit
a django-q2 task is asked to deliver them at once; if that never happens (the process died, the queue
was down), the scheduled sweep delivers them within a minute or two.

Delivery claims a row with one conditional UPDATE (pending -> sending, with a lease). Only one caller
can win that compare-and-set, so a retried or duplicated task never sends a row twice. A worker killed
while sending leaves the row "sending"; when its lease runs out the sweep claims and sends it again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q import tasks as q_tasks

from audit.history import acting_as

from .models import Channel, MessageStatus, OutboxMessage, QueueHeartbeat

log = logging.getLogger(__name__)


def lease_duration() -> timedelta:
    """How long a claimed message may stay "sending" before the sweep takes it back."""
    return timedelta(seconds=getattr(settings, "OUTBOX_LEASE_SECONDS", 120))


def max_attempts() -> int:
    return getattr(settings, "OUTBOX_MAX_ATTEMPTS", 8)


def retry_delay(attempts: int) -> timedelta:
    """Back-off after a failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def outbox_task(func):
    """Mark a function as one the outbox may run durably (the task channel runs nothing else)."""
    func.outbox_task = True
    return func


def _deliver_after_commit(ids: list[int]) -> None:
    """Ask the queue to deliver these rows now. Any failure here is harmless: the sweep sends them."""
    if not ids:
        return
    try:
        q_tasks.async_task("outbox.tasks.outbox_deliver", ids)
    except Exception:
        log.exception("Could not queue delivery of outbox messages %s; the sweep will send them.", ids)


def _queue(rows: Iterable[OutboxMessage]) -> list[OutboxMessage]:
    """Insert the rows unless their dedupe key was already queued; deliver the new ones after commit."""
    created = []
    now = timezone.now()
    with transaction.atomic():
        for row in rows:
            row.available_at = row.available_at or now
            existing = OutboxMessage.objects.filter(dedupe_key=row.dedupe_key).exists()
            if existing:
                continue
            row.save()
            created.append(row)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: _deliver_after_commit(ids))
    return created


def message_queue(
    *,
    topic: str,
    event: str,
    to: Sequence[str],
    subject: str,
    body: str,
    reference: str = "",
    users_by_address: dict[str, Any] | None = None,
) -> list[OutboxMessage]:
    """Queue one e-mail per distinct address, in the current transaction.

    `event` names the occurrence that causes the message (e.g. a history row's id), so queueing the same
    event twice queues nothing new: the dedupe key is topic, event and recipient.
    """
    users_by_address = users_by_address or {}
    addresses = list(dict.fromkeys(a.strip() for a in to if a and a.strip()))
    return _queue(
        OutboxMessage(
            channel=Channel.EMAIL,
            topic=topic,
            reference=reference[:100],
            recipient=address,
            recipient_user=users_by_address.get(address),
            subject=subject[:255],
            body=body,
            dedupe_key=f"{topic}:{event}:{address}"[:255],
        )
        for address in addresses
    )


def task_queue(
    *, task: str, args: Sequence[Any] = (), event: str, reference: str = ""
) -> list[OutboxMessage]:
    """Queue a durable run of an `@outbox_task` function (e.g. filing records), in the current transaction."""
    return _queue(
        [
            OutboxMessage(
                channel=Channel.TASK,
                topic=task,
                reference=reference[:100],
                task=task,
                task_args=list(args),
                dedupe_key=f"{task}:{event}"[:255],
            )
        ]
    )


def _claimable(now) -> Q:
    return Q(status=MessageStatus.PENDING, available_at__lte=now) | Q(
        status=MessageStatus.SENDING, lease_until__lt=now
    )


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient])
        return
    func = import_string(message.task)
    if not getattr(func, "outbox_task", False):
        raise PermissionError(f"{message.task} is not an outbox task.")
    with transaction.atomic(), acting_as(None, reason=message.task.rsplit(".", 1)[-1]):
        func(*message.task_args)  # recorded in history as done by the system, naming the task


def message_deliver(*, message_id: int) -> bool:
    """Send one message unless someone else has it; True when this call sent it. Safe to repeat."""
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id)
        .filter(_claimable(now))
        .update(status=MessageStatus.SENDING, lease_until=now + lease_duration(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _send(message)
    except Exception as exc:
        gave_up = message.attempts >= max_attempts()
        OutboxMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
            status=MessageStatus.FAILED if gave_up else MessageStatus.PENDING,
            available_at=timezone.now() + retry_delay(message.attempts),
            lease_until=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        log.warning("Outbox message %s failed (attempt %s): %s", message_id, message.attempts, exc)
        return False
    OutboxMessage.objects.filter(pk=message_id, status=MessageStatus.SENDING).update(
        status=MessageStatus.SENT, sent_at=timezone.now(), lease_until=None, last_error=""
    )
    return True


def outbox_sweep(*, limit: int = 100, budget_seconds: float = 60.0) -> int:
    """Deliver what is still pending (and take back expired leases); stop within the time budget."""
    started = timezone.now()
    ids = list(
        OutboxMessage.objects.filter(_claimable(started)).order_by("pk").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in ids:
        if (timezone.now() - started).total_seconds() > budget_seconds:
            break
        sent += int(message_deliver(message_id=message_id))
    return sent


def queue_heartbeat_record(*, name: str | None = None) -> QueueHeartbeat:
    """Note that the cluster ran a scheduled task now (read by the queue health check)."""
    name = name or settings.Q_CLUSTER.get("name", "default")
    beat, _ = QueueHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})
    return beat
