"""Linked meetings (issue 10): a meeting type starts another from the same event (requested or closed),
through the normal request service, once, recorded on both meetings."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from workflows import services
from workflows.choices import MeetingState
from workflows.models import Meeting
from workflows.paths import links_enqueue

from .decisions import council, set_decision
from .factories import at, hold_and_minute, psm_request, schedule, submit_with_reports


def _link(code: str, on_event: str) -> dict:
    return {
        "meeting_type_code": code,
        "on_event": on_event,
        "note": "Second stage.",
        "rule": "L1",
        "because": "",
    }


def circulated_psm(people, county, *, decision_parts: dict):
    """A PSM taken through the engine's services to the last step before closing."""
    meeting = submit_with_reports(psm_request(people, county), people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    set_decision(meeting, **decision_parts)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5))
    meeting = services.minutes_approve(meeting=hold_and_minute(meeting, people), by=meeting.chair)
    return services.minutes_circulate(meeting=meeting, by=meeting.chair)


def test_closing_starts_the_linked_meeting_once__issue10(people, county, django_capture_on_commit_callbacks):
    """Issue 10: on close, the linked type is requested for the same child and placement by the original
    requester, counted from the close day; recorded on both meetings; running the start again adds none."""
    meeting = circulated_psm(people, county, decision_parts={"linked_meetings": [_link("PSM", "closed")]})
    with django_capture_on_commit_callbacks(execute=True):
        meeting = services.meeting_close(meeting=meeting, by=meeting.chair, outcome_answers={})
    linked = Meeting.objects.get(linked_from=meeting)
    assert (linked.child_id, linked.placement_id, linked.requested_by) == (
        meeting.child_id,
        meeting.placement_id,
        people.social_worker,
    )
    assert linked.meeting_type == meeting.meeting_type
    closed_on = meeting.closed_at.astimezone(at(date(2026, 3, 2)).tzinfo).date()
    assert linked.concern_raised_on == closed_on == linked.anchor_on
    assert "Started by " + meeting.reference in linked.request_details
    started = meeting.history.get(name="link_started")
    assert linked.reference in started.reason
    from workflows.linked_meetings import linked_meetings_start

    assert linked_meetings_start(meeting.pk, "closed") == []
    assert Meeting.objects.filter(linked_from=meeting).count() == 1


@pytest.fixture
def two_stage(db):
    """The county's pack with a second type, a placement review (REV), copied from its PSM."""
    return council("twostage", {}, copies={"REV": ("PSM", "Placement review meeting", {})})


def test_requested_event_starts_the_linked_meeting__issue10(
    people, two_stage, django_capture_on_commit_callbacks
):
    """Issue 10: an entry on "requested" starts its meeting at the first's request; others wait."""
    meeting = set_decision(
        psm_request(people, two_stage), linked_meetings=[_link("REV", "requested"), _link("DM", "closed")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        links_enqueue(meeting, "requested")
    linked = Meeting.objects.get(linked_from=meeting)
    assert linked.meeting_type.code == "REV"
    assert linked.concern_raised_on == date(2026, 3, 2)  # the day the first was requested


def test_a_linked_meeting_that_cannot_start_is_recorded_with_why__issue10(
    people, county, django_capture_on_commit_callbacks
):
    """Issue 10: the linked type's own rules apply; a refusal is recorded on the first meeting, and an unknown
    code says so."""
    meeting = set_decision(
        psm_request(people, county), linked_meetings=[_link("DM", "requested"), _link("NOPE", "requested")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        links_enqueue(meeting, "requested")
    assert not Meeting.objects.filter(linked_from=meeting).exists()
    reasons = list(meeting.history.filter(name="link_refused").values_list("reason", flat=True))
    assert any(r.startswith("Disruption") or "could not be started" in r for r in reasons)
    assert "The linked meeting type NOPE is not in this pack." in reasons


def test_both_meeting_pages_show_the_link__issue10(
    client, people, two_stage, django_capture_on_commit_callbacks
):
    """Issue 10: the first meeting lists what it started; the linked one names where it came from."""
    meeting = set_decision(psm_request(people, two_stage), linked_meetings=[_link("REV", "requested")])
    with django_capture_on_commit_callbacks(execute=True):
        links_enqueue(meeting, "requested")
    linked = Meeting.objects.get(linked_from=meeting)
    client.force_login(people.social_worker)
    first = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    assert "This meeting started:" in first and linked.reference in first
    second = client.get(reverse("workflows:meeting_detail", args=[linked.pk])).content.decode()
    assert "Started by" in second and meeting.reference in second


def test_linked_meeting_unique_per_type__issue10(people, county):
    """Issue 10: the database refuses a second meeting of the same type linked from the same meeting."""
    from django.db import IntegrityError, transaction

    meeting = psm_request(people, county)
    other = psm_request(people, county, child=meeting.child, placement=meeting.placement)
    Meeting.objects.filter(pk=other.pk).update(linked_from=meeting)
    third = psm_request(people, county, child=meeting.child, placement=meeting.placement)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=third.pk).update(linked_from=meeting)
    assert meeting.state == MeetingState.REQUESTED
