"""E-mail through GOV.UK Notify, and what people outside the council receive (issue 13).

Notify is an EMAIL_BACKEND option (django-gov-notify); here its API client is swapped for a fake that
records each call, so nothing leaves the machine. People outside the council (an invitee address that
is not a user's, not a pack mailbox and not an internal domain) receive only the message kinds the
pack's `external_message_kinds` setting lists, with the confidentiality statement at the top.
"""

from datetime import date

import pytest
from django.core import mail

from outbox.models import OutboxMessage
from outbox.services import message_deliver, message_queue
from tests.workflows.factories import psm_request, schedule, submit_with_reports
from workflows import services
from workflows.models import PackSetting

pytestmark = pytest.mark.django_db


class FakeNotifyClient:
    calls: list[dict] = []

    def __init__(self, api_key):
        self.api_key = api_key

    def send_email_notification(self, **kwargs):
        FakeNotifyClient.calls.append({"api_key": self.api_key, **kwargs})
        return {"id": "fake"}


@pytest.fixture
def notify(settings, monkeypatch):
    settings.EMAIL_BACKEND = "django_gov_notify.backends.NotifyEmailBackend"
    settings.GOVUK_NOTIFY_API_KEY = "test-key"
    settings.GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID = "plain-template"
    monkeypatch.setattr("django_gov_notify.backends.NotificationsAPIClient", FakeNotifyClient)
    FakeNotifyClient.calls = []
    return FakeNotifyClient.calls


def test_outbox_mail_goes_through_gov_uk_notify_when_it_is_the_backend__issue13(notify):
    [row] = message_queue(
        topic="t", event="1", to=["carer@example.net"], subject="Meeting", body="Tuesday 10am"
    )
    assert message_deliver(message_id=row.pk)
    assert notify == [
        {
            "api_key": "test-key",
            "email_address": "carer@example.net",
            "template_id": "plain-template",
            "personalisation": {"subject": "Meeting", "body": "Tuesday 10am"},
        }
    ]
    assert OutboxMessage.objects.get(pk=row.pk).status == "sent"


def _scheduled(people, county, carer_email):
    meeting = submit_with_reports(psm_request(people, county), people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    invitees = people.invitees(meeting)
    invitees.append({"role": "foster_carer", "user": None, "name": "Carer", "email": carer_email})
    return schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5), invitees=invitees)


def test_people_outside_get_allowed_kinds_with_the_confidentiality_statement__issue13(
    people, county, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _scheduled(people, county, "carer@example.net")
    rows = OutboxMessage.objects.filter(topic="workflows.notify_meeting_scheduled")
    outside = rows.get(recipient="carer@example.net")
    statement = meeting.policy.confidentiality_statement
    assert statement and outside.body.startswith(statement)
    inside = rows.get(recipient=people.social_worker.email)
    assert not inside.body.startswith(statement)


def test_people_outside_get_nothing_the_pack_does_not_allow__issue13(
    people, county, django_capture_on_commit_callbacks
):
    PackSetting.objects.filter(pack=county, key="external_message_kinds").update(
        value="notify_minutes_circulated"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _scheduled(people, county, "carer@example.net")
    rows = OutboxMessage.objects.filter(topic="workflows.notify_meeting_scheduled")
    assert not rows.filter(recipient="carer@example.net").exists()
    assert rows.filter(recipient=people.social_worker.email).exists()  # staff still told
    assert mail.outbox == [] or all("carer@example.net" not in m.to for m in mail.outbox)
