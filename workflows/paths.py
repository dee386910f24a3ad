"""Alternative paths a policy can give a meeting (issue 10): not held, linked meetings, recurrence, and
the requirement and prerequisites read at the request.

Every rule here reads the policy decision stored on the meeting (`Meeting.decision`, the shape in
docs/rules-as-data.md: `not_held`, `linked_meetings`, `recurrence`, `prerequisites`, `requirement`),
never the meeting type's fields, so a meeting keeps the decision made for its case at the request.
Services keep the house pattern: lock, check (a `RuleRefusal` with the entry's rule reference and a plain
sentence), transition, history row, side effects through the outbox after commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import Child, User

from .choices import NOT_HELD_SOURCES, MeetingState
from .deadlines import bound_compute
from .fact_snapshot import RequestFacts, fact_snapshot
from .models import Action, Meeting, MeetingType
from .not_held import (
    decision_of,
    not_held_decider_refusal,
    not_held_document,
    not_held_path,
    not_held_refusal,
)
from .policy import local_date
from .policy_engine import all_conditions, policy_evaluate
from .rules import RuleRefusal
from .transitions import enqueue, locked, run_transition, state_refusal

RECURRENCE_KEY = "review_again"


@records_actor
def meeting_not_held(
    *, meeting: Meeting, by: User, reason: str = "", submission_id: int | None = None
) -> Meeting:
    """Record the decision that the meeting will not be held, under the policy's not-held path.

    Refused when the policy gives no such path for this case, when `by` is not one of its deciders for
    this child, without a reason where the path needs one, or before the document it asks for is
    submitted. The meeting is then finished (never overdue); its history names who, when and why.
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state not in NOT_HELD_SOURCES:
            raise state_refusal(meeting, "record_not_held")
        refusal = not_held_decider_refusal(meeting, by)
        if refusal:
            raise refusal
        meeting.not_held_reason = reason.strip()
        if submission_id is not None:
            meeting.not_held_submission_id = submission_id
        refusal = not_held_refusal(meeting)
        if refusal:
            raise refusal
        path = not_held_path(meeting) or {}
        if path.get("document_form_key"):
            document = not_held_document(meeting, path["document_form_key"])
            meeting.not_held_submission_id = document.pk if document else None
        run_transition(
            meeting,
            "record_not_held",
            by=by,
            reason=meeting.not_held_reason or "Decided that the meeting will not be held.",
        )
        enqueue("notify_meeting_not_held", meeting.pk)
    return meeting


# --------------------------------------------------------------------------------------------------
# Linked meetings
# --------------------------------------------------------------------------------------------------


def links_enqueue(meeting: Meeting, event: str) -> None:
    """On `event` (requested or closed), queue the start of the decision's linked meetings (durable,
    after commit, once: the outbox keys it by meeting and event)."""
    entries = [e for e in decision_of(meeting).get("linked_meetings") or [] if e.get("on_event") == event]
    if entries:
        enqueue("meeting_links_start", meeting.pk, event)


# --------------------------------------------------------------------------------------------------
# Recurrence
# --------------------------------------------------------------------------------------------------


def after_interval(start: date, every: int, unit: str, *, calendar: str) -> date:
    """`every` weeks, calendar months or working days after `start`, by the engine's one timing
    arithmetic (`deadlines.bound_compute`: months keep the month-end rule, 31 Jan + 1 month = 28/29 Feb)."""
    return bound_compute(
        start, every, unit if unit in {"weeks", "months", "working"} else "calendar", calendar=calendar
    )


UNIT_WORDS = {"weeks": "week", "months": "month", "working": "working day"}


def recurrence_words(recurrence: dict) -> str:
    every = int(recurrence.get("every") or 0)
    unit = UNIT_WORDS.get(recurrence.get("unit") or "", "day")
    return f"every {every} {unit}{'' if every == 1 else 's'}"


