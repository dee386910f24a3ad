"""In Chromium: a PSM from request to scheduling, and a policy owner changing its timescale (P3)."""

from datetime import date, timedelta

import pytest

from portal.services import user_set_role
from tests.factories import UserFactory
from tests.workflows.factories import People, load_pack, meeting_type, psm_request, timing_of
from workflows import services
from workflows.choices import MeetingState, ReportTiming
from workflows.deadlines import add_working_days
from workflows.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_date(page, name: str, day: date) -> None:
    """The GOV.UK date input: day, month and year boxes."""
    page.locator(f"#{name}-day").fill(str(day.day))
    page.locator(f"#{name}-month").fill(str(day.month))
    page.locator(f"#{name}-year").fill(str(day.year))


def _request_psm_in_the_browser(page, child, placement, raised: date) -> Meeting:
    page.goto(f"/children/{child.pk}/")
    page.get_by_role("link", name="Request a meeting").click()
    page.get_by_label("Placement stability meeting").check()
    page.get_by_role("button", name="Continue").click()
    page.locator(f"input[name=placement][value='{placement.pk}']").check()
    page.locator("input[name=triggers]").first.check()
    page.locator("#id_support_tried").fill("Extra supervision and a respite weekend in February.")
    _fill_date(page, "concern_raised_on", raised)
    page.get_by_label("Who raised the concern?").select_option("foster_carer")  # the pack's person kinds
    page.locator("#id_concern_raised_by").fill("The foster carers")
    page.get_by_label("Urgent").check()  # one of the pack's request flags (issue 10)
    page.get_by_role("button", name="Request the meeting").click()
    page.locator("#deadline").wait_for()
    return Meeting.objects.filter(child=child).latest("requested_at")


def test_social_worker_requests_manager_approves_and_chair_is_picked__P1__P2__P4__G2(page, login_as):
    county = load_pack("county")
    people = People()
    child = people.child()
    placement = people.placement(child)
    raised = date.today() - timedelta(days=1)

    login_as(people.social_worker)
    meeting = _request_psm_in_the_browser(page, child, placement, raised)
    assert meeting.state == MeetingState.REQUESTED
    assert (meeting.concern_raised_by_kind, meeting.request_flags) == ("foster_carer", ["urgent"])
    deadline = page.locator("#deadline").inner_text()
    assert meeting.deadline_explanation in deadline
    # The PSM report goes with the request (P2); here it is attached as if submitted.
    for report in meeting.reports.filter(timing=ReportTiming.WITH_REQUEST):
        services.report_attach(report=report, by=people.social_worker)
    page.reload()
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_text("The request has been sent for approval.").wait_for()

    login_as(people.team_manager)
    page.goto("/meetings/approvals/")
    assert meeting.reference in page.locator("main").inner_text()
    page.get_by_role("link", name=f"Approve {meeting.reference}").click()
    page.get_by_role("button", name="Approve the request").click()  # confirmation before approving
    page.get_by_text("Your approval has been recorded.").wait_for()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.APPROVED

    login_as(people.social_worker)
    page.goto(f"/meetings/{meeting.pk}/schedule/")
    assert meeting.deadline_explanation in page.locator("#deadline").inner_text()
    # Only the fostering team manager may chair an in-house PSM (P4); the child's manager is explained.
    assert page.locator(f"input[name=chair][value='{people.team_manager.pk}']").count() == 0
    page.get_by_text("Why others can").click()
    assert str(people.team_manager) in page.locator("#refused-chairs").inner_text()
    _fill_date(page, "day", add_working_days(raised, 2))
    page.locator("#id_start").fill("10:30")
    page.locator("#id_venue").fill("Family centre, room 2")
    page.locator(f"input[name=chair][value='{people.fostering_manager.pk}']").check()
    page.locator("#id_child_invited-2").check()  # "No"
    page.locator("#id_child_invite_reason").fill("She asked not to come; her views are in the report.")
    page.get_by_role("button", name="Save the arrangements").click()
    page.get_by_text("The meeting has been arranged").wait_for()
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.SCHEDULED and meeting.chair == people.fostering_manager
    assert county.slug == "county"


def test_policy_owner_publishes_7_working_days_and_only_new_requests_get_it__P3(page, login_as):
    county = load_pack("county")
    people = People()
    raised = date(2026, 3, 2)
    before = psm_request(people, county, raised=raised)
    assert before.due_on == date(2026, 3, 9)

    owner = UserFactory(username="policy-owner-e2e", role="policy_owner")
    user_set_role(user=owner, role="policy_owner")
    psm = meeting_type(county, "PSM")
    login_as(owner)
    page.goto(f"/cms/snippets/workflows/meetingtype/edit/{psm.pk}/")
    page.get_by_role("tab", name="When").click()
    page.locator("#timing-0-value-latest").fill("7")
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    assert page.locator("button[name='action-publish']").count() == 0  # only through the workflow
    page.locator("button[name='action-submit']").click()
    page.wait_for_load_state()
    psm.refresh_from_db()
    assert timing_of(psm.live_revision.as_object())["latest"] == 5
    second = UserFactory(username="policy-owner-e2e-2", role="policy_owner")
    task_state = psm.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user=second, action_name="approve")
    psm.refresh_from_db()
    assert timing_of(psm.live_revision.as_object())["latest"] == 7

    child = people.child()
    placement = people.placement(child)
    login_as(people.social_worker)
    after = _request_psm_in_the_browser(page, child, placement, raised)
    assert after.due_on == date(2026, 3, 11)
    assert "7 working days" in page.locator("#deadline").inner_text()
    before.refresh_from_db()
    assert before.due_on == date(2026, 3, 9)
    page.goto(f"/meetings/{before.pk}/")
    assert "5 working days" in page.locator("#deadline").inner_text()
