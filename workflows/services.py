"""Everything that changes a meeting. One function per user action; each writes its history row (G7).

Services are keyword-only. They lock the meeting row (select_for_update), check the policy's rules
(raising `RuleRefusal` with the rule ID and a sentence), run the transition, write the history row in
the same transaction and queue side effects (emails, filing) to run after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed

from portal.models import Child, Placement, User

from . import policy as rules_of
from .choices import (
    ActionStatus,
    ApprovalGate,
    Attendance,
    MeetingState,
    ParticipantRole,
    ReportTiming,
    Requirement,
)
from .choices import Decision as DecisionChoice
from .models import (
    Action,
    Decision,
    Invitee,
    Meeting,
    MeetingApproval,
    MeetingReport,
    MeetingTransition,
    MeetingType,
)
from .rules import G3, G6, G7, G8, RuleRefusal

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
}


def _enqueue(task: str, *args: Any) -> None:
    """Queue a django-q2 task after the current transaction commits (inline when Q_CLUSTER sync)."""
    from django_q.tasks import async_task

    transaction.on_commit(lambda: async_task(f"workflows.tasks.{task}", *args))


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("meeting_type__pack", "policy_revision", "child__team", "placement")
        .get(pk=meeting.pk)
    )


def _last_change(meeting: Meeting) -> str:
    last = meeting.history.order_by("-at", "-pk").first()
    if not last:
        return ""
    who = f" by {last.by}" if last.by_id else ""
    when = timezone.localtime(last.at)
    return f" ({VERB_PAST.get(last.name, last.name.replace('_', ' '))}{who} at {when:%H:%M on %d %b %Y})"


def _state_refusal(meeting: Meeting, name: str) -> RuleRefusal:
    return RuleRefusal(
        G7,
        f"This meeting is {meeting.get_state_display().lower()}{_last_change(meeting)}, "
        f"so {VERBS.get(name, name)} now.",
    )


def _transition(meeting: Meeting, name: str, *, by: User | None, reason: str = "") -> Meeting:
    """Run transition `name` and write its history row; refuse with the rule that stops it."""
    method = getattr(meeting, name)
    if not can_proceed(method, check_conditions=False):
        raise _state_refusal(meeting, name)
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


# --------------------------------------------------------------------------------------------------
# Request, submit, approve, decline
# --------------------------------------------------------------------------------------------------


def meeting_request(
    *,
    meeting_type: MeetingType,
    child: Child,
    placement: Placement,
    by: User,
    concern_raised_on: date | None = None,
    concern_raised_by: str = "",
    notified_on: date | None = None,
    triggers: Sequence[str] = (),
    support_tried: str = "",
    request_details: str = "",
    requested_at: datetime | None = None,
) -> Meeting:
    """Open a request under the meeting type's *published* policy and fix its deadlines.

    Rules: P1 (who requests, triggers, support tried), D1/B1 (eligibility), D2/P3/B1 (window), D3 (late).
    """
    revision = meeting_type.live_revision
    if not meeting_type.live or revision is None:
        raise RuleRefusal("", f"{meeting_type.name} has not been published yet, so it cannot be requested.")
    policy: MeetingType = revision.as_object()
    if placement.child_id != child.pk:
        raise RuleRefusal(G3, "Choose one of this child's placements.")
    for refusal in (
        rules_of.eligibility_refusal(policy, placement),
        rules_of.requester_refusal(policy, child=child, by=by),
        rules_of.request_details_refusal(policy, triggers=list(triggers), support_tried=support_tried),
    ):
        if refusal:
            raise refusal
    requested_at = requested_at or timezone.now()
    requested_on = rules_of.local_date(requested_at)
    anchor_on, refusal = rules_of.anchor_date(
        policy,
        placement=placement,
        concern_raised_on=concern_raised_on,
        notified_on=notified_on,
        requested_on=requested_on,
    )
    if refusal:
        raise refusal
    is_late = rules_of.request_is_late(policy, anchor_on, requested_on)
    window = rules_of.meeting_window(policy, anchor_on, is_late=is_late)
    procedure_revision = None
    if policy.procedure_page_id:
        from wagtail.models import Page

        page = Page.objects.filter(pk=policy.procedure_page_id).first()
        procedure_revision = page.live_revision if page else None

    with transaction.atomic():
        meeting = Meeting.objects.create(
            meeting_type=meeting_type,
            policy_revision=revision,
            procedure_revision=procedure_revision,
            child=child,
            placement=placement,
            requested_by=by,
            requested_at=requested_at,
            concern_raised_on=concern_raised_on,
            concern_raised_by=concern_raised_by,
            notified_on=notified_on,
            anchor_on=anchor_on,
            triggers=list(triggers),
            support_tried=support_tried,
            request_details=request_details,
            is_late=is_late,
            earliest_on=window.earliest_on,
            due_on=window.due_on,
            deadline_explanation=window.explanation,
        )
        meeting.reference = f"{policy.code.upper()}-{meeting.pk:06d}"
        meeting.save(update_fields=["reference"])
        for report in rules_of.reports_for(policy, placement.category):
            due_on, why = rules_of.report_due(policy, report, requested_on=requested_on, meeting_on=None)
            MeetingReport.objects.create(
                meeting=meeting,
                form_key=report["form_key"],
                label=report["label"],
                author_role=report["author_role"],
                timing=report["timing"],
                due_on=due_on,
                due_explanation=why,
            )
        MeetingTransition.objects.create(
            meeting=meeting,
            name="request",
            source="",
            target=meeting.state,
            by=by,
            at=timezone.now(),
            reason="Late request: needs the late-request approvers." if is_late else "",
        )
    return meeting


def report_attach(*, report: MeetingReport, by: User, submission_id: int | None = None) -> MeetingReport:
    """Record that a required report was received (P2 with the request, D8 before the meeting)."""
    with transaction.atomic():
        report = MeetingReport.objects.select_for_update().get(pk=report.pk)
        report.submission_id = submission_id
        report.received_at = timezone.now()
        report.received_by = by
        report.save(update_fields=["submission_id", "received_at", "received_by"])
    return report


def meeting_submit(*, meeting: Meeting, by: User) -> Meeting:
    """Send the request for approval with its required attachments (P2).

    It is routed to the mailboxes the policy names (D4, B2).

    Where the policy needs no approval (and the request is not late) it is approved at once.
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state != MeetingState.REQUESTED:
            raise _state_refusal(meeting, "submit")
        missing = [
            r.label for r in meeting.reports.filter(timing=ReportTiming.WITH_REQUEST) if not r.is_received
        ]
        if missing:
            raise RuleRefusal(
                meeting.policy.approval_rule or meeting.policy.report_rule,
                f"Attach the {', '.join(missing)} before sending the request.",
            )
        _transition(meeting, "submit", by=by)
        if not rules_of.required_gates(meeting):
            _transition(meeting, "approve", by=None, reason="This policy needs no approval.")
        _enqueue("notify_request_routed", meeting.pk)
    return meeting