def recurrence_create(meeting: Meeting) -> Action | None:
    """At close: the "review again" follow-up the decision's recurrence asks for, once (issue 10).

    Due `every` units after the meeting was held (the close day if it has no held date), owned by the
    child's social worker (else the requester); it shows on their My actions and home page.
    """
    recurrence = decision_of(meeting).get("recurrence")
    if not isinstance(recurrence, dict) or not recurrence.get("every"):
        return None
    if meeting.actions.filter(follow_up_key=RECURRENCE_KEY).exists():
        return None
    start = local_date(meeting.held_at or meeting.closed_at or timezone.now())
    due = after_interval(
        start,
        int(recurrence["every"]),
        recurrence.get("unit") or "weeks",
        calendar=meeting.meeting_type.effective_calendar,
    )
    owner = meeting.child.social_worker or meeting.requested_by
    note = f" {recurrence['note']}" if recurrence.get("note") else ""
    return Action.objects.create(
        meeting=meeting,
        child_id=meeting.child_id,
        description=f"Review again: the procedure asks for another {meeting.meeting_type.name.lower()} "
        f"review {recurrence_words(recurrence)} after this meeting.{note}",
        owner=owner,
        due_on=due,
        evaluation="Decide at the review whether another meeting is needed, and request it if so.",
        follow_up_key=RECURRENCE_KEY,
    )


def after_close(meeting: Meeting) -> None:
    """What the alternative paths do when a meeting closes: recurrence, linked meetings (issue 10)."""
    recurrence_create(meeting)
    links_enqueue(meeting, "closed")


# --------------------------------------------------------------------------------------------------
# At the request: requirement and prerequisites
# --------------------------------------------------------------------------------------------------

REQUIREMENT_SENTENCES = {
    "offered": "The procedure offers this meeting: it is not required, so hold it where the family and "
    "professionals would find it helpful.",
    "discretion": "This meeting is at the team's discretion: the procedure does not require it, so "
    "record why you are asking for it.",
}


def requirement_sentence(requirement: dict | None) -> str:
    """What the request screen says when the meeting is offered or discretionary ("" when required)."""
    if not isinstance(requirement, dict):
        return ""
    sentence = REQUIREMENT_SENTENCES.get(requirement.get("level") or "", "")
    because = requirement.get("because") or ""
    if sentence and because and because != "always":
        sentence += f" (Applies {because}.)"
    return sentence


def prerequisite_refusals(
    *, prerequisites: list[dict], child: Child, pack_id: int, on: date
) -> list[RuleRefusal]:
    """One refusal per prerequisite not met: no meeting of that type for the child (in the pack) that was
    held, within `within_months` before `on` when given (issue 10)."""
    found: list[RuleRefusal] = []
    for entry in prerequisites or []:
        code = entry.get("meeting_type_code") or ""
        held = Meeting.objects.filter(
            child=child, meeting_type__pack_id=pack_id, meeting_type__code=code, held_at__isnull=False
        ).exclude(state__in=[MeetingState.CANCELLED, MeetingState.NOT_HELD])
        months = entry.get("within_months")
        dates = [local_date(at) for at in held.values_list("held_at", flat=True)]
        if months:
            since = on - relativedelta(months=int(months))
            dates = [d for d in dates if since <= d <= on]
        if not dates:
            name = (
                MeetingType.objects.filter(pack_id=pack_id, code=code).values_list("name", flat=True).first()
            )
            default = f"A {(name or code).lower()} must have been held for this child" + (
                f" in the last {months} months" if months else ""
            )
            found.append(RuleRefusal(entry.get("rule") or "", entry.get("message") or default + " first."))
    return found


def request_decision(
    *, policy: MeetingType, child: Child, placement, by: User | None, anchor_on: date
) -> dict[str, Any]:
    """The policy decision for a request not yet made (its requester, child and placement), as JSON."""
    snapshot = fact_snapshot(
        child=child,
        placement=placement,
        anchor_on=anchor_on,
        request=RequestFacts(requester=by, requester_role=getattr(by, "role", None) or None),
        conditions=all_conditions(policy),
    )
    return policy_evaluate(policy, snapshot).as_json()


def request_requirement_notes(*, policy: MeetingType, child: Child, by: User, today: date) -> list[str]:
    """What the request screen says when the meeting is offered or at the team's discretion: one sentence,
    or one per placement when the child's placements differ."""
    notes: dict[str, list[str]] = {}
    for placement in child.placements.order_by("-start_date"):
        decision = request_decision(policy=policy, child=child, placement=placement, by=by, anchor_on=today)
        sentence = requirement_sentence(decision.get("requirement"))
        if sentence:
            notes.setdefault(sentence, []).append(str(placement))
    if len(notes) == 1 and child.placements.count() == sum(len(v) for v in notes.values()):
        return list(notes)
    return [f"{' and '.join(where)}: {sentence}" for sentence, where in notes.items()]
