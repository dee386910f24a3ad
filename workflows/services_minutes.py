"""Minutes: record, approve and circulate them (P6, P7, D9, D12, G4). Import them from
`workflows.services`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import User

from . import policy as rules_of
from .actions import actions_opened
from .choices import Attendance, MeetingState, ParticipantRole
from .models import Action, Decision, Meeting
from .transitions import enqueue, locked, run_transition, state_refusal

# --------------------------------------------------------------------------------------------------
# Minutes
# --------------------------------------------------------------------------------------------------


@records_actor
def minutes_record(
    *,
    meeting: Meeting,
    by: User,
    key_issues: str = "",
    minutes_text: str = "",
    wishes_and_feelings: str = "",
    decisions: Sequence[str] = (),
    actions: Sequence[dict[str, Any]] = (),
    submission_id: int | None = None,
) -> Meeting:
    """Record the minutes with the pack's confidentiality statement, decisions and actions (P6, G4, G6).

    `actions`: dicts with description and optionally owner (User), owner_name, due_on, evaluation.
    Drafts may be incomplete; approval refuses actions lacking owner, timescale or evaluation (P6).
    Recording again supersedes the earlier decisions and actions (kept, with who and when).
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state not in {MeetingState.HELD, MeetingState.MINUTES_DRAFTED}:
            raise state_refusal(meeting, "draft_minutes")
        meeting.key_issues = key_issues
        meeting.minutes_text = minutes_text
        meeting.wishes_and_feelings = wishes_and_feelings
        meeting.wishes_and_feelings_recorded = bool(wishes_and_feelings.strip())
        meeting.confidentiality_statement = meeting.policy.confidentiality_statement
        meeting.minutes_submission_id = submission_id
        # Re-recorded minutes replace the current decisions and actions; the earlier ones stay on
        # record, marked superseded with who and when (never deleted).
        now = timezone.now()
        meeting.decisions.update(superseded_at=now, superseded_by=by)
        Decision.objects.bulk_create(Decision(meeting=meeting, text=t) for t in decisions if t.strip())
        meeting.actions.filter(follow_up_key="").update(superseded_at=now, superseded_by=by)
        created = Action.objects.bulk_create(
            Action(
                meeting=meeting,
                child_id=meeting.child_id,
                description=a["description"],
                owner=a.get("owner"),
                owner_name=a.get("owner_name", ""),
                due_on=a.get("due_on"),
                evaluation=a.get("evaluation", ""),
            )
            for a in actions
        )
        actions_opened(created, by=by, note="Agreed at the meeting.")
        run_transition(meeting, "draft_minutes", by=by)
    return meeting


@records_actor
def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    """The policy's minutes approver (the chair, D9) approves; then the pack's share list gets them (D12)."""
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.MINUTES_DRAFTED:
            raise state_refusal(meeting, "approve_minutes")
        refusal = rules_of.minutes_approver_refusal(meeting, by)
        if refusal:
            raise refusal
        meeting.minutes_approved_by = by
        meeting.minutes_approved_at = timezone.now()
        run_transition(meeting, "approve_minutes", by=by)
        if meeting.policy.share_approved_minutes_with:
            enqueue("notify_minutes_shared", meeting.pk)
    return meeting


@records_actor
def minutes_circulate(*, meeting: Meeting, by: User, extra_recipients: Sequence[str] = ()) -> Meeting:
    """Send the approved minutes to every invitee and the roles the policy always includes (P7, D9)."""
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.MINUTES_APPROVED:
            raise state_refusal(meeting, "circulate")
        recipients = []
        for invitee in meeting.invitees.select_related("user"):
            if invitee.attendance == Attendance.NOT_INVITED and invitee.role != ParticipantRole.CHILD:
                continue
            address = invitee.email or (invitee.user.email if invitee.user_id else "")
            if address and address not in recipients:
                recipients.append(address)
        recipients += [r for r in extra_recipients if r and r not in recipients]
        meeting.circulated_to = recipients
        meeting.circulated_at = timezone.now()
        run_transition(meeting, "circulate", by=by, reason=f"Sent to {len(recipients)} people.")
        enqueue("notify_minutes_circulated", meeting.pk)
    return meeting
