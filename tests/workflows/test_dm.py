"""D rules: placement disruption meetings (county pack)."""

from datetime import date

import pytest

from dashboards.disruptions import disruption_quarter_collation
from portal.models import CaseNote
from tests.factories import UserFactory
from workflows import services
from workflows.choices import ActionStatus, ApprovalGate, MeetingState
from workflows.models import Meeting
from workflows.participants import eligible_chairs
from workflows.rules import RuleRefusal
from workflows.selectors import actions_for_iro, approval_queue_for_user

from .factories import at, hold_and_minute, meeting_type, pack_data, schedule, submit_with_reports

ENDED = date(2026, 3, 2)
MEETING_DAY = date(2026, 4, 1)


def ended_placement(people, child=None, **kwargs):
    child = child or people.child()
    values = {
        "is_permanent": True,
        "ratified_permanent_on": date(2024, 5, 1),
        "end_date": ENDED,
        "ended_unplanned": True,
        **kwargs,
    }
    return people.placement(child, **values)


def dm_request(people, county, placement=None, requested_on=date(2026, 3, 4), **kwargs):
    placement = placement or ended_placement(people)
    args = {
        "meeting_type": meeting_type(county, "DM"),
        "child": placement.child,
        "placement": placement,
        "by": people.social_worker,
        "requested_at": at(requested_on),
    }
    return services.meeting_request(**{**args, **kwargs})


def dm_scheduled(people, county, placement=None, **kwargs):
    meeting = submit_with_reports(dm_request(people, county, placement), people)
    return schedule(meeting, people, chair=people.independent_iro, day=MEETING_DAY, **kwargs)


def dm_circulated(people, county, placement=None):
    meeting = hold_and_minute(dm_scheduled(people, county, placement), people)
    meeting = services.minutes_approve(meeting=meeting, by=meeting.chair)
    return services.minutes_circulate(meeting=meeting, by=meeting.chair)


def test_connected_carer_disruption_refused_with_clear_message__D1(county, people):
    placement = ended_placement(people, connected_person=True)
    with pytest.raises(RuleRefusal) as refused:
        dm_request(people, county, placement)
    assert refused.value.rule == "D1"
    assert refused.value.message.startswith(
        "A disruption meeting is not held when a placement with connected carers"
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"is_permanent": False, "ratified_permanent_on": None}, "ratified as permanent"),
        ({"end_date": None, "ended_unplanned": None}, "after the placement has ended"),
        ({"ended_unplanned": False}, "abruptly or in an unplanned way"),
    ],
)
def test_only_permanent_placements_that_ended_unplanned__D1(county, people, change, words):
    with pytest.raises(RuleRefusal) as refused:
        dm_request(people, county, ended_placement(people, **change))
    assert refused.value.rule == "D1" and words in refused.value.message


def test_all_four_permanent_placement_types_are_eligible__D1(county, people):
    for trait in (
        {},
        {"agency_fostering": True},
        {"in_house_residential": True},
        {"agency_residential": True},
    ):
        assert dm_request(people, county, ended_placement(people, **trait)).state == MeetingState.REQUESTED


def test_held_between_day_28_and_day_42_after_the_placement_ended__D2(county, people):
    meeting = submit_with_reports(dm_request(people, county), people)
    assert meeting.state == MeetingState.APPROVED  # no approval gate for an on-time request
    assert (meeting.earliest_on, meeting.due_on) == (date(2026, 3, 30), date(2026, 4, 13))
    for day, words in (
        (date(2026, 3, 27), "cannot be held before Mon 30 Mar 2026"),
        (date(2026, 4, 14), "must be held by Mon 13 Apr 2026"),
    ):
        with pytest.raises(RuleRefusal) as refused:
            schedule(meeting, people, chair=people.independent_iro, day=day)
        assert refused.value.rule == "D2" and words in refused.value.message
    for day in (date(2026, 3, 30), date(2026, 4, 13)):
        assert (
            schedule(meeting, people, chair=people.independent_iro, day=day).state == MeetingState.SCHEDULED
        )


