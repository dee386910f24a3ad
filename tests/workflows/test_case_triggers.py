"""Triggers from the case record (issue 10): when a pack's case trigger becomes true (here, a carer
household with two unplanned endings in twelve months), the named person gets a task to consider the
meeting, with a due date; the decision is recorded either way. Scoped, refused with a sentence."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import CarerHouseholdFactory
from workflows.case_triggers import (
    case_triggers_sweep,
    consider_task_decide,
    consider_tasks_for_user,
    consider_tasks_waiting,
    schedules_ensure,
)
from workflows.choices import ConsiderDecision
from workflows.models import CaseTrigger, ConsiderMeetingTask
from workflows.rules import RuleRefusal

from .factories import meeting_type

TWO_UNPLANNED = {"and": [{">=": [{"var": "history.carer_unplanned_endings.last_12_months"}, 2]}]}


@pytest.fixture
def household(people):
    """Supervised by the fostering service's social worker, whose team manager is the fostering manager."""
    people.fostering.manager = people.fostering_manager
    people.fostering.save()
    return CarerHouseholdFactory(name="The Ashworth household", supervising_social_worker=people.ssw)


def _ended(people, household, *, start, end, unplanned=True):
    child = people.child()
    return people.placement(
        child, carer_household=household, start_date=start, end_date=end, ended_unplanned=unplanned
    )


def _trigger(county, **kwargs) -> CaseTrigger:
    values = {
        "pack": county,
        "meeting_type": meeting_type(county, "PSM"),
        "name": "Two unplanned endings with one household in a year",
        "rule": "CT1",
        "subject": "carer_household",
        "when": [{"type": "condition", "value": TWO_UNPLANNED}],
        "task_role": "team_manager",
        "task_relationship": "carers_supervising_team_manager",
        "due_days": 10,
        "explanation": "The procedure asks the fostering manager to consider a stability meeting.",
    }
    trigger = CaseTrigger(**{**values, **kwargs})
    trigger.full_clean()
    trigger.save()
    return trigger


def test_two_unplanned_endings_in_a_year_give_the_supervising_managers_task__issue10(
    people, county, household
):
    """Issue 10, worked by hand: endings on Sat 10 Jan 2026 and Mon 1 Jun 2026 both fall in the twelve months
    up to 1 Jun 2026, so the sweep on Wed 3 Jun 2026 gives one task to the fostering manager (the
    supervising social worker's team manager), due 10 working days later: Wed 17 Jun 2026."""
    _ended(people, household, start=date(2025, 3, 1), end=date(2026, 1, 10))
    second = _ended(people, household, start=date(2026, 2, 1), end=date(2026, 6, 1))
    trigger = _trigger(county)
    assert trigger.condition == TWO_UNPLANNED
    assert case_triggers_sweep(today=date(2026, 6, 3)) == 1
    task = ConsiderMeetingTask.objects.get()
    assert task.assignee == people.fostering_manager
    assert task.due_on == date(2026, 6, 17)
    assert (task.child, task.placement, task.carer_household) == (second.child, second, household)
    assert task.subject_key == f"household:{household.pk}"
    assert "at least 2" in task.explanation
    # Idempotent: the same day again, and the next day, give nothing new.
    assert case_triggers_sweep(today=date(2026, 6, 3)) == 0
    assert case_triggers_sweep(today=date(2026, 6, 4)) == 0
    assert ConsiderMeetingTask.objects.count() == 1


def test_one_ending_in_the_year_gives_no_task__issue10(people, county, household):
    """Issue 10: an ending on 1 May 2025 is outside the twelve months up to 1 Jun 2026 (from 2 Jun 2025)."""
    _ended(people, household, start=date(2024, 3, 1), end=date(2025, 5, 1))
    _ended(people, household, start=date(2026, 2, 1), end=date(2026, 6, 1))
    _ended(people, household, start=date(2025, 7, 1), end=date(2026, 1, 10), unplanned=False)
    _trigger(county)
    assert case_triggers_sweep(today=date(2026, 6, 3)) == 0
    assert not ConsiderMeetingTask.objects.exists()


def test_saving_the_ending_evaluates_after_commit__issue10(
    people, county, household, django_capture_on_commit_callbacks
):
    """Issue 10: recording the second unplanned ending queues the evaluation in the same transaction; after
    commit the task exists (no sweep needed)."""
    _ended(people, household, start=date(2025, 3, 1), end=date(2026, 1, 10))
    _trigger(county)
    child = people.child()
    placement = people.placement(child, carer_household=household, start_date=date(2026, 2, 1))
    assert not ConsiderMeetingTask.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        placement.end_date = date(2026, 6, 1)
        placement.ended_unplanned = True
        placement.save()
    task = ConsiderMeetingTask.objects.get()
    assert task.placement == placement and task.assignee == people.fostering_manager


