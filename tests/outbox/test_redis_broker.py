"""The task tests once on the Redis broker (issue 12: several qclusters on several machines share one
queue). Skipped when Redis does not answer at REDIS_URL. The tasks travel through Redis exactly as a
qcluster would take them (django-q2's signed packages) and run here, so a test can count them."""

from __future__ import annotations

import uuid
from pydoc import locate

import pytest
from django.conf import settings
from django.db import transaction

from outbox import services
from outbox.models import MessageStatus, OutboxMessage

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def redis_broker(monkeypatch):
    """django-q2's Redis broker on a list of its own; async_task sends there instead of running inline."""
    import redis
    from django_q import tasks
    from django_q.brokers.redis_broker import Redis
    from django_q.conf import Conf

    try:
        redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5).ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        pytest.skip(f"Redis does not answer at {settings.REDIS_URL}")
    monkeypatch.setattr(Conf, "REDIS", settings.REDIS_URL)
    broker = Redis(list_key=f"portal-test-{uuid.uuid4().hex}")
    real = tasks.async_task
    monkeypatch.setattr(
        tasks, "async_task", lambda func, *a, **k: real(func, *a, broker=broker, sync=False, **k)
    )
    yield broker
    broker.delete_queue()


def _take(broker) -> list[dict]:
    """Every task waiting on the queue, as a qcluster's worker reads it (and acknowledges it)."""
    from django_q.signing import SignedPackage

    taken = []
    while broker.queue_size():
        for ack_id, package in broker.dequeue() or []:
            taken.append(SignedPackage.loads(package))
            broker.acknowledge(ack_id)
    return taken


def _run(task: dict):
    func = locate(task["func"]) if isinstance(task["func"], str) else task["func"]
    return func(*task["args"], **task["kwargs"])


def test_messages_go_through_redis_and_are_sent_once__issue12(
    redis_broker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        rows = services.message_queue(
            topic="test.topic",
            event="redis-1",
            to=["a@example.org", "b@example.org"],
            subject="Hi",
            body="Body",
        )
    assert mailoutbox == []  # queued on Redis, not run inline
    (task,) = _take(redis_broker)
    assert task["func"] == "outbox.tasks.outbox_deliver" and sorted(task["args"][0]) == sorted(
        r.pk for r in rows
    )
    assert _run(task) == 2
    assert _run(task) == 0, "a second qcluster taking the same task again sends nothing"
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "b@example.org"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    assert _take(redis_broker) == []


def test_the_sweep_through_redis_sends_what_is_pending_once__issue12(redis_broker, mailoutbox):
    from django_q.tasks import async_task

    with transaction.atomic():  # committed without its after-commit task: only the sweep sends it
        services.message_queue(
            topic="test.topic", event="redis-2", to=["c@example.org"], subject="S", body="B"
        )
    async_task("outbox.tasks.outbox_send_pending")
    async_task("outbox.tasks.outbox_send_pending")  # two clusters' schedules fire at once
    taken = _take(redis_broker)
    assert [t["func"] for t in taken] == ["outbox.tasks.outbox_send_pending"] * 2
    assert [_run(t) for t in taken] == [1, 0]
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
