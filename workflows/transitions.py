"""Running one transition of a meeting: lock, check, change state, write the history row (G7).

Used by the services; views call services, never these.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string
from django_fsm import ConcurrentTransition, can_proceed

from outbox.services import task_queue
from portal import dates
from portal.models import User

from . import policy as rules_of
from .models import Meeting, MeetingTransition
from .rules import G7, RuleRefusal

VERB_PAST = {
    "request": "requested",
    "submit": "sent for approval",
    "approve": "approved",
    "decline": "declined",
    "schedule": "scheduled",
    "record_held": "recorded as held",
    "draft_minutes": "minutes recorded",
    "approve_minutes": "minutes approved",
    "circulate": "minutes circulated",
    "close": "closed",
    "cancel": "cancelled",
    "record_not_held": "decided not to hold",
    "link_started": "started a linked meeting",
    "link_refused": "could not start a linked meeting",
}
VERBS = {
    "submit": "it cannot be sent for approval",
    "approve": "it cannot be approved",
    "decline": "it cannot be declined",
    "schedule": "it cannot be scheduled",
    "record_held": "it cannot be recorded as held",
    "draft_minutes": "minutes cannot be recorded",
    "approve_minutes": "its minutes cannot be approved",
    "circulate": "its minutes cannot be circulated",
    "close": "it cannot be closed",
    "cancel": "it cannot be cancelled",
    "record_not_held": "it cannot be recorded as not held",
}


def enqueue(task: str, *args: Any) -> None:
    """Write what `workflows.tasks.<task>` sends to the outbox, in the current transaction.

    The rows commit with the change (or roll back with it); django-q2 delivers them after the commit,
    and the outbox sweep delivers any the process did not get to. Filing tasks are queued as durable
    outbox tasks (`@outbox_task`) and run by the worker.

    A task is named, as the outbox names it (`workflows.tasks.<task>`) and resolves it when it runs: the
    tasks call the services, which call this, so the services never import the tasks module.
    """
    func = import_string(f"workflows.tasks.{task}")
    if getattr(func, "outbox_task", False):
        task_queue(
            task=f"workflows.tasks.{task}",
            args=args,
            event=":".join(str(a) for a in args),
            reference=str(args[0]) if args else "",
        )
    else:
        func(*args)


def locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("meeting_type__pack", "policy_revision", "child__team", "placement")
        .get(pk=meeting.pk)
    )


def last_change(meeting: Meeting) -> str:
    last = meeting.history.order_by("-at", "-pk").first()
    if not last:
        return ""
    who = f" by {last.by}" if last.by_id else ""
    return f" ({VERB_PAST.get(last.name, last.name.replace('_', ' '))}{who} at {dates.time_on_day(last.at)})"


def state_refusal(meeting: Meeting, name: str) -> RuleRefusal:
    return RuleRefusal(
        G7,
        f"This meeting is {meeting.get_state_display().lower()}{last_change(meeting)}, "
        f"so {VERBS.get(name, name)} now.",
    )


def run_transition(meeting: Meeting, name: str, *, by: User | None, reason: str = "") -> Meeting:
    """Run transition `name` and write its history row; refuse with the rule that stops it."""
    method = getattr(meeting, name)
    if not can_proceed(method, check_conditions=False):
        raise state_refusal(meeting, name)
    refusal = rules_of.transition_refusal(meeting, name)
    if refusal:
        raise refusal
    if not can_proceed(method):
        raise RuleRefusal(G7, f"Not yet: {VERBS.get(name, name)} at this stage.")
    source = meeting.state
    method()
    try:
        meeting.save()
    except ConcurrentTransition as exc:
        raise RuleRefusal(
            G7, "Someone else changed this meeting at the same moment. Reload the page."
        ) from exc
    MeetingTransition.objects.create(
        meeting=meeting,
        name=name,
        source=source,
        target=meeting.state,
        by=by,
        at=timezone.now(),
        reason=reason,
    )
    return meeting
