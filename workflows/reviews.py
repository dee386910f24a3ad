"""The IRO's review pack and recording a child's looked-after review (issue 13).

The pack lists, grouped by meeting, every meeting since the child's last looked-after review and every
action of those meetings, plus any earlier meeting whose actions are still open or in progress.
Recording the review is one step: the date, and a decision for each action still to do (carry on,
done, dropped, or a changed due date). Each decision writes the action's status change (linked to the
review), and the review row becomes the child's last review date. Only the child's IRO records it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.history import records_actor
from portal.models import Child, User

from .actions import _change, _locked, action_status_problems
from .choices import ACTIVE_ACTION_STATUSES, ActionStatus
from .models import Action, LookedAfterReview, Meeting
from .rules import G7, RuleRefusal

CARRY_ON = "carry_on"
DUE_DATE = "due_date"
DECISIONS = {
    CARRY_ON: "Carry on",
    ActionStatus.DONE.value: "Done",
    ActionStatus.DROPPED.value: "Dropped",
    DUE_DATE: "Carry on with a new due date",
}


@dataclass
class ReviewDecision:
    decision: str
    note: str = ""
    evaluated: str = ""
    due_on: date | None = None


@dataclass
class PackMeeting:
    meeting: Meeting
    actions: list[Action] = field(default_factory=list)


def last_review(child: Child) -> LookedAfterReview | None:
    """The child's latest recorded looked-after review (its date is the child's last review date)."""
    return child.looked_after_reviews.order_by("-held_on", "-pk").first()


def review_pack(child: Child) -> tuple[LookedAfterReview | None, list[PackMeeting]]:
    """(last review, meetings with their actions and each action's status history), oldest first."""
    previous = last_review(child)
    meetings = Meeting.objects.filter(child=child).select_related("meeting_type", "chair")
    if previous:
        since = timezone.make_aware(datetime.combine(previous.held_on, time.min))
        meetings = meetings.filter(
            Q(requested_at__gte=since)
            | Q(held_at__gte=since)
            | Q(actions__status__in=ACTIVE_ACTION_STATUSES, actions__superseded_at__isnull=True)
        ).distinct()
    meetings = list(meetings.order_by("requested_at", "pk"))
    actions = (
        Action.objects.filter(meeting__in=meetings)
        .select_related("owner")
        .prefetch_related("status_changes__by")
        .order_by("due_on", "pk")
    )
    grouped = {m.pk: PackMeeting(m) for m in meetings}
    for action in actions:
        grouped[action.meeting_id].actions.append(action)
    return previous, list(grouped.values())


def review_refusal(child: Child, by: User) -> RuleRefusal | None:
    if child.iro_id and by.pk == child.iro_id:
        return None
    return RuleRefusal(G7, "Only the child's IRO can record the child's looked-after review.")


def review_problems(
    child: Child, *, held_on: date | None, decisions: dict[int, ReviewDecision], actions: list[Action]
) -> list[str]:
    """Everything wrong with the review as entered, each a plain sentence (nothing is written)."""
    problems = []
    today = timezone.localdate()
    previous = last_review(child)
    if held_on is None:
        problems.append("Enter the date of the review.")
    elif held_on > today:
        problems.append("The date of the review must be today or in the past.")
    elif previous and held_on < previous.held_on:
        problems.append(
            f"The date of the review cannot be before the last review ({previous.held_on:%d %B %Y})."
        )
    for number, action in enumerate(actions, start=1):
        choice = decisions.get(action.pk)
        label = f"Action {number} ('{action.description[:50]}')"
        if choice is None or choice.decision not in DECISIONS:
            problems.append(f"{label}: choose what the review decided.")
            continue
        if choice.decision in (ActionStatus.DONE, ActionStatus.DROPPED):
            problems += [
                f"{label}: {p}"
                for p in action_status_problems(
                    action, status=choice.decision, note=choice.note, evaluated=choice.evaluated
                )
            ]
        if choice.decision == DUE_DATE and (choice.due_on is None or choice.due_on < (held_on or today)):
            problems.append(f"{label}: enter the new due date, on or after the date of the review.")
    return problems


def actions_to_decide(child: Child) -> list[Action]:
    """The child's actions still to do (open or in progress), in the order the pack shows them."""
    return list(
        Action.objects.filter(child=child, status__in=ACTIVE_ACTION_STATUSES)
        .select_related("meeting")
        .order_by("meeting__requested_at", "meeting_id", "due_on", "pk")
    )


@records_actor
def looked_after_review_record(
    *, child: Child, by: User, held_on: date | None, decisions: dict[int, ReviewDecision], note: str = ""
) -> LookedAfterReview:
    """Record the review and each action's decision in one transaction, or nothing at all."""
    refusal = review_refusal(child, by)
    if refusal:
        raise refusal
    with transaction.atomic():
        Child.objects.select_for_update().get(pk=child.pk)  # one review at a time per child
        actions = [_locked(a) for a in actions_to_decide(child)]
        problems = review_problems(child, held_on=held_on, decisions=decisions, actions=actions)
        if problems:
            raise RuleRefusal(G7, " ".join(problems))
        review = LookedAfterReview.objects.create(
            child=child, held_on=held_on, note=note.strip(), by=by, at=timezone.now()
        )
        for action in actions:
            choice = decisions[action.pk]
            if choice.decision == CARRY_ON:
                _change(
                    action,
                    by=by,
                    target=action.status,
                    note=choice.note.strip() or "Carry on.",
                    review=review,
                )
            elif choice.decision == DUE_DATE:
                _change(
                    action,
                    by=by,
                    target=action.status,
                    note=choice.note.strip() or "Due date changed at the review.",
                    due_on=choice.due_on,
                    review=review,
                )
            else:
                _change(
                    action,
                    by=by,
                    target=choice.decision,
                    note=choice.note.strip(),
                    evaluated=choice.evaluated.strip(),
                    review=review,
                )
    return review
