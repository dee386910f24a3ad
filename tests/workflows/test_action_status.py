"""An action's status history: open, in progress, done, dropped, with who and when (issue 13, D11, G7).

The clock is fixed (Fri 20 Mar 2026, 10:00 London) so every row's time is known.
"""

import html
from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from audit.append_only import protected_tables
from dashboards.selectors import actions_dashboard
from reminders.sweep import findings
from workflows import services
from workflows.choices import ActionStatus
from workflows.models import Action, ActionStatusChange
from workflows.rules import RuleRefusal
from workflows.selectors import actions_for_user

from .factories import at, hold_and_minute, psm_request, schedule, submit_with_reports

NOW = at(date(2026, 3, 20))
MEETING_DAY = date(2026, 3, 6)


@pytest.fixture
def clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


@pytest.fixture
def action(county, people, clock) -> Action:
    meeting = submit_with_reports(psm_request(people, county), people)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = schedule(meeting, people, chair=people.fostering_manager, day=MEETING_DAY)
    meeting = hold_and_minute(
        meeting,
        people,
        actions=[
            {
                "description": "Arrange weekend respite",
                "owner": people.ssw,
                "due_on": date(2026, 3, 27),
                "evaluation": "Carers say they feel supported.",
            }
        ],
    )
    return meeting.actions.get()


def _trail(action):
    return [(c.source, c.target, c.by.username, c.note, c.evaluated) for c in action.status_changes.all()]


def test_owner_moves_an_action_through_in_progress_to_done_each_step_recorded__issue13(action, people):
    assert _trail(action) == [("open", "open", "ftm", "Agreed at the meeting.", "")]  # the chair agreed it
    ssw = people.ssw
    services.action_status_set(action=action, by=ssw, status="in_progress", note="Respite carer found.")
    services.action_status_set(action=action, by=ssw, status="in_progress", note="First weekend booked.")
    services.action_status_set(
        action=action, by=people.ssw, status="done", note="Two weekends taken.", evaluated="Carers said so."
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert (action.completed_by, action.completed_at) == (people.ssw, NOW)
    assert _trail(action)[1:] == [
        ("open", "in_progress", "ssw", "Respite carer found.", ""),
        ("in_progress", "in_progress", "ssw", "First weekend booked.", ""),
        ("in_progress", "done", "ssw", "Two weekends taken.", "Carers said so."),
    ]
    assert {c.at for c in action.status_changes.all()} == {NOW}


def test_dropping_needs_a_reason_and_a_closed_action_cannot_change__issue13_G7(action, people):
    with pytest.raises(RuleRefusal, match="Give the reason for dropping the action."):
        services.action_status_set(action=action, by=people.ssw, status="dropped", note=" ")
    with pytest.raises(RuleRefusal, match="Say how the outcome was evaluated."):
        services.action_status_set(action=action, by=people.ssw, status="done", note="Done.")
    assert action.status_changes.count() == 1  # refused steps wrote nothing
    services.action_status_set(action=action, by=people.ssw, status="dropped", note="Carers moved area.")
    with pytest.raises(RuleRefusal, match="already dropped") as refused:
        services.action_status_set(action=action, by=people.ssw, status="in_progress", note="Again")
    assert refused.value.rule == "G7"
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED


@pytest.mark.parametrize("who", ["fostering_manager", "iro", "team_manager"])
def test_chair_iro_and_the_childs_team_manager_may_update__issue13(action, people, who):
    services.action_status_set(action=action, by=getattr(people, who), status="in_progress", note="Chased.")
    assert action.status_changes.last().by == getattr(people, who)


@pytest.mark.parametrize("who", ["social_worker", "other_manager", "independent_iro", "auditor"])
def test_anyone_else_is_refused_and_nothing_is_written__issue13(action, people, who):
    with pytest.raises(RuleRefusal, match="Only the action's owner, the meeting's chair, the child's IRO"):
        services.action_status_set(action=action, by=getattr(people, who), status="in_progress", note="x")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.status_changes.count() == 1


def test_status_history_is_append_only__issue13_G7(action, people):
    change = action.status_changes.get()
    change.note = "rewritten"
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionError):
        change.delete()
    with pytest.raises(PermissionError):
        ActionStatusChange.objects.filter(pk=change.pk).update(note="rewritten")
    assert ActionStatusChange._meta.db_table in protected_tables(connection.alias)


def test_in_progress_actions_stay_on_my_actions_dashboards_and_reminders__issue13(action, people, clock):
    services.action_status_set(action=action, by=people.ssw, status="in_progress", note="Started.")
    assert list(actions_for_user(people.ssw)) == [action]
    overdue = actions_dashboard(people.ssw, today=date(2026, 3, 30)).get(pk=action.pk)
    assert overdue.is_overdue  # due 27 Mar, still in progress on 30 Mar
    kinds = {(f.kind, f.key) for f in findings(date(2026, 3, 30))}
    assert ("action_overdue", f"action:{action.pk}") in kinds
    services.action_status_set(
        action=action, by=people.ssw, status="done", note="Done.", evaluated="Checked."
    )
    assert not actions_dashboard(people.ssw, today=date(2026, 3, 30)).get(pk=action.pk).is_overdue
    kinds = {(f.kind, f.key) for f in findings(date(2026, 3, 30))}
    assert ("action_overdue", f"action:{action.pk}") not in kinds


def test_the_owner_updates_on_the_action_page_and_bad_input_keeps_the_text__issue13(client, action, people):
    client.force_login(people.ssw)
    url = reverse("workflows:action_update", args=[action.pk])
    page = client.get(url).content.decode()
    assert "data-portal-reveal" in page and 'aria-controls="conditional-id_status-2"' in page
    bad = client.post(url, {"status": "done", "done_note": "Two weekends taken.", "evaluated": ""})
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "Say how the outcome was evaluated." in body and "Two weekends taken." in body
    assert action.status_changes.count() == 1
    done = client.post(
        url,
        {"status": "done", "done_note": "Two weekends taken.", "evaluated": "Carers said so.", "next": "/x"},
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    my_actions = client.get(reverse("workflows:my_actions")).content.decode()
    assert "Action now done: Arrange weekend respite" in my_actions
    assert "You have no open actions." in my_actions  # done: no longer on the owner's list


def test_who_sees_the_action_but_may_not_change_it_is_refused_in_words__issue13(client, action, people):
    client.force_login(people.social_worker)  # the child's social worker sees the action
    url = reverse("workflows:action_update", args=[action.pk])
    assert "Save the status" not in client.get(url).content.decode()
    refused = client.post(url, {"status": "in_progress", "progress_note": "x"})
    assert refused.status_code == 403
    assert "Only the action's owner, the meeting's chair" in html.unescape(refused.content.decode())
    assert action.status_changes.count() == 1
