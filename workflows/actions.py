"""Action services: an agreed action's status, with who, when and why (D11, issue 13).

This module holds only the services that change actions. Every change writes an ActionStatusChange
row (append-only) in the same transaction as the change to the action:

- open: agreed in the minutes or created as a follow-up when the meeting closed;
- in progress: with a note of progress (may be repeated, each a new row);
- done: with what was done and how the outcome was evaluated;
- dropped: with the reason.

Only the action's owner, the meeting's chair, the child's IRO or the child's team manager may change
an action (checked here, not in the view). Done and dropped actions are closed: they stay on record.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import User

from . import policy as rules_of
from .choices import ACTIVE_ACTION_STATUSES, ActionStatus
from .models import Action, ActionStatusChange, LookedAfterReview
from .rules import G3, G7, RuleRefusal

# What each status needs the person to write, and the sentence that says so when it is missing.
NOTE_NEEDED = {
    ActionStatus.IN_PROGRESS: "Say what has been done so far.",
    ActionStatus.DONE: "Say what was done.",
    ActionStatus.DROPPED: "Give the reason for dropping the action.",
}
EVALUATION_NEEDED = "Say how the outcome was evaluated."


def action_change_refusal(action: Action, by: User) -> RuleRefusal | None:
    """Why `by` may not change this action, or None: only its owner, the meeting's chair, the child's
    IRO or the child's team manager may."""
    child = action.child
    allowed = {
        action.owner_id,
        action.meeting.chair_id,
        child.iro_id,
        child.team.manager_id if child.team_id else None,
    } - {None}
    if by.pk in allowed:
        return None
    return RuleRefusal(
        _follow_up_rule(action),
        "Only the action's owner, the meeting's chair, the child's IRO or the child's team manager can "
        "update this action.",
    )


def _follow_up_rule(action: Action) -> str:
    """The rule reference of the policy's follow-ups (e.g. D11), else the general access rule."""
    return next((f.get("rule") for f in rules_of.follow_ups_for(action.meeting) if f.get("rule")), "") or G3


def _locked(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("meeting__meeting_type", "child__team")
        .get(pk=action.pk)
    )


def actions_opened(actions: Iterable[Action], *, by: User | None, note: str = "") -> None:
    """Record that these new actions are open (the first row of each one's history)."""
    now = timezone.now()
    rows = [
        ActionStatusChange(
            action=a,
            source=ActionStatus.OPEN,
            target=ActionStatus.OPEN,
            note=note,
            due_on_after=a.due_on,
            by=by,
            at=now,
        )
        for a in actions
        if by is not None
    ]
    ActionStatusChange.objects.bulk_create(rows)


def _change(
    action: Action,
    *,
    by: User,
    target: str,
    note: str = "",
    evaluated: str = "",
    due_on: date | None = None,
    review: LookedAfterReview | None = None,
) -> ActionStatusChange:
    """Apply one change to a locked action and write its history row (no permission check here)."""
    now = timezone.now()
    source = action.status
    before = action.due_on
    action.status = target
    if due_on is not None:
        action.due_on = due_on
    if target == ActionStatus.DONE:
        action.completed_at = now
        action.completed_by = by
    action.save()
    return ActionStatusChange.objects.create(
        action=action,
        source=source,
        target=target,
        note=note,
        evaluated=evaluated,
        due_on_before=before if due_on is not None else None,
        due_on_after=due_on,
        review=review,
        by=by,
        at=now,
    )


def action_status_problems(action: Action, *, status: str, note: str, evaluated: str) -> list[str]:
    """What is wrong with this change (each a plain sentence), before anything is written."""
    if action.status not in ACTIVE_ACTION_STATUSES:
        return [f"This action is already {action.get_status_display().lower()}; it cannot be changed."]
    if status not in NOTE_NEEDED:
        return ["Choose in progress, done or dropped."]
    problems = []
    if not note.strip():
        problems.append(NOTE_NEEDED[status])
    if status == ActionStatus.DONE and not evaluated.strip():
        problems.append(EVALUATION_NEEDED)
    return problems


@records_actor
def action_status_set(
    *, action: Action, by: User, status: str, note: str = "", evaluated: str = ""
) -> ActionStatusChange:
    """Move an open or in-progress action to in progress, done or dropped, with what each needs."""
    with transaction.atomic():
        action = _locked(action)
        refusal = action_change_refusal(action, by)
        if refusal:
            raise refusal
        problems = action_status_problems(action, status=status, note=note, evaluated=evaluated)
        if problems:
            closed = action.status not in ACTIVE_ACTION_STATUSES
            raise RuleRefusal(G7 if closed else _follow_up_rule(action), " ".join(problems))
        return _change(action, by=by, target=status, note=note.strip(), evaluated=evaluated.strip())


@records_actor
def action_complete(*, action: Action, by: User, note: str = "", evaluated: str = "") -> Action:
    """Mark an action done: what was done (`note`) and how the outcome was evaluated (D11)."""
    change = action_status_set(action=action, by=by, status=ActionStatus.DONE, note=note, evaluated=evaluated)
    return change.action


def action_history(action: Action):
    """The action's status changes, oldest first, with who made each."""
    return action.status_changes.select_related("by", "review").order_by("at", "pk")
