"""In-app notifications: written with the outbox row, counted in the header, listed and opened only by
their own user (issue 13)."""

import pytest
from django.db import transaction
from django.urls import reverse

from outbox.services import message_queue
from reminders.models import Notification
from tests.factories import UserFactory
from tests.workflows.factories import psm_request, submit_with_reports
from workflows import services

pytestmark = pytest.mark.django_db


def _queue(user, subject="Report due", event="1", reference=""):
    with transaction.atomic():
        return message_queue(
            topic="test",
            event=event,
            to=[user.email],
            subject=subject,
            body="Please write it.",
            reference=reference,
            users_by_address={user.email: user},
        )


def test_every_message_to_a_user_is_also_a_notification_in_the_same_transaction():
    user = UserFactory(username="sw1")
    (row,) = _queue(user)
    note = Notification.objects.get()
    assert (note.user, note.message, note.subject, note.summary, note.read_at) == (
        user,
        row,
        "Report due",
        "Please write it.",
        None,
    )
    assert _queue(user) == [] and Notification.objects.count() == 1  # a repeated event: nothing new
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue(user, event="2")
        raise RuntimeError("the change failed")
    assert Notification.objects.count() == 1  # rolled back with the message


def test_a_message_to_an_address_without_an_account_is_not_a_notification():
    with transaction.atomic():
        message_queue(topic="t", event="1", to=["mailbox@example.org"], subject="s", body="b")
    assert not Notification.objects.exists()


def test_a_meeting_decision_notifies_the_requester_with_a_link_to_the_meeting__P2(people, county):
    meeting = submit_with_reports(psm_request(people, county), people)
    services.meeting_decline(meeting=meeting, by=people.team_manager, reason="Try a network meeting.")
    note = Notification.objects.filter(user=people.social_worker).latest("pk")
    assert note.link == reverse("workflows:meeting_detail", args=[meeting.pk])


def test_header_count_list_and_open_marks_read_and_goes_to_the_thing(client, people, county):
    meeting = psm_request(people, county)
    Notification.objects.all().delete()
    sw = people.social_worker
    _queue(sw, subject="First", event="a", reference=meeting.reference)
    _queue(sw, subject="Second", event="b")
    client.force_login(sw)
    home = client.get("/").content.decode()
    assert "Notifications (2" in home and "You have <strong>2</strong> unread notifications" in home
    assert "First" in home and "Second" in home
    listing = client.get("/notifications/").content.decode()
    assert "First" in listing and listing.count("Unread") == 2
    first = Notification.objects.get(subject="First")
    response = client.post(reverse("reminders:notification_open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert "Notifications (1" in client.get("/notifications/").content.decode()
    assert client.get(reverse("reminders:notification_open", args=[first.pk])).status_code == 405
    client.post(reverse("reminders:notifications_read_all"))
    assert "Nothing is waiting for you." in client.get("/").content.decode()


def test_a_user_never_sees_or_opens_anothers_notifications(client, people):
    _queue(people.social_worker, subject="For the social worker only")
    theirs = Notification.objects.get()
    client.force_login(people.team_manager)
    assert "For the social worker only" not in client.get("/notifications/").content.decode()
    assert "For the social worker only" not in client.get("/").content.decode()
    assert client.post(reverse("reminders:notification_open", args=[theirs.pk])).status_code == 403
    client.post(reverse("reminders:notifications_read_all"))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "login" in response["Location"]