def test_late_request_needs_team_manager_and_quality_review_manager__D3(county, people):
    meeting = submit_with_reports(dm_request(people, county, requested_on=date(2026, 4, 20)), people)
    assert meeting.is_late and meeting.state == MeetingState.AWAITING_APPROVAL
    assert meeting.due_on is None and "after day 42" in meeting.deadline_explanation
    assert approval_queue_for_user(people.qr_manager) == [meeting]
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.social_worker)
    assert refused.value.rule == "D3"
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager, note="Learning needed")
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert refused.value.rule == "D3" and "quality and review manager" in refused.value.message
    meeting = services.meeting_approve(meeting=meeting, by=people.qr_manager, note="Agreed")
    assert meeting.state == MeetingState.APPROVED
    recorded = set(meeting.approvals.values_list("gate", "role", "by__username", "decision"))
    assert recorded == {
        (ApprovalGate.LATE_REQUEST, "team_manager", "tm", "approved"),
        (ApprovalGate.LATE_REQUEST, "quality_review_manager", "qr", "approved"),
    }


def test_late_request_declined_by_either_approver__D3(county, people):
    meeting = submit_with_reports(dm_request(people, county, requested_on=date(2026, 4, 20)), people)
    meeting = services.meeting_decline(
        meeting=meeting, by=people.qr_manager, reason="Too long ago; use the review."
    )
    assert meeting.state == MeetingState.DECLINED
    assert meeting.approvals.get().reason == "Too long ago; use the review."


def test_request_form_attached_and_routed_to_conference_mailbox__D4(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = dm_request(people, county)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_submit(meeting=meeting, by=people.social_worker)
    assert "Disruption meeting request form" in refused.value.message
    with django_capture_on_commit_callbacks(execute=True):
        submit_with_reports(meeting, people)
    assert mailoutbox[-1].to == ["conference.requests@county.example.org"]
    assert meeting.reference in mailoutbox[-1].subject


def test_chair_is_an_iro_with_no_earlier_involvement__D5(county, people):
    from .factories import psm_request

    child = people.child()
    earlier = psm_request(people, county, child=child)
    earlier_chair = UserFactory(username="iro3", role="iro")
    Meeting.objects.filter(pk=earlier.pk).update(chair=earlier_chair)
    earlier.invitees.create(user=people.independent_iro, name="IRO two", role="other_professional")
    fresh = UserFactory(username="iro4", role="iro")
    meeting = submit_with_reports(dm_request(people, county, ended_placement(people, child)), people)
    for conflicted, words in (
        (people.iro, "is the child's own IRO"),
        (earlier_chair, "chaired an earlier meeting"),
        (people.independent_iro, "was invited to an earlier meeting"),
    ):
        with pytest.raises(RuleRefusal) as refused:
            schedule(meeting, people, chair=conflicted, day=MEETING_DAY)
        assert refused.value.rule == "D5" and words in refused.value.message
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.team_manager, day=MEETING_DAY)
    assert refused.value.message == "A disruption meeting is chaired by an independent reviewing officer."
    candidates = {c.user: c for c in eligible_chairs(meeting)}
    assert candidates[fresh].eligible and not candidates[people.iro].eligible
    assert "own IRO" in candidates[people.iro].reason
    assert schedule(meeting, people, chair=fresh, day=MEETING_DAY).chair == fresh


