"""A report falls late: its author sees the notification, then the team manager gets the escalation a
few working days later (the sweep's clock is moved by the test, across Christmas 2026)."""

from datetime import date

import pytest

from reminders.sweep import reminders_sweep
from tests.workflows.factories import People, load_pack, psm_request
from workflows.models import Meeting, MeetingReport


@pytest.mark.django_db(transaction=True)
def test_late_report_notifies_its_author_then_escalates_to_the_team_manager(login_as):
    people = People()
    meeting = psm_request(people, load_pack("county"))
    Meeting.objects.filter(pk=meeting.pk).update(due_on=date(2027, 2, 1))
    MeetingReport.objects.filter(meeting=meeting).delete()
    MeetingReport.objects.create(
        meeting=meeting,
        form_key="sw-report",
        label="Social worker report",
        author_role="social_worker",
        timing="before_meeting",
        due_on=date(2026, 12, 23),
    )
    reminders_sweep(today=date(2026, 12, 24))

    page = login_as(people.social_worker)
    assert "Notifications (1" in page.locator("header").inner_text()
    assert "Social worker report is late" in page.locator("#waiting-notifications").inner_text()
    page.locator("header").get_by_role("link", name="Notifications").click()
    page.get_by_role("button", name="Open").first.click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/meetings/{meeting.pk}/")
    assert "Notifications (0" in page.locator("header").inner_text()

    page = login_as(people.team_manager)
    assert "Notifications (0" in page.locator("header").inner_text()  # not yet: 1 working day late
    reminders_sweep(today=date(2026, 12, 29))
    reminders_sweep(today=date(2026, 12, 30))  # 3 working days late (25 and 28 Dec are bank holidays)
    page.reload()
    assert "Notifications (1" in page.locator("header").inner_text()
    page.goto("/notifications/")
    assert "This is an escalation" in page.locator("main").inner_text()