def test_the_decision_is_recorded_either_way__issue10(people, county, household):
    """Issue 10: "do not hold" needs a reason; both decisions keep who and when; a decided task is not
    decided again; only the assignee decides."""
    _ended(people, household, start=date(2025, 3, 1), end=date(2026, 1, 10))
    _ended(people, household, start=date(2026, 2, 1), end=date(2026, 6, 1))
    _trigger(county)
    case_triggers_sweep(today=date(2026, 6, 3))
    task = ConsiderMeetingTask.objects.get()
    with pytest.raises(RuleRefusal) as refused:
        consider_task_decide(task=task, by=people.other_manager, decision=ConsiderDecision.HOLD)
    assert refused.value.message == f"This task is for {people.fostering_manager}: only they can decide it."
    with pytest.raises(RuleRefusal) as refused:
        consider_task_decide(task=task, by=people.fostering_manager, decision=ConsiderDecision.DO_NOT_HOLD)
    assert refused.value.message == "Give the reason the meeting will not be held."
    task = consider_task_decide(
        task=task,
        by=people.fostering_manager,
        decision=ConsiderDecision.DO_NOT_HOLD,
        reason="Both endings were unrelated; the carers have had extra support since.",
    )
    task.refresh_from_db()
    assert (task.decision, task.decided_by) == (ConsiderDecision.DO_NOT_HOLD, people.fostering_manager)
    assert task.decided_at is not None
    assert task.changes.filter(decision=ConsiderDecision.DO_NOT_HOLD).exists()  # the history row
    with pytest.raises(RuleRefusal) as refused:
        consider_task_decide(task=task, by=people.fostering_manager, decision=ConsiderDecision.HOLD)
    assert "already decided" in refused.value.message


def test_tasks_are_scoped_to_who_may_see_them__issue10(people, county, household):
    """Issue 10: the assignee and the child's social worker see the task; another team's manager does not;
    an auditor sees it but cannot decide it."""
    _ended(people, household, start=date(2025, 3, 1), end=date(2026, 1, 10))
    _ended(people, household, start=date(2026, 2, 1), end=date(2026, 6, 1))
    _trigger(county)
    case_triggers_sweep(today=date(2026, 6, 3))
    task = ConsiderMeetingTask.objects.get()
    assert list(consider_tasks_waiting(people.fostering_manager)) == [task]
    assert task in consider_tasks_for_user(people.social_worker)
    assert not consider_tasks_for_user(people.other_manager).exists()
    assert task in consider_tasks_for_user(people.auditor)
    with pytest.raises(RuleRefusal) as refused:
        consider_task_decide(task=task, by=people.auditor, decision=ConsiderDecision.HOLD)
    assert refused.value.message == "You can read this task but not decide it."


def test_screens_home_panel_list_and_hold__issue10(client, people, county, household):
    """Issue 10: the assignee's home page shows the task; the list and task page are 404 for someone who may
    not see it; "hold" by the child's social worker goes to the request screen pre-filled, and the meeting
    requested there is recorded on the task."""
    from workflows.models import Meeting

    _ended(people, household, start=date(2025, 3, 1), end=date(2026, 1, 10))
    _ended(people, household, start=date(2026, 2, 1), end=date(2026, 6, 1))
    _trigger(county, task_role="social_worker", task_relationship="childs_social_worker")
    case_triggers_sweep(today=date(2026, 6, 3))
    task = ConsiderMeetingTask.objects.get()
    assert task.assignee == people.social_worker

    client.force_login(people.other_manager)
    assert client.get(reverse("workflows:consider_task", args=[task.pk])).status_code == 404
    assert "Consider a" not in client.get(reverse("workflows:consider_task_list")).content.decode()

    client.force_login(people.social_worker)
    home = client.get(reverse("home")).content.decode()
    assert "Meetings to consider" in home and task.child.full_name in home
    url = reverse("workflows:consider_task", args=[task.pk])
    response = client.post(url, {"decision": "do_not_hold", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason the meeting will not be held." in response.content.decode()
    response = client.post(url, {"decision": "hold"})
    assert response.status_code == 302
    request_url = response["Location"]
    assert f"placement={task.placement_id}" in request_url and f"consider={task.pk}" in request_url
    form = client.get(request_url).content.decode()
    assert f'value="{task.placement_id}" checked' in form
    response = client.post(
        request_url,
        {
            "meeting_type_pk": task.meeting_type_id,
            "placement": task.placement_id,
            "triggers": ["carers_struggling"],
            "support_tried": "Extra supervision visits since January.",
            "concern_raised_on_day": "1",
            "concern_raised_on_month": "6",
            "concern_raised_on_year": "2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    task.refresh_from_db()
    assert task.decision == ConsiderDecision.HOLD and task.decided_by == people.social_worker
    assert task.meeting == Meeting.objects.get(child=task.child)


def test_trigger_validates_its_condition_and_pack__issue10(people, county, regional):
    """Issue 10: a condition naming no fact, or a meeting type of another pack, is refused on save."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as bad:
        _trigger(county, meeting_type=meeting_type(regional, "BPM"))
    assert "same pack" in str(bad.value)


def test_the_daily_schedule_is_created_once__issue10(db):
    """Issue 10: the sweep's django-q2 schedule exists after migrate and is not duplicated."""
    from django_q.models import Schedule

    schedules_ensure()
    schedules_ensure()
    assert Schedule.objects.filter(func="workflows.case_triggers.case_triggers_sweep").count() == 1
