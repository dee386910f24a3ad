"""Services from the minutes onwards: record, approve and circulate minutes, close, cancel, actions,
provider notice (P6, P7, D9-D12, G4, G5, G8, B3). Import them from `workflows.services`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import User

from . import policy as rules_of
from .choices import (
    ActionStatus,
    Attendance,
    MeetingState,
    ParticipantRole,
)
from .models import (
    Action,
    Decision,
    Meeting,
    MeetingTransition,
)
from .rules import G3, G7, G8, RuleRefusal
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
        Action.objects.bulk_create(
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


# --------------------------------------------------------------------------------------------------
# Close, cancel, actions, provider notice
# --------------------------------------------------------------------------------------------------


def _owner_for(meeting: Meeting, role: str) -> User | None:
    child = meeting.child
    if role == ParticipantRole.SOCIAL_WORKER:
        return child.social_worker
    if role == ParticipantRole.IRO:
        return child.iro
    if role == ParticipantRole.CHAIR:
        return meeting.chair
    if role == ParticipantRole.SOCIAL_WORKER_MANAGER and child.team_id:
        return child.team.manager
    return None


@records_actor
def meeting_close(*, meeting: Meeting, by: User, outcome_answers: dict[str, Any] | None = None) -> Meeting:
    """Answer the outcome questions (D10) and close; create follow-ups (D11); then, after commit, add the
    case note and file the minutes and reports (G5)."""
    from .deadlines import add_working_days

    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.CIRCULATED:
            raise state_refusal(meeting, "close")
        if outcome_answers:
            meeting.outcome_answers = {**meeting.outcome_answers, **outcome_answers}
        meeting.closed_at = timezone.now()
        run_transition(meeting, "close", by=by)
        policy = meeting.policy
        today = timezone.localdate()
        for spec in rules_of.follow_ups_for(meeting):
            owner = _owner_for(meeting, spec["owner_role"])
            Action.objects.create(
                meeting=meeting,
                child_id=meeting.child_id,
                description=spec["description"],
                owner=owner,
                owner_name="" if owner else rules_of.participant_label(spec["owner_role"]),
                due_on=add_working_days(today, spec.get("due_days") or 0, calendar=policy.effective_calendar),
                evaluation="Recorded at the child's next looked-after review.",
                follow_up_key=spec["key"],
            )
        enqueue("meeting_file_records", meeting.pk)
    return meeting


@records_actor
def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Cancel from any open state, only with a reason (G8)."""
    if not reason.strip():
        raise RuleRefusal(
            G8, "Give the reason for cancelling, for example that the placement has stabilised."
        )
    with transaction.atomic():
        meeting = locked(meeting)
        meeting.cancel_reason = reason.strip()
        if not meeting.is_open:
            raise state_refusal(meeting, "cancel")
        run_transition(meeting, "cancel", by=by, reason=reason.strip())
        enqueue("notify_meeting_cancelled", meeting.pk)
    return meeting


@records_actor
def action_complete(*, action: Action, by: User, note: str = "") -> Action:
    """Mark an action done: its owner, the meeting's chair or the child's IRO, who tracks it (D11)."""
    with transaction.atomic():
        action = (
            Action.objects.select_for_update(of=("self",))
            .select_related("meeting", "child")
            .get(pk=action.pk)
        )
        allowed = {action.owner_id, action.meeting.chair_id, action.child.iro_id} - {None}
        if by.pk not in allowed:
            raise RuleRefusal(
                next((f.get("rule") for f in rules_of.follow_ups_for(action.meeting) if f.get("rule")), "")
                or G3,
                "Only the action's owner, the chair or the child's IRO can mark it done.",
            )
        if action.status != ActionStatus.OPEN:
            raise RuleRefusal(G7, "This action is already closed.")
        action.status = ActionStatus.DONE
        action.completed_at = timezone.now()
        action.completed_by = by
        if note:
            action.evaluation = f"{action.evaluation}\n\nOutcome: {note}".strip()
        action.save()
    return action


@records_actor
def provider_notice_record(
    *, meeting: Meeting, by: User, given_on: date, immediate_safeguarding_move: bool = False, note: str = ""
) -> Meeting:
    """Record a provider's notice on an agency placement; refused before the meeting is held (B3)
    unless the child must move at once for safeguarding reasons."""
    with transaction.atomic():
        meeting = locked(meeting)
        policy = meeting.policy
        held = meeting.state in {
            MeetingState.HELD,
            MeetingState.MINUTES_DRAFTED,
            MeetingState.MINUTES_APPROVED,
            MeetingState.CIRCULATED,
            MeetingState.CLOSED,
        }
        if (
            policy.no_provider_notice_before_meeting
            and meeting.placement.is_agency
            and not held
            and not immediate_safeguarding_move
        ):
            raise RuleRefusal(rules_of.core_rule(policy, "notice"), _notice_refusal_message(meeting))
        if immediate_safeguarding_move and not note.strip():
            raise RuleRefusal(
                rules_of.core_rule(policy, "notice"),
                "Describe the safeguarding reason for the immediate move.",
            )
        meeting.provider_notice_given_on = given_on
        meeting.immediate_safeguarding_move = immediate_safeguarding_move
        meeting.provider_notice_note = note.strip()
        meeting.save(
            update_fields=["provider_notice_given_on", "immediate_safeguarding_move", "provider_notice_note"]
        )
        MeetingTransition.objects.create(
            meeting=meeting,
            name="provider_notice",
            source=meeting.state,
            target=meeting.state,
            by=by,
            at=timezone.now(),
            reason=("Immediate safeguarding move. " if immediate_safeguarding_move else "") + note.strip(),
        )
    return meeting


def _notice_refusal_message(meeting: Meeting) -> str:
    pack = meeting.meeting_type.pack
    provider = meeting.placement.provider
    contact = pack.setting("buyers_team_leader") or "the buyers' team leader"
    specialist = pack.setting(f"category_specialist_{provider.kind}") if provider else ""
    tail = f" If the provider disputes this, tell {contact}"
    tail += f" or, in their absence, {specialist}." if specialist else "."
    return (
        "The provider cannot give notice before the meeting is held, unless the child must move at once "
        "for safeguarding reasons." + tail
    )
