"""Outbox delivery: at most once per row, retried when it fails, resumed when a worker dies mid-send."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule

from outbox import services
from outbox.models import MessageStatus, OutboxMessage
from outbox.schedules import SCHEDULES, schedules_ensure
from outbox.tasks import outbox_deliver, outbox_send_pending

pytestmark = pytest.mark.django_db


def _queue(to=("a@example.org",), event="1"):
    with transaction.atomic():
        return services.message_queue(
            topic="test.topic", event=event, to=list(to), subject="Hello", body="Body"
        )


def test_one_row_per_distinct_recipient_and_none_for_a_repeated_event(django_capture_on_commit_callbacks):
    rows = _queue(to=["a@example.org", "b@example.org", "a@example.org", ""])
    assert [r.recipient for r in rows] == ["a@example.org", "b@example.org"]
    assert _queue(to=["a@example.org"]) == []
    assert _queue(to=["a@example.org"], event="2") != []
    assert OutboxMessage.objects.count() == 3


def test_running_delivery_twice_sends_once(mailoutbox):
    (row,) = _queue()
    assert services.message_deliver(message_id=row.pk) is True
    assert services.message_deliver(message_id=row.pk) is False
    assert outbox_deliver([row.pk, row.pk]) == 0
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["a@example.org"]
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.SENT, 1)


def test_a_message_being_sent_by_a_live_worker_is_not_sent_again(mailoutbox):
    (row,) = _queue()
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=MessageStatus.SENDING, lease_until=timezone.now() + timedelta(minutes=1), attempts=1
    )
    assert outbox_send_pending() == 0
    assert services.message_deliver(message_id=row.pk) is False
    assert mailoutbox == []


def test_a_stale_sending_lease_is_taken_back_by_the_sweep(mailoutbox):
    """A worker killed mid-send left the row 'sending'; once its lease expires, the sweep sends it."""
    (row,) = _queue()
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=MessageStatus.SENDING, lease_until=timezone.now() - timedelta(seconds=1), attempts=1
    )
    assert outbox_send_pending() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.lease_until) == (MessageStatus.SENT, 2, None)
    assert len(mailoutbox) == 1


def test_the_lease_is_minutes_not_the_queue_lock(settings):
    assert services.lease_duration() <= timedelta(minutes=5)
    assert settings.Q_CLUSTER["timeout"] < settings.Q_CLUSTER["retry"] <= 300
    assert services.lease_duration().total_seconds() > settings.EMAIL_TIMEOUT


def test_a_failed_send_is_kept_and_retried_later_then_given_up(mailoutbox, monkeypatch, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    (row,) = _queue()

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(services, "send_mail", smtp_down)
    assert services.message_deliver(message_id=row.pk) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.PENDING, 1)
    assert "SMTP down" in row.last_error and row.available_at > timezone.now()
    assert outbox_send_pending() == 0, "not retried before its back-off"

    OutboxMessage.objects.filter(pk=row.pk).update(available_at=timezone.now())
    assert outbox_send_pending() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 2)

    monkeypatch.undo()
    assert outbox_send_pending() == 0 and mailoutbox == []


def test_the_task_channel_runs_only_outbox_tasks():
    with transaction.atomic():
        (row,) = services.task_queue(task="os.system", args=["true"], event="x")
    assert services.message_deliver(message_id=row.pk) is False
    row.refresh_from_db()
    assert "not an outbox task" in row.last_error


def test_schedules_exist_after_migrate_and_ensuring_them_again_changes_nothing():
    names = [s["name"] for s in SCHEDULES]
    assert set(Schedule.objects.filter(name__in=names).values_list("func", flat=True)) == {
        "outbox.tasks.outbox_send_pending",
        "outbox.tasks.queue_heartbeat",
    }
    Schedule.objects.filter(name=names[0]).update(minutes=30)
    schedules_ensure()
    schedules_ensure()
    assert Schedule.objects.filter(name__in=names).count() == 2
    assert set(Schedule.objects.filter(name__in=names).values_list("minutes", flat=True)) == {1}
