"""Two workers delivering the same message at the same moment: it is sent once (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from outbox import services
from outbox.models import MessageStatus, OutboxMessage


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_one_message_send_it_once(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL.")
    monkeypatch.setattr("django_q.tasks.async_task", lambda *a, **k: None)  # only the workers below send
    with transaction.atomic():
        (row,) = services.message_queue(topic="t", event="1", to=["a@example.org"], subject="s", body="b")
    sent: list[str] = []

    def slow_send(subject, body, sender, to):
        time.sleep(0.3)  # the other worker tries while this one is still sending
        sent.extend(to)
        return 1

    monkeypatch.setattr(services, "send_mail", slow_send)
    barrier = threading.Barrier(3)
    results: list[bool] = []

    def deliver():
        try:
            barrier.wait(timeout=10)
            results.append(services.message_deliver(message_id=row.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [False, False, True]
    assert sent == ["a@example.org"]
    assert OutboxMessage.objects.get(pk=row.pk).status == MessageStatus.SENT