def meeting_approve(*, meeting: Meeting, by: User, note: str = "") -> Meeting:
    """Record `by`'s approval; the meeting is approved once every gate has agreed (P2, B1, D3).

    Two managers approving at the same moment: the row lock makes the second wait, then it is
    refused with who approved first.
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state != MeetingState.AWAITING_APPROVAL:
            raise _state_refusal(meeting, "approve")
        refusal = rules_of.approver_refusal(meeting, by)
        if refusal:
            raise refusal
        now = timezone.now()
        for gate in rules_of.approver_gates(meeting, by):
            MeetingApproval.objects.create(
                meeting=meeting,
                gate=gate,
                role=by.role,
                by=by,
                decision=DecisionChoice.APPROVED,
                reason=note,
                at=now,
            )
        if not rules_of.missing_approvals(meeting):
            _transition(meeting, "approve", by=by, reason=note)
            _enqueue("notify_request_decided", meeting.pk)
    return meeting


def meeting_decline(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Decline with a reason the requester sees (P2; D3 late requests)."""
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state != MeetingState.AWAITING_APPROVAL:
            raise _state_refusal(meeting, "decline")
        refusal = rules_of.approver_refusal(meeting, by)
        if refusal:
            raise refusal
        policy = meeting.policy
        if policy.decline_needs_reason and not reason.strip():
            raise RuleRefusal(
                policy.approval_rule, "Give the reason for declining: the person who asked will see it."
            )
        now = timezone.now()
        for gate in rules_of.approver_gates(meeting, by):
            MeetingApproval.objects.create(
                meeting=meeting,
                gate=gate,
                role=by.role,
                by=by,
                decision=DecisionChoice.DECLINED,
                reason=reason,
                at=now,
            )
        meeting.decline_reason = reason.strip()
        meeting.save(update_fields=["decline_reason"])
        _transition(meeting, "decline", by=by, reason=reason)
        _enqueue("notify_request_decided", meeting.pk)
    return meeting