def test_invitees_include_residential_roles_and_part_attendance__D6(county, people):
    from workflows.participants import invitee_suggestions

    child = people.child()
    meeting = submit_with_reports(
        dm_request(people, county, ended_placement(people, child, in_house_residential=True)), people
    )
    suggested = {s["role"]: s for s in invitee_suggestions(meeting)}
    assert {"residential_key_worker", "home_manager", "iro", "minute_taker", "parent", "child"} <= set(
        suggested
    )
    assert "foster_carer" not in suggested
    assert suggested["parent"]["may_attend_part"] and suggested["child"]["may_attend_part"]
    invitees = people.invitees(meeting, skip=("parent",)) + [
        {"role": "parent", "name": "Birth mother", "part_only": True}
    ]
    with pytest.raises(RuleRefusal) as refused:
        schedule(
            meeting,
            people,
            chair=people.independent_iro,
            day=MEETING_DAY,
            invitees=[i for i in invitees if i["role"] != "minute_taker"],
        )
    assert refused.value.rule == "D6" and "minute taker" in refused.value.message
    meeting = schedule(meeting, people, chair=people.independent_iro, day=MEETING_DAY, invitees=invitees)
    assert meeting.invitees.get(role="parent").part_only


def test_childs_social_worker_arranges_the_meeting__D7(county, people):
    meeting = submit_with_reports(dm_request(people, county), people)
    with pytest.raises(RuleRefusal) as refused:
        schedule(meeting, people, chair=people.independent_iro, day=MEETING_DAY, by=people.team_manager)
    assert refused.value.rule == "D7" and "social worker arranges" in refused.value.message


def test_reports_due_10_working_days_before_the_meeting__D8(county, people):
    meeting = dm_scheduled(people, county)
    due = {r.form_key: r.due_on for r in meeting.reports.all()}
    assert due == {
        "dm-request": date(2026, 3, 4),
        "dm-report-social-worker": date(2026, 3, 18),
        "dm-report-supervising-social-worker": date(2026, 3, 18),
    }
    assert "10 working days before" in meeting.reports.get(form_key="dm-report-social-worker").due_explanation


def test_residential_dm_asks_for_the_residential_report__D8(county, people):
    child = people.child()
    meeting = dm_request(people, county, ended_placement(people, child, agency_residential=True))
    assert set(meeting.reports.values_list("form_key", flat=True)) == {
        "dm-request",
        "dm-report-social-worker",
        "dm-report-residential",
    }


def test_chair_approves_minutes_then_all_parties_get_them__D9(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = hold_and_minute(dm_scheduled(people, county), people)
    with pytest.raises(RuleRefusal) as refused:
        services.minutes_approve(meeting=meeting, by=people.iro)
    assert refused.value.rule == "D9" and "chair" in refused.value.message
    with pytest.raises(RuleRefusal) as refused:
        services.minutes_circulate(meeting=meeting, by=meeting.chair)
    assert refused.value.rule == "G7"
    assert refused.value.message.startswith("This meeting is minutes drafted")
    assert refused.value.message.endswith("so its minutes cannot be circulated now.")
    meeting = services.minutes_approve(meeting=meeting, by=people.independent_iro)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.minutes_circulate(meeting=meeting, by=meeting.chair)
    invited = {i.email for i in meeting.invitees.exclude(attendance="not_invited") if i.email}
    assert invited and invited <= {address for m in mailoutbox for address in m.to}


@pytest.mark.parametrize(
    ("trait", "question"),
    [({"agency_residential": True}, "reuse_resource"), ({}, "early_carer_review")],
)
def test_outcomes_recorded_before_closing__D10(county, people, trait, question):
    meeting = dm_circulated(people, county, ended_placement(people, **trait))
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_close(
            meeting=meeting, by=meeting.chair, outcome_answers={"carer_response_cause": "no"}
        )
    assert refused.value.rule == "D10"
    meeting = services.meeting_close(
        meeting=meeting, by=meeting.chair, outcome_answers={question: "yes", "carer_response_cause": "no"}
    )
    assert meeting.state == MeetingState.CLOSED and meeting.outcome_answers[question] == "yes"


def test_looked_after_review_convened_and_iro_tracks_actions__D11(
    county, people, django_capture_on_commit_callbacks
):
    meeting = dm_circulated(people, county)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_close(
            meeting=meeting,
            by=meeting.chair,
            outcome_answers={"early_carer_review": "no", "carer_response_cause": "no"},
        )
    review = meeting.actions.get(follow_up_key="convene_lac_review")
    assert review.owner == people.social_worker and review.due_on
    tracked = list(actions_for_iro(people.iro))
    assert review in tracked and len(tracked) == 2  # the minutes' action and the review
    assert list(actions_for_iro(people.independent_iro)) == []
    with pytest.raises(RuleRefusal):
        services.action_complete(action=review, by=people.buyer)
    done = services.action_complete(
        action=review, by=people.iro, note="Review held 20 May", evaluated="Discussed at the review."
    )
    assert done.status == ActionStatus.DONE and done.completed_by == people.iro
    assert CaseNote.objects.get(child=meeting.child).note_type == "Placement disruption meeting"


def test_approved_minutes_shared_with_practice_development__D12(
    county, people, django_capture_on_commit_callbacks, mailoutbox
):
    meeting = hold_and_minute(dm_scheduled(people, county), people)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=meeting, by=meeting.chair)
    assert mailoutbox[-1].to == ["practice.development@county.example.org"]


