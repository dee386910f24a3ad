"""Everything that changes a meeting. One function per user action; each writes its history row (G7).

Services are keyword-only. They lock the meeting row (select_for_update), check the policy's rules
(raising `RuleRefusal` with the rule ID and a sentence), run the transition, write the history row in
the same transaction and queue side effects (emails, filing) to run after commit.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import User

from . import policy as rules_of
from .actions import action_complete, action_status_set
from .choices import Decision as DecisionChoice
from .choices import MeetingState
from .models import Meeting, MeetingApproval
from .reviews import looked_after_review_record
from .rules import RuleRefusal
from .services_cancel import meeting_cancel
from .services_close import meeting_close
from .services_minutes import minutes_approve, minutes_circulate, minutes_record
from .services_notice import provider_notice_record
from .services_request import (
    meeting_request,
    meeting_request_problems,
    meeting_submit,
    report_attach,
    request_attachments_missing,
)
from .services_schedule import meeting_record_held, meeting_schedule, policy_timing_rule
from .transitions import enqueue, locked, run_transition, state_refusal

# One import path for every meeting service: the ones defined in the modules split by concern
# (request and submit, schedule and hold, minutes, close, cancel, provider notice, actions, looked-after
# reviews) are re-exported here.
__all__ = [
    "action_complete",
    "action_status_set",
    "looked_after_review_record",
    "meeting_approve",
    "meeting_cancel",
    "meeting_close",
    "meeting_decline",
    "meeting_record_held",
    "meeting_request",
    "meeting_request_problems",
    "meeting_schedule",
    "meeting_submit",
    "minutes_approve",
    "minutes_circulate",
    "minutes_record",
    "policy_timing_rule",
    "provider_notice_record",
    "report_attach",
    "request_attachments_missing",
]


def _approver_locked(meeting: Meeting, by: User, transition: str) -> Meeting:
    """Lock the row, then refuse unless the request still awaits a decision that `by` may give."""
    meeting = locked(meeting)
    if meeting.state != MeetingState.AWAITING_APPROVAL:
        raise state_refusal(meeting, transition)
    refusal = rules_of.approver_refusal(meeting, by)
    if refusal:
        raise refusal
    return meeting


def _gate_decisions_record(meeting: Meeting, by: User, decision: str, reason: str) -> None:
    """One row for each approval gate `by` answers for (a late DM may need two people, D3)."""
    now = timezone.now()
    for gate in rules_of.approver_gates(meeting, by):
        MeetingApproval.objects.create(
            meeting=meeting, gate=gate, role=by.role, by=by, decision=decision, reason=reason, at=now
        )


@records_actor
def meeting_approve(*, meeting: Meeting, by: User, note: str = "") -> Meeting:
    """Record `by`'s approval; the meeting is approved once every gate has agreed (P2, B1, D3).

    Two managers approving at the same moment: the row lock makes the second wait, then it is
    refused with who approved first.
    """
    with transaction.atomic():
        meeting = _approver_locked(meeting, by, "approve")
        _gate_decisions_record(meeting, by, DecisionChoice.APPROVED, note)
        if not rules_of.missing_approvals(meeting):
            run_transition(meeting, "approve", by=by, reason=note)
            enqueue("notify_request_decided", meeting.pk)
    return meeting


@records_actor
def meeting_decline(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Decline with a reason the requester sees (P2; D3 late requests)."""
    with transaction.atomic():
        meeting = _approver_locked(meeting, by, "decline")
        if rules_of.decline_needs_reason(meeting) and not reason.strip():
            raise RuleRefusal(
                rules_of._gate_rule(meeting, rules_of.approver_gates(meeting, by)),
                "Give the reason for declining: the person who asked will see it.",
            )
        _gate_decisions_record(meeting, by, DecisionChoice.DECLINED, reason)
        meeting.decline_reason = reason.strip()
        meeting.save(update_fields=["decline_reason"])
        run_transition(meeting, "decline", by=by, reason=reason)
        enqueue("notify_request_decided", meeting.pk)
    return meeting