# --------------------------------------------------------------------------------------------------
# Schedule and hold
# --------------------------------------------------------------------------------------------------


def _required_invitee_refusal(meeting: Meeting, invitees: list[Invitee]) -> RuleRefusal | None:
    roles = {i.role for i in invitees}
    for spec in rules_of.invitees_for(meeting):
        role = spec["role"]
        if spec["requirement"] != Requirement.REQUIRED or role in {
            ParticipantRole.CHILD,
            ParticipantRole.CHAIR,
        }:
            continue
        if role not in roles:
            return RuleRefusal(
                meeting.policy.invitee_rule,
                f"Invite the {rules_of.participant_label(role).lower()}, "
                "or add them as not invited with a reason.",
            )
    return None


def meeting_schedule(
    *,
    meeting: Meeting,
    by: User,
    chair: User,
    scheduled_for: datetime,
    venue: str,
    child_invited: bool | None,
    child_invite_reason: str,
    invitees: Iterable[dict[str, Any]] = (),
) -> Meeting:
    """Set chair, date, venue and invitations; refuse a chair or date the policy forbids.

    Rules: P3/D2/B1 (window), P4/B5/D5 (chair), P5/D6/B8 (invitees), D7 (who arranges), D8 (report due
    dates), G6 (child's invitation decided with a reason).

    `invitees`: dicts with name, role, and optionally user, email, requirement, attendance ("invited"
    or "not_invited"), not_invited_reason, part_only. They replace earlier invitations.
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state not in {MeetingState.APPROVED, MeetingState.SCHEDULED}:
            raise _state_refusal(meeting, "schedule")
        policy = meeting.policy
        if policy.scheduler_roles and by.role not in policy.scheduler_roles and by.pk != chair.pk:
            who = " or ".join(rules_of.role_label(r).lower() for r in policy.scheduler_roles)
            raise RuleRefusal(policy.scheduler_rule, f"The {who} arranges this meeting.")
        if child_invited is not None and not child_invite_reason.strip():
            raise RuleRefusal(G6, "Record why the child is or is not invited.")
        meeting.chair = chair
        meeting.scheduled_for = scheduled_for
        meeting.venue = venue
        meeting.child_invited = child_invited
        meeting.child_invite_reason = child_invite_reason.strip()
        rows = [_invitee_from(meeting, spec) for spec in invitees]
        if child_invited and not any(r.role == ParticipantRole.CHILD for r in rows):
            rows.append(Invitee(meeting=meeting, name=meeting.child.full_name, role=ParticipantRole.CHILD))
        if child_invited is False and not any(r.role == ParticipantRole.CHILD for r in rows):
            rows.append(
                Invitee(
                    meeting=meeting,
                    name=meeting.child.full_name,
                    role=ParticipantRole.CHILD,
                    attendance=Attendance.NOT_INVITED,
                    not_invited_reason=child_invite_reason.strip(),
                )
            )
        for row in rows:
            if row.attendance == Attendance.NOT_INVITED and not row.not_invited_reason.strip():
                raise RuleRefusal(G3, f"Say why {row.name} is not invited.")
        refusal = _required_invitee_refusal(meeting, rows)
        if refusal:
            raise refusal
        _transition(
            meeting, "schedule", by=by, reason=f"{timezone.localtime(scheduled_for):%d %b %Y %H:%M}, {venue}"
        )
        meeting.invitees.all().delete()
        Invitee.objects.bulk_create(rows)
        meeting_on = rules_of.local_date(scheduled_for)
        for report in meeting.reports.exclude(timing=ReportTiming.WITH_REQUEST):
            spec = {"timing": report.timing, "days": _report_days(policy, report.form_key)}
            report.due_on, report.due_explanation = rules_of.report_due(
                policy, spec, requested_on=rules_of.local_date(meeting.requested_at), meeting_on=meeting_on
            )
            report.save(update_fields=["due_on", "due_explanation"])
        _enqueue("notify_meeting_scheduled", meeting.pk)
    return meeting


def _report_days(policy: MeetingType, form_key: str) -> int:
    for row in policy.required_reports:
        if row.value["form_key"] == form_key:
            return row.value.get("days") or 0
    return 0


def _invitee_from(meeting: Meeting, spec: dict[str, Any]) -> Invitee:
    user = spec.get("user")
    return Invitee(
        meeting=meeting,
        user=user,
        name=spec.get("name") or (str(user) if user else ""),
        email=spec.get("email") or (user.email if user else ""),
        role=spec["role"],
        requirement=spec.get("requirement", Requirement.REQUIRED),
        attendance=spec.get("attendance", Attendance.INVITED),
        not_invited_reason=spec.get("not_invited_reason", ""),
        part_only=bool(spec.get("part_only", False)),
    )


def meeting_record_held(
    *, meeting: Meeting, by: User, held_at: datetime | None = None, attendance: dict[int, str] | None = None
) -> Meeting:
    """Record that the meeting took place and who came; start the chair's minutes clock (G3, P8).

    `attendance` maps invitee id to "present", "apologies" or "not_invited".
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state != MeetingState.SCHEDULED:
            raise _state_refusal(meeting, "record_held")
        held_at = held_at or meeting.scheduled_for or timezone.now()
        for invitee in meeting.invitees.all():
            value = (attendance or {}).get(invitee.pk)
            if value is None:
                continue
            if value not in Attendance.values:
                raise RuleRefusal(G3, f"Unknown attendance for {invitee.name}.")
            if value == Attendance.NOT_INVITED and not invitee.not_invited_reason.strip():
                raise RuleRefusal(G3, f"Say why {invitee.name} was not invited.")
            invitee.attendance = value
            invitee.save(update_fields=["attendance"])
        meeting.held_at = held_at
        policy = meeting.policy
        if policy.minutes_due_days is not None:
            from .deadlines import deadline_compute

            d = deadline_compute(
                anchor=rules_of.local_date(held_at),
                days=policy.minutes_due_days,
                unit="working",
                direction="after",
                calendar=policy.effective_calendar,
            )
            meeting.minutes_due_on, meeting.minutes_due_explanation = d.due, d.explain()
        _transition(meeting, "record_held", by=by)
    return meeting