def test_quarterly_collation_of_themes_for_divisional_meeting__D12(county, people):
    child = people.child(date_of_birth=date(2014, 3, 2), area="Lakeside")
    placement = ended_placement(people, child, agency_fostering=True, start_date=date(2025, 3, 2))
    meeting = services.minutes_approve(
        meeting=hold_and_minute(dm_scheduled(people, county, placement), people), by=people.independent_iro
    )
    approved_at = meeting.minutes_approved_at.date()
    quarter = (approved_at.month - 1) // 3 + 1
    report = disruption_quarter_collation(year=approved_at.year, quarter=quarter)
    assert report["divisional_meeting"].month == {1: 4, 2: 7, 3: 10, 4: 1}[quarter]
    [row] = report["meetings"]
    assert row["reference"] == meeting.reference
    assert row["age_at_disruption"] == 12 and row["area"] == "Lakeside"
    assert row["provider"] == placement.provider.name
    assert row["days_in_home"] == 365 and row["days_from_ratification"] == (ENDED - date(2024, 5, 1)).days
    other_quarter = quarter % 4 + 1
    assert disruption_quarter_collation(year=approved_at.year, quarter=other_quarter)["meetings"] == []


def test_pack_requires_the_five_disruption_forms__D13(county, people):
    dm = next(t for t in pack_data("county")["meeting_types"] if t["code"] == "DM")
    keys = {r["form_key"] for r in dm["reports"]} | {dm["minutes_form_key"]}
    assert keys == {
        "dm-request",
        "dm-report-social-worker",
        "dm-report-residential",
        "dm-report-supervising-social-worker",
        "dm-minutes",
    }
    authors = {r["form_key"]: r["author_role"] for r in dm["reports"]}
    assert authors["dm-report-residential"] == "residential_key_worker"
    assert authors["dm-report-supervising-social-worker"] == "supervising_social_worker"


def test_overdue_report_is_flagged_until_received__D8(county, people):
    from workflows.policy import meeting_flags

    meeting = dm_scheduled(people, county)
    report = meeting.reports.get(form_key="dm-report-social-worker")
    assert report.due_on < date.today()  # the fixed 2026 dates are in the past for this check
    assert "Disruption meeting report: child's social worker was due on Wed 18 Mar 2026. (D8)" in [
        f.log_text for f in meeting_flags(meeting)
    ]
    # received outside the form builder (a document filed elsewhere): no submission to point at
    services.report_attach(report=report, by=people.social_worker)
    assert not [f for f in meeting_flags(meeting) if "child's social worker was due" in f.message]
    assert meeting.reports.get(pk=report.pk).received_at is not None
