"""Issue 15: the transitions' ``permission=`` (django-fsm-2) is the one source of who may press which
button; the buttons on the meeting page are derived from it (P2, G8)."""

from datetime import date

import pytest
from django_fsm import has_transition_perm

from workflows.permissions import meeting_buttons

from .factories import hold_and_minute, psm_request, schedule, submit_with_reports

pytestmark = pytest.mark.django_db


def test_buttons_follow_state_and_role__P2_G8(county, people):
    meeting = psm_request(people, county)
    assert meeting_buttons(meeting, people.social_worker)[:2] == ["report_attach", "meeting_submit"]
    assert "meeting_approve" not in meeting_buttons(meeting, people.team_manager)
    meeting = submit_with_reports(meeting, people)
    assert {"meeting_approve", "meeting_decline"} <= set(meeting_buttons(meeting, people.team_manager))
    assert "meeting_approve" not in meeting_buttons(meeting, people.other_manager)
    assert "meeting_cancel" in meeting_buttons(meeting, people.social_worker)
    assert "meeting_cancel" in meeting_buttons(meeting, people.team_manager)  # manages the child's team
    assert "meeting_cancel" not in meeting_buttons(meeting, people.other_manager)
    assert meeting_buttons(meeting, people.auditor) == []  # read-only: no buttons at all


def test_only_the_minutes_approver_may_approve_them__P6(county, people):
    from workflows import services

    approved = services.meeting_approve(
        meeting=submit_with_reports(psm_request(people, county), people), by=people.team_manager
    )
    held = hold_and_minute(
        schedule(approved, people, chair=people.fostering_manager, day=date(2026, 3, 5)), people
    )
    assert "minutes_approve" in meeting_buttons(held, people.fostering_manager)  # the chair (county pack)
    assert "minutes_approve" not in meeting_buttons(held, people.social_worker)
    # the same answer django-fsm-2 gives from the transition's permission= (its condition met here)
    assert has_transition_perm(held.approve_minutes, people.fostering_manager)
    assert not has_transition_perm(held.approve_minutes, people.social_worker)
    assert not has_transition_perm(held.approve_minutes, people.auditor)