# --------------------------------------------------------------------------------------------------
# Minutes
# --------------------------------------------------------------------------------------------------


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
    """
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state not in {MeetingState.HELD, MeetingState.MINUTES_DRAFTED}:
            raise _state_refusal(meeting, "draft_minutes")
        meeting.key_issues = key_issues
        meeting.minutes_text = minutes_text
        meeting.wishes_and_feelings = wishes_and_feelings
        meeting.wishes_and_feelings_recorded = bool(wishes_and_feelings.strip())
        meeting.confidentiality_statement = meeting.policy.confidentiality_statement
        meeting.minutes_submission_id = submission_id
        meeting.decisions.all().delete()
        Decision.objects.bulk_create(Decision(meeting=meeting, text=t) for t in decisions if t.strip())
        meeting.actions.filter(follow_up_key="").delete()
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
        _transition(meeting, "draft_minutes", by=by)
    return meeting


def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    """The policy's minutes approver (the chair, D9) approves; then the pack's share list gets them (D12)."""
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state != MeetingState.MINUTES_DRAFTED:
            raise _state_refusal(meeting, "approve_minutes")
        refusal = rules_of.minutes_approver_refusal(meeting, by)
        if refusal:
            raise refusal
        meeting.minutes_approved_by = by
        meeting.minutes_approved_at = timezone.now()
        _transition(meeting, "approve_minutes", by=by)
        if meeting.policy.share_approved_minutes_with:
            _enqueue("notify_minutes_shared", meeting.pk)
    return meeting


def minutes_circulate(*, meeting: Meeting, by: User, extra_recipients: Sequence[str] = ()) -> Meeting:
    """Send the approved minutes to every invitee and the roles the policy always includes (P7, D9)."""
    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state != MeetingState.MINUTES_APPROVED:
            raise _state_refusal(meeting, "circulate")
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
        _transition(meeting, "circulate", by=by, reason=f"Sent to {len(recipients)} people.")
        _enqueue("notify_minutes_circulated", meeting.pk)
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


def meeting_close(*, meeting: Meeting, by: User, outcome_answers: dict[str, Any] | None = None) -> Meeting:
    """Answer the outcome questions (D10) and close; create follow-ups (D11); then, after commit, add the
    case note and file the minutes and reports (G5)."""
    from .deadlines import add_working_days

    with transaction.atomic():
        meeting = _locked(meeting)
        if meeting.state != MeetingState.CIRCULATED:
            raise _state_refusal(meeting, "close")
        if outcome_answers:
            meeting.outcome_answers = {**meeting.outcome_answers, **outcome_answers}
        meeting.closed_at = timezone.now()
        _transition(meeting, "close", by=by)
        policy = meeting.policy
        today = timezone.localdate()
        for row in policy.follow_ups:
            spec = row.value
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
        _enqueue("meeting_file_records", meeting.pk)
    return meeting


def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Cancel from any open state, only with a reason (G8)."""
    if not reason.strip():
        raise RuleRefusal(
            G8, "Give the reason for cancelling, for example that the placement has stabilised."
        )
    with transaction.atomic():
        meeting = _locked(meeting)
        meeting.cancel_reason = reason.strip()
        if not meeting.is_open:
            raise _state_refusal(meeting, "cancel")
        _transition(meeting, "cancel", by=by, reason=reason.strip())
        _enqueue("notify_meeting_cancelled", meeting.pk)
    return meeting


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
                action.meeting.policy.follow_up_rule or G3,
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


def provider_notice_record(
    *, meeting: Meeting, by: User, given_on: date, immediate_safeguarding_move: bool = False, note: str = ""
) -> Meeting:
    """Record a provider's notice on an agency placement; refused before the meeting is held (B3)
    unless the child must move at once for safeguarding reasons."""
    with transaction.atomic():
        meeting = _locked(meeting)
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
            raise RuleRefusal(policy.notice_rule, _notice_refusal_message(meeting))
        if immediate_safeguarding_move and not note.strip():
            raise RuleRefusal(policy.notice_rule, "Describe the safeguarding reason for the immediate move.")
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


def late_gate_roles(meeting: Meeting) -> list[str]:
    return next(
        (roles for gate, roles, _ in rules_of.required_gates(meeting) if gate == ApprovalGate.LATE_REQUEST),
        [],
    )
