"""Recurrence (issue 10): "review again in N weeks" — on close, a follow-up due N units after the meeting,
owned by the child's social worker and shown on their My actions and home page."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from workflows import services
from workflows.paths import RECURRENCE_KEY, after_interval

from .test_linked_meetings import circulated_psm


def _recurrence(every: int, unit: str) -> dict:
    return {"every": every, "unit": unit, "note": "", "rule": "R1", "because": ""}


def test_close_creates_review_again_due_six_weeks_after_the_meeting__issue10(client, people, county):
    """Issue 10: held Thu 5 Mar 2026 + 6 weeks = Thu 16 Apr 2026 (worked by hand: 42 days)."""
    meeting = circulated_psm(people, county, decision_parts={"recurrence": _recurrence(6, "weeks")})
    meeting = services.meeting_close(meeting=meeting, by=meeting.chair, outcome_answers={})
    review = meeting.actions.get(follow_up_key=RECURRENCE_KEY)
    assert review.due_on == date(2026, 4, 16)
    assert review.owner == people.social_worker
    assert "every 6 weeks" in review.description
    client.force_login(people.social_worker)
    assert review.description in client.get(reverse("workflows:my_actions")).content.decode()
    from workflows.paths import recurrence_create

    assert recurrence_create(meeting) is None
    assert meeting.actions.filter(follow_up_key=RECURRENCE_KEY).count() == 1


def test_no_recurrence_no_review__issue10(people, county):
    """Issue 10: without a recurrence entry, closing adds no review."""
    meeting = circulated_psm(people, county, decision_parts={"recurrence": None})
    meeting = services.meeting_close(meeting=meeting, by=meeting.chair, outcome_answers={})
    assert not meeting.actions.filter(follow_up_key=RECURRENCE_KEY).exists()


def test_interval_units__issue10():
    """Issue 10: months keep the month-end rule (31 Jan 2027 + 1 month = 28 Feb 2027); working days skip
    the weekend and Good Friday/Easter Monday 2026 (Thu 2 Apr + 2 working days: Fri 3 Good Friday, the
    weekend and Mon 6 Easter Monday are skipped, Tue 7 is the first and Wed 8 Apr the second)."""
    assert after_interval(date(2027, 1, 31), 1, "months", calendar="ENG") == date(2027, 2, 28)
    assert after_interval(date(2026, 4, 2), 2, "working", calendar="ENG") == date(2026, 4, 8)
    assert after_interval(date(2026, 3, 5), 6, "weeks", calendar="ENG") == date(2026, 4, 16)
