"""/health/queue/ fails when the django-q2 cluster has not run its heartbeat recently."""

from datetime import timedelta

import pytest
from django.utils import timezone

from outbox.models import QueueHeartbeat
from outbox.services import message_queue
from outbox.tasks import queue_heartbeat

pytestmark = pytest.mark.django_db


def test_503_when_the_cluster_never_ran(client):
    response = client.get("/health/queue/")
    assert response.status_code == 503
    assert response.json()["queue"] == "never run"
    assert "no-cache" in response["Cache-Control"]


def test_200_after_the_heartbeat_task_ran(client):
    queue_heartbeat()
    response = client.get("/health/queue/")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["queue"]) == ("ok", "ok") and body["age_seconds"] < 60


def test_503_when_the_last_heartbeat_is_older_than_allowed(client, settings):
    settings.QUEUE_HEALTH_MAX_AGE_MINUTES = 5
    queue_heartbeat()
    QueueHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=6))
    response = client.get("/health/queue/")
    assert response.status_code == 503
    assert response.json()["queue"] == "stale" and response.json()["age_seconds"] >= 360
    QueueHeartbeat.objects.update(beat_at=timezone.now() - timedelta(minutes=4))
    assert client.get("/health/queue/").status_code == 200


def test_reports_the_outbox_backlog_and_needs_no_login_but_refuses_posts(
    client, django_capture_on_commit_callbacks
):
    queue_heartbeat()
    message_queue(topic="t", event="1", to=["a@example.org"], subject="s", body="b")
    body = client.get("/health/queue/").json()
    assert body["outbox"]["pending"] == 1 and body["outbox"]["failed"] == 0
    assert client.post("/health/queue/").status_code == 405


def test_the_heartbeat_is_scheduled_every_minute():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="outbox.tasks.queue_heartbeat")
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 1, -1)
