"""The daily sweep over late meetings, reports, minutes and actions across Christmas 2026 (issue 13).

England's calendar: Thu 24 Dec 2026 is a working day; Fri 25 Dec (Christmas Day) and Mon 28 Dec
(Boxing Day, substitute day) are bank holidays; Fri 1 Jan 2027 (New Year's Day) is one too. So from a
due date of Thu 24 Dec the 1st working day late is Tue 29 Dec, the 3rd Thu 31 Dec, the 5th Tue 5 Jan,
the 8th Fri 8 Jan.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django_q.models import Schedule

from outbox.models import OutboxMessage
from reminders.defaults import template_problem
from reminders.models import EscalationLadder, MessageTemplate, Notification
from reminders.schedules import SWEEP, schedules_ensure
from reminders.services import message_render
from reminders.sweep import reminders_sweep
from reminders.tasks import reminders_daily_sweep
from tests.workflows.factories import psm_request, submit_with_reports
from workflows.choices import MeetingState
from workflows.deadlines import add_working_days
from workflows.models import Action, Meeting, MeetingReport, PackSetting

pytestmark = pytest.mark.django_db

XMAS_EVE = date(2026, 12, 24)


def _sent(rows):
    return sorted((r.topic.removeprefix("reminders."), r.recipient_user.username) for r in rows)


def _late_meeting(people, county, *, due=XMAS_EVE, state=MeetingState.REQUESTED, **fields):
    meeting = psm_request(people, county)
    Meeting.objects.filter(pk=meeting.pk).update(state=state, due_on=due, **fields)
    meeting.refresh_from_db()
    MeetingReport.objects.filter(meeting=meeting).delete()  # reports are seeded by the tests that need them
    OutboxMessage.objects.all().delete()  # only the sweep's messages from here on
    Notification.objects.all().delete()
    return meeting


@pytest.fixture
def head(people, county):
    PackSetting.objects.update_or_create(pack=county, key="head_of_service", defaults={"value": "qr"})
    return people.qr_manager


def test_late_meeting_reminds_owner_then_manager_then_head_across_christmas__G2(people, county, head):
    meeting = _late_meeting(people, county)
    assert _sent(reminders_sweep(today=date(2026, 12, 24))) == [("meeting_due", "sw")]  # due today: not late
    assert _sent(reminders_sweep(today=date(2026, 12, 25))) == []  # Christmas Day: nothing sent
    assert _sent(reminders_sweep(today=date(2026, 12, 28))) == []  # Boxing Day (substitute): nothing
    first = reminders_sweep(today=date(2026, 12, 29))
    assert _sent(first) == [("meeting_late", "sw")]
    assert "was due by Thu 24 Dec 2026" in first[0].body and "(1 working day late)" in first[0].body
    assert f"/meetings/{meeting.pk}/" in first[0].body
    assert reminders_sweep(today=date(2026, 12, 29)) == []  # twice the same day: nothing twice
    assert reminders_sweep(today=date(2026, 12, 30)) == []  # 2 working days late: no new step
    second = reminders_sweep(today=date(2026, 12, 31))
    assert _sent(second) == [("meeting_late", "tm")]
    assert "This is an escalation" in second[0].body and "(3 working days late)" in second[0].body
    assert reminders_sweep(today=date(2027, 1, 7)) == []  # 7 working days (1 Jan is a holiday)
    assert _sent(reminders_sweep(today=date(2027, 1, 8))) == [("meeting_late", "qr")]
    assert reminders_sweep(today=date(2027, 1, 11)) == []
    assert OutboxMessage.objects.count() == 4
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == ["qr", "sw", "sw", "tm"]


def test_a_missed_fortnight_is_caught_up_with_one_message_per_step__G2(people, county, head):
    _late_meeting(people, county)
    rows = reminders_sweep(today=date(2027, 1, 8))  # the worker was down from Christmas Eve
    assert _sent(rows) == [("meeting_late", "qr"), ("meeting_late", "sw"), ("meeting_late", "tm")]
    assert reminders_sweep(today=date(2027, 1, 8)) == []
    assert reminders_sweep(today=date(2027, 1, 11)) == []


def test_meeting_due_soon_counts_working_days_over_the_bank_holidays__G2(people, county):
    _late_meeting(people, county, due=date(2026, 12, 29))
    # 21 Dec -> 29 Dec is 4 working days (22, 23, 24, 29): not yet "due in the next 3 working days".
    assert reminders_sweep(today=date(2026, 12, 21)) == []
    rows = reminders_sweep(today=date(2026, 12, 22))
    assert _sent(rows) == [("meeting_due", "sw")]
    assert rows[0].subject.endswith("meeting due by Tue 29 Dec 2026")
    assert reminders_sweep(today=date(2026, 12, 23)) == []  # one reminder per due date


def test_scheduled_meeting_is_not_due_soon_but_is_late_when_not_held(people, county):
    _late_meeting(people, county, due=date(2026, 12, 29), state=MeetingState.SCHEDULED)
    assert reminders_sweep(today=date(2026, 12, 22)) == []
    assert _sent(reminders_sweep(today=date(2026, 12, 30))) == [("meeting_late", "sw")]


def test_report_due_then_late_reminds_its_author_then_the_team_manager(people, county):
    meeting = _late_meeting(people, county, due=date(2027, 2, 1), state=MeetingState.SCHEDULED)
    report = MeetingReport.objects.create(
        meeting=meeting,
        form_key="sw-report",
        label="Social worker's report",
        author_role="social_worker",
        timing="before_meeting",
        due_on=date(2026, 12, 23),
    )
    assert _sent(reminders_sweep(today=date(2026, 12, 17))) == []  # 4 working days ahead
    due = reminders_sweep(today=date(2026, 12, 18))
    assert _sent(due) == [("report_due", "sw")] and "Social worker's report" in due[0].subject
    assert _sent(reminders_sweep(today=date(2026, 12, 24))) == [("report_late", "sw")]
    assert reminders_sweep(today=date(2026, 12, 29)) == []  # 2 working days late
    assert _sent(reminders_sweep(today=date(2026, 12, 30))) == [("report_late", "tm")]
    report.received_at = report.meeting.requested_at
    report.save()
    assert reminders_sweep(today=date(2027, 1, 20)) == []  # received: nothing more


def test_report_author_is_the_supervising_social_worker_when_the_role_says_so(people, county):
    meeting = _late_meeting(people, county, due=date(2027, 2, 1), state=MeetingState.SCHEDULED)
    MeetingReport.objects.create(
        meeting=meeting,
        form_key="ssw",
        label="Carers' report",
        author_role="supervising_social_worker",
        timing="before_meeting",
        due_on=date(2026, 12, 23),
    )
    expected = (
        meeting.placement.carer_household.supervising_social_worker.username
        if (meeting.placement.carer_household_id)
        else "sw"
    )
    assert _sent(reminders_sweep(today=date(2026, 12, 24))) == [("report_late", expected)]


def test_minutes_not_approved_by_their_due_date_remind_the_chair_then_the_chairs_manager(people, county):
    _late_meeting(
        people,
        county,
        due=date(2026, 12, 1),
        state=MeetingState.HELD,
        chair=people.team_manager,
        minutes_due_on=XMAS_EVE,
    )
    assert _sent(reminders_sweep(today=date(2026, 12, 29))) == [("minutes_late", "tm")]
    assert reminders_sweep(today=date(2026, 12, 30)) == []
    # The chair manages their own team: the escalation goes to nobody rather than back to the chair.
    assert reminders_sweep(today=date(2026, 12, 31)) == []


def test_minutes_late_escalate_to_an_iro_chairs_manager(people, county):
    people.iro_team.manager = people.other_manager
    people.iro_team.save()
    _late_meeting(
        people,
        county,
        due=date(2026, 12, 1),
        state=MeetingState.MINUTES_DRAFTED,
        chair=people.iro,
        minutes_due_on=XMAS_EVE,
    )
    assert _sent(reminders_sweep(today=date(2026, 12, 29))) == [("minutes_late", "iro")]
    assert _sent(reminders_sweep(today=date(2026, 12, 31))) == [("minutes_late", "tm2")]


def test_overdue_action_reminds_owner_and_the_childs_iro_then_escalates__P6(people, county):
    meeting = _late_meeting(people, county, due=date(2026, 12, 1), state=MeetingState.CIRCULATED)
    Action.objects.create(
        meeting=meeting,
        child=meeting.child,
        description="Arrange weekend respite",
        owner=people.ssw,
        due_on=XMAS_EVE,
        evaluation="Carers say they feel supported.",
    )
    due = reminders_sweep(today=date(2026, 12, 21))  # 21 Dec -> 24 Dec: 3 working days
    assert _sent(due) == [("action_due", "ssw")]
    overdue = reminders_sweep(today=date(2026, 12, 29))
    assert _sent(overdue) == [("action_overdue", "iro"), ("action_overdue", "ssw")]
    assert all("Arrange weekend respite" in r.body for r in overdue)
    assert reminders_sweep(today=date(2027, 1, 4)) == []  # 4 working days (1 Jan is a holiday)
    # The owner's fostering team has no manager: the child's team manager is told.
    assert _sent(reminders_sweep(today=date(2027, 1, 5))) == [("action_overdue", "tm")]


def test_done_and_cancelled_meetings_actions_are_not_chased(people, county):
    meeting = _late_meeting(people, county, due=date(2026, 12, 1), state=MeetingState.CANCELLED)
    Action.objects.create(
        meeting=meeting,
        child=meeting.child,
        description="Cancelled meeting's action",
        owner=people.ssw,
        due_on=XMAS_EVE,
        evaluation="-",
    )
    other = _late_meeting(people, county, due=date(2026, 12, 1), state=MeetingState.CLOSED)
    Action.objects.create(
        meeting=other,
        child=other.child,
        description="Done",
        owner=people.ssw,
        due_on=XMAS_EVE,
        evaluation="-",
        status="done",
    )
    assert reminders_sweep(today=date(2027, 1, 8)) == []


def test_request_waiting_for_approval_reminds_the_approvers_then_the_head__P2(people, county, head):
    meeting = submit_with_reports(psm_request(people, county), people)
    OutboxMessage.objects.all().delete()
    submitted = meeting.history.get(target=MeetingState.AWAITING_APPROVAL).at.date()
    Meeting.objects.filter(pk=meeting.pk).update(due_on=add_working_days(submitted, 30))
    assert reminders_sweep(today=submitted) == []
    rows = reminders_sweep(today=add_working_days(submitted, 1))
    assert ("approval_waiting", "tm") in _sent(rows)
    assert "sw" not in {u for _k, u in _sent(rows)}  # the requester never approves their own request
    assert _sent(reminders_sweep(today=add_working_days(submitted, 3))) == [("approval_waiting", "qr")]


def test_the_policy_owners_ladder_replaces_the_default(people, county, head):
    meeting = _late_meeting(people, county)
    EscalationLadder.objects.create(
        meeting_type=meeting.meeting_type,
        kind="meeting_late",
        steps=[{"after_working_days": 0, "to": "owner"}, {"after_working_days": 1, "to": "head_of_service"}],
    )
    assert _sent(reminders_sweep(today=date(2026, 12, 29))) == [
        ("meeting_late", "qr"),
        ("meeting_late", "sw"),
    ]
    assert reminders_sweep(today=date(2027, 1, 8)) == []  # no team manager step in this ladder


@pytest.mark.parametrize(
    "steps",
    [
        [],
        [{"after_working_days": 0}],
        [{"after_working_days": -1, "to": "owner"}],
        [{"after_working_days": 3, "to": "owner"}, {"after_working_days": 3, "to": "iro"}],
        [{"after_working_days": 0, "to": "the_mayor"}],
    ],
)
def test_a_bad_ladder_is_refused_with_a_plain_message(people, county, steps):
    from tests.workflows.factories import meeting_type

    ladder = EscalationLadder(meeting_type=meeting_type(county, "PSM"), kind="meeting_late", steps=steps)
    with pytest.raises(ValidationError):
        ladder.full_clean()


def test_the_policy_owners_wording_is_used_with_only_the_listed_variables(people, county):
    _late_meeting(people, county)
    MessageTemplate.objects.create(
        key="meeting_late",
        subject="Late: {{ reference }}",
        body="Dear {{ recipient_name }}, {{ child_reference }} <b>{{ due_date }}</b>",
    )
    (row,) = reminders_sweep(today=date(2026, 12, 29))
    meeting = Meeting.objects.get()
    assert row.subject == f"Late: {meeting.reference}"
    assert row.body == f"Dear {people.social_worker}, {meeting.child.local_reference} <b>Thu 24 Dec 2026</b>"


def test_message_templates_accept_only_documented_variables_and_valid_syntax():
    assert template_problem("{{ reference }} due {{ due_date }}") == ""
    assert "settings" in template_problem("{{ settings.SECRET_KEY }}")
    assert "mistake" in template_problem("{% if %}")
    assert "mistake" in template_problem("{% load static %}")
    with pytest.raises(ValidationError):
        MessageTemplate(key="report_late", subject="{{ user.password }}", body="x").full_clean()
    # Undocumented names render as nothing even if a caller passed them.
    assert message_render("report_due", {"what": "Report", "secret": "x"})[1].count("x") == 0


def test_the_daily_schedule_is_created_once_and_the_task_runs_the_sweep(people, county):
    schedules_ensure()
    schedules_ensure()
    (schedule,) = Schedule.objects.filter(name=SWEEP["name"])
    assert (schedule.func, schedule.schedule_type, schedule.repeats) == (SWEEP["func"], Schedule.DAILY, -1)
    assert reminders_daily_sweep() >= 0


def test_finding_late_reports_and_actions_takes_the_same_queries_for_one_or_many(people, county):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders.sweep import findings

    def seed():
        meeting = _late_meeting(people, county, due=date(2026, 12, 1), state=MeetingState.CIRCULATED)
        Action.objects.create(
            meeting=meeting, child=meeting.child, description="Respite", owner=people.ssw, due_on=XMAS_EVE
        )
        MeetingReport.objects.create(
            meeting=meeting,
            form_key="r",
            label="Report",
            author_role="social_worker",
            timing="t",
            due_on=XMAS_EVE,
        )

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            found = list(findings(date(2026, 12, 29)))
        return len(found), len(ctx.captured_queries)

    seed()
    one = count()
    seed()
    seed()
    three = count()
    assert (one[0], three[0]) == (2, 6)
    assert three[1] == one[1], f"queries must not grow with each late report or action: {one} {three}"
