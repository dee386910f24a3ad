"""The IRO's review pack per child, and recording the looked-after review in one step (issue 13).

Fixed clock: Mon 20 Apr 2026, 10:00 London. Two PSMs for one child: the first held 6 Mar 2026 with
two actions, before a review recorded on 1 Apr; the second held afterwards. The pack shows the second
meeting, and the first only because one of its actions is still to do.
"""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from workflows import services
from workflows.models import ActionStatusChange, LookedAfterReview
from workflows.reviews import ReviewDecision, last_review, review_pack
from workflows.rules import RuleRefusal

from .factories import at, hold_and_minute, psm_request, schedule, submit_with_reports

NOW = at(date(2026, 4, 20))


@pytest.fixture
def clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


def _held(people, county, child, placement, *, requested: date, day: date, actions):
    meeting = psm_request(people, county, child=child, placement=placement, raised=requested)
    meeting = services.meeting_approve(meeting=submit_with_reports(meeting, people), by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=day)
    return hold_and_minute(meeting, people, actions=actions)


def _action(description, due):
    return {
        "description": description,
        "owner_name": "Supervising social worker",
        "due_on": due,
        "evaluation": "-",
    }


@pytest.fixture
def child_with_meetings(county, people, clock):
    child = people.child()
    placement = people.placement(child)
    first = _held(
        people,
        county,
        child,
        placement,
        requested=date(2026, 3, 2),
        day=date(2026, 3, 6),
        actions=[_action("Respite weekend", date(2026, 3, 27)), _action("School meeting", date(2026, 3, 20))],
    )
    services.action_status_set(
        action=first.actions.get(description="School meeting"),
        by=people.iro,
        status="done",
        note="Held.",
        evaluated="School reports settled.",
    )
    LookedAfterReview.objects.create(child=child, held_on=date(2026, 4, 1), by=people.iro, at=NOW)
    second = _held(
        people,
        county,
        child,
        placement,
        requested=date(2026, 4, 6),
        day=date(2026, 4, 10),
        actions=[_action("Life story work", date(2026, 5, 29))],
    )
    return child, first, second


def test_pack_groups_by_meeting_everything_since_the_last_review__issue13(child_with_meetings, people):
    child, first, second = child_with_meetings
    previous, meetings = review_pack(child)
    assert previous.held_on == date(2026, 4, 1)
    assert [m.meeting for m in meetings] == [first, second]
    assert [a.description for a in meetings[0].actions] == ["School meeting", "Respite weekend"]
    assert [a.description for a in meetings[1].actions] == ["Life story work"]
    # Once the first meeting's last action is closed, it is no longer part of the next pack.
    services.action_status_set(
        action=first.actions.get(description="Respite weekend"),
        by=people.iro,
        status="dropped",
        note="Not needed.",
    )
    assert [m.meeting for m in review_pack(child)[1]] == [second]


def test_recording_the_review_writes_every_actions_decision_and_the_review_date__issue13(
    child_with_meetings, people
):
    child, first, second = child_with_meetings
    respite = first.actions.get(description="Respite weekend")
    life_story = second.actions.get()
    review = services.looked_after_review_record(
        child=child,
        by=people.iro,
        held_on=date(2026, 4, 17),
        decisions={
            respite.pk: ReviewDecision("done", note="Two weekends.", evaluated="Carers rested."),
            life_story.pk: ReviewDecision("due_date", due_on=date(2026, 6, 30)),
        },
    )
    assert last_review(child) == review and review.held_on == date(2026, 4, 17)
    respite.refresh_from_db()
    life_story.refresh_from_db()
    assert respite.status == "done" and life_story.status == "open"
    assert life_story.due_on == date(2026, 6, 30)
    moved = life_story.status_changes.last()
    assert (moved.review, moved.due_on_before, moved.due_on_after) == (
        review,
        date(2026, 5, 29),
        date(2026, 6, 30),
    )
    assert respite.status_changes.last().review == review


def test_bad_review_input_writes_nothing__issue13(child_with_meetings, people):
    child, first, second = child_with_meetings
    respite = first.actions.get(description="Respite weekend")
    before = ActionStatusChange.objects.count()
    with pytest.raises(RuleRefusal) as refused:
        services.looked_after_review_record(
            child=child,
            by=people.iro,
            held_on=date(2026, 3, 1),  # before the last review
            decisions={
                respite.pk: ReviewDecision("done", note="Two weekends.")
            },  # no evaluation, no 2nd action
        )
    message = refused.value.message
    assert "cannot be before the last review (01 April 2026)" in message
    assert "How the outcome was evaluated" in message or "Say how the outcome was evaluated." in message
    assert "Action 2 ('Life story work'): choose what the review decided." in message
    assert ActionStatusChange.objects.count() == before and LookedAfterReview.objects.count() == 1


@pytest.mark.parametrize("who", ["social_worker", "team_manager", "independent_iro"])
def test_only_the_childs_iro_records_the_review__issue13(child_with_meetings, people, who):
    child, *_ = child_with_meetings
    with pytest.raises(RuleRefusal, match="Only the child's IRO can record"):
        services.looked_after_review_record(
            child=child, by=getattr(people, who), held_on=date(2026, 4, 17), decisions={}
        )
    assert LookedAfterReview.objects.count() == 1


def test_review_pack_page_prints_and_the_iro_records_in_one_step__issue13(
    client, child_with_meetings, people
):
    child, first, second = child_with_meetings
    url = reverse("workflows:child_review", args=[child.pk])
    client.force_login(people.social_worker)
    page = client.get(url).content.decode()
    assert "Respite weekend" in page and "Life story work" in page and "Record the review" not in page
    assert client.post(url, {}).status_code == 403
    client.force_login(people.iro)
    page = client.get(url).content.decode()
    assert "Record the review" in page and 'class="portal-no-print"' in page
    respite = first.actions.get(description="Respite weekend")
    life_story = second.actions.get()
    form = {
        "held_on_day": "17",
        "held_on_month": "4",
        "held_on_year": "2026",
        f"a{respite.pk}_decision": "dropped",
        f"a{respite.pk}_note": "Carers declined respite.",
        f"a{life_story.pk}_decision": "carry_on",
    }
    assert client.post(url, form).status_code == 302
    respite.refresh_from_db()
    assert respite.status == "dropped" and last_review(child).held_on == date(2026, 4, 17)
    assert life_story.status_changes.last().note == "Carry on."
    client.force_login(people.other_manager)
    assert client.get(url).status_code == 404  # not their child
