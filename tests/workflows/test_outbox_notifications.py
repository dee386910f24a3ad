"""A meeting's messages are written to the outbox with the change, so none is lost or sent twice."""

import pytest
from django.db import transaction

from outbox.models import MessageStatus, OutboxMessage
from outbox.services import outbox_sweep
from workflows import services
from workflows.choices import MeetingState

from .factories import psm_request, submit_with_reports


def _decline(county, people):
    meeting = submit_with_reports(psm_request(people, county), people)
    return services.meeting_decline(meeting=meeting, by=people.team_manager, reason="Try a network meeting.")


def test_message_row_commits_with_the_change_even_if_the_queue_never_runs__P2(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    """The process 'dies' after the commit: the after-commit enqueue never runs. The row is there."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting = _decline(county, people)
    assert callbacks, "delivery is asked for after the commit"
    assert meeting.state == MeetingState.DECLINED
    row = OutboxMessage.objects.get(topic="workflows.notify_request_decided", reference=meeting.reference)
    assert (row.status, row.recipient) == (MessageStatus.PENDING, people.social_worker.email)
    assert row.recipient_user == people.social_worker  # for in-app notifications later
    assert "Try a network meeting." in row.body
    assert mailoutbox == []

    assert outbox_sweep() == 1
    assert [m.to for m in mailoutbox] == [[people.social_worker.email]]
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT and row.sent_at is not None
    assert outbox_sweep() == 0 and len(mailoutbox) == 1


def test_a_failing_enqueue_after_commit_loses_nothing__P2(
    county, people, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    def queue_down(*args, **kwargs):
        raise ConnectionError("queue unavailable")

    monkeypatch.setattr("django_q.tasks.async_task", queue_down)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _decline(county, people)
    assert mailoutbox == []
    assert OutboxMessage.objects.get(reference=meeting.reference).status == MessageStatus.PENDING
    monkeypatch.undo()
    assert outbox_sweep() == 1 and len(mailoutbox) == 1


def test_a_refused_change_leaves_no_message__G7(county, people, django_capture_on_commit_callbacks):
    meeting = submit_with_reports(psm_request(people, county), people)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.meeting_decline(meeting=meeting, by=people.team_manager, reason="No.")
        raise RuntimeError("the request failed after the service")
    assert not OutboxMessage.objects.filter(reference=meeting.reference).exists()


def test_delivered_once_when_the_queue_also_runs_and_the_sweep_follows__P2(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _decline(county, people)
    assert len(mailoutbox) == 1
    assert outbox_sweep() == 0
    from outbox.tasks import outbox_deliver

    ids = list(OutboxMessage.objects.filter(reference=meeting.reference).values_list("pk", flat=True))
    assert outbox_deliver(ids + ids) == 0
    assert len(mailoutbox) == 1


def test_filing_after_close_is_a_durable_outbox_task__G5(county, people):
    """Filing is queued in the close transaction; the row is there even if the worker never ran."""
    from workflows.transitions import enqueue

    meeting = psm_request(people, county)
    with transaction.atomic():
        enqueue("meeting_file_records", meeting.pk)
        enqueue("meeting_file_records", meeting.pk)
    row = OutboxMessage.objects.get(task="workflows.tasks.meeting_file_records")
    assert row.task_args == [meeting.pk] and row.status == MessageStatus.PENDING
    assert outbox_sweep() == 1
    row.refresh_from_db()
    assert row.status == MessageStatus.SENT
