"""Everything that changes a meeting. One function per user action; each writes its history row (G7).

Services are keyword-only. They lock the meeting row (select_for_update), check the policy's rules
(raising `RuleRefusal` with the rule ID and a sentence), run the transition, write the history row in
the same transaction and queue side effects (emails, filing) to run after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal import dates
from portal.models import Child, Placement, User

from . import policy as rules_of
from .actions import action_complete, action_status_set
from .choices import (
    Attendance,
    MeetingState,
    ParticipantRole,
    ReportTiming,
    Requirement,
)
from .choices import Decision as DecisionChoice
from .models import (
    Invitee,
    Meeting,
    MeetingApproval,
    MeetingReport,
    MeetingTransition,
    MeetingType,
)
from .paths import links_enqueue, prerequisite_refusals
from .policy_engine import PolicyDecision
from .reviews import looked_after_review_record
from .rules import G3, G6, RuleRefusal, RuleRefusals
from .services_cancel import meeting_cancel
from .services_close import meeting_close
from .services_minutes import minutes_approve, minutes_circulate, minutes_record
from .services_notice import provider_notice_record
from .transitions import enqueue, locked, run_transition, state_refusal

# One import path for every meeting service: the ones defined in the modules split by concern
# (minutes, close, cancel, provider notice, actions, looked-after reviews) are re-exported here.
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

# --------------------------------------------------------------------------------------------------
# Request, submit, approve, decline
# --------------------------------------------------------------------------------------------------


@dataclass
class RequestAssessment:
    """What the policy says about one request before it is made: its anchor, facts, decision, problems."""

    anchor_on: date | None
    problems: list[RuleRefusal]
    snapshot: dict | None = None
    decision: PolicyDecision | None = None
    is_late: bool = False


def request_assess(
    *,
    policy: MeetingType,
    child: Child,
    placement: Placement | None,
    by: User,
    concern_raised_on: date | None = None,
    notified_on: date | None = None,
    triggers: Sequence[str] = (),
    support_tried: str = "",
    requested_on: date,
    concern_raised_by_kind: str = "",
    request_flags: Sequence[str] = (),
) -> RequestAssessment:
    """Every reason the request cannot be made, at once (P1, D1, B1, P3, D2), the anchor date, the
    fact snapshot and the policy's decision (issue 10).

    The snapshot is built on the anchor date of the timing entry that applies; when the request is late
    (`meeting.requested_late`) the decision is evaluated with that fact, so late-request gates apply.
    Each refusal names the form field it is about, so the request form can show them all together.
    """
    from .fact_snapshot import RequestFacts
    from .policy_engine import policy_evaluate

    found: list[RuleRefusal] = []
    refusal = rules_of.requester_refusal(policy, child=child, by=by)
    if refusal:
        return RequestAssessment(None, [refusal])  # nothing else matters to someone who may not ask
    own = placement if placement is not None and placement.child_id == child.pk else None
    if placement is None:
        found.append(RuleRefusal(G3, "Choose the placement this meeting is about.", field="placement"))
    elif own is None:
        found.append(RuleRefusal(G3, "Choose one of this child's placements.", field="placement"))
    found += rules_of.request_details_refusals(policy, triggers=list(triggers), support_tried=support_tried)

    def facts(anchor_on: date, late: bool | None) -> dict:
        request = RequestFacts(
            raised_by_kind=concern_raised_by_kind or None,
            requester=by,
            flags=tuple(request_flags),
            triggers=tuple(triggers),
            requested_late=late,
        )
        return rules_of.case_snapshot(policy, placement=own, anchor_on=anchor_on, request=request)

    snapshot = decision = None
    timing = None
    if own is not None:
        # A meeting about a placement ending is judged on the ending (even one recorded for a future
        # date, which the anchor check below refuses with its own sentence).
        first = rules_of._default_timing(policy) or {}
        judged_on = (
            own.end_date if first.get("anchor") == "placement_ended" and own.end_date else requested_on
        )
        snapshot = facts(judged_on, False)
        decision = policy_evaluate(policy, snapshot)
        timing = decision.timing
    found += _vocabulary_refusals(policy, concern_raised_by_kind, request_flags)
    anchor_on, anchor_refusal = rules_of.anchor_date(
        policy,
        placement=own,
        concern_raised_on=concern_raised_on,
        notified_on=notified_on,
        requested_on=requested_on,
        timing=timing,
    )
    is_late = False
    if own is not None:
        if anchor_on is not None and anchor_on != requested_on:
            snapshot = facts(anchor_on, False)
            decision = policy_evaluate(policy, snapshot)
        is_late = rules_of.timing_is_late(decision.timing, anchor_on, requested_on, policy.effective_calendar)
        if is_late:
            snapshot = facts(anchor_on or requested_on, True)
            decision = policy_evaluate(policy, snapshot)
        refusal = rules_of.decision_refusal(decision)
        if refusal:
            refusal.field = "placement"
            found.insert(0, refusal)
    if anchor_refusal and not any(r.field == anchor_refusal.field for r in found):
        found.append(anchor_refusal)
    if decision is not None:  # prerequisites: another meeting that must have been held first (issue 10)
        found += prerequisite_refusals(
            prerequisites=decision.prerequisites, child=child, pack_id=policy.pack_id, on=requested_on
        )
    return RequestAssessment(anchor_on, found, snapshot, decision, is_late)


def meeting_request_problems(**kwargs: Any) -> tuple[date | None, list[RuleRefusal]]:
    """Every reason the request cannot be made, at once, and the anchor date (see `request_assess`)."""
    assessed = request_assess(**kwargs)
    return assessed.anchor_on, assessed.problems


def _vocabulary_refusals(
    policy: MeetingType, concern_raised_by_kind: str, request_flags: Sequence[str]
) -> list[RuleRefusal]:
    """Who raised the concern and the request's flags must come from the pack's own lists (issue 10)."""
    from .vocabularies import pack_vocabularies

    vocabularies = pack_vocabularies(policy.pack if policy.pack_id else None)
    found = []
    kinds = dict(vocabularies["person_kind"])
    if concern_raised_by_kind and concern_raised_by_kind not in kinds:
        found.append(
            RuleRefusal(
                "",
                "Choose who raised the concern from the list.",
                field="concern_raised_by_kind",
            )
        )
    flags = dict(vocabularies["request_flag"])
    unknown = [f for f in request_flags if f not in flags]
    if unknown:
        found.append(
            RuleRefusal(
                "",
                "Choose the request's flags from the list"
                + (f": {', '.join(flags.values())}." if flags else "; this council defines none."),
                field="request_flags",
            )
        )
    return found


@records_actor
def meeting_request(
    *,
    meeting_type: MeetingType,
    child: Child,
    placement: Placement | None,
    by: User,
    concern_raised_on: date | None = None,
    concern_raised_by: str = "",
    notified_on: date | None = None,
    triggers: Sequence[str] = (),
    support_tried: str = "",
    request_details: str = "",
    requested_at: datetime | None = None,
    send: bool = False,
    concern_raised_by_kind: str = "",
    request_flags: Sequence[str] = (),
    linked_from: Meeting | None = None,
) -> Meeting:
    """Open a request under the meeting type's *published* policy and fix its deadlines.

    Rules: P1 (who requests, triggers, support tried), D1/B1 (eligibility), D2/P3/B1 (window, anchor
    dates in the past), D3 (late). Every problem is reported at once (`RuleRefusals`).

    `send=True` (the request screen's one button) also sends it for approval in the same transaction
    when nothing it needs is missing (P2); otherwise it waits in Requested for its attachments.
    """
    revision = meeting_type.live_revision
    if not meeting_type.live or revision is None:
        raise RuleRefusal("", f"{meeting_type.name} has not been published yet, so it cannot be requested.")
    policy: MeetingType = revision.as_object()
    requested_at = requested_at or timezone.now()
    requested_on = rules_of.local_date(requested_at)
    assessed = request_assess(
        policy=policy,
        child=child,
        placement=placement,
        by=by,
        concern_raised_on=concern_raised_on,
        notified_on=notified_on,
        triggers=triggers,
        support_tried=support_tried,
        requested_on=requested_on,
        concern_raised_by_kind=concern_raised_by_kind,
        request_flags=request_flags,
    )
    problems = assessed.problems
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise RuleRefusals(problems)
    anchor_on, is_late, decision = assessed.anchor_on, assessed.is_late, assessed.decision
    window = rules_of.meeting_window(policy, anchor_on, is_late=is_late, timing=decision.timing)
    procedure_revision = None
    if policy.procedure_page_id:
        from wagtail.models import Page

        page = Page.objects.filter(pk=policy.procedure_page_id).first()
        procedure_revision = page.live_revision if page else None
    else:  # not linked in the CMS: the pack's live procedure page for this meeting code, if any
        from .procedures.selectors import procedure_live_revision

        procedure_revision = procedure_live_revision(
            meeting_code=policy.code, pack_slug=meeting_type.pack.slug
        )

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
            concern_raised_by_kind=concern_raised_by_kind,
            request_flags=list(dict.fromkeys(request_flags)),
            notified_on=notified_on,
            anchor_on=anchor_on,
            triggers=list(triggers),
            support_tried=support_tried,
            request_details=request_details,
            is_late=is_late,
            facts=assessed.snapshot,
            decision=decision.as_json(),
            earliest_on=window.earliest_on,
            due_on=window.due_on,
            deadline_explanation=window.explanation,
            linked_from=linked_from,
        )
        meeting.reference = f"{policy.code.upper()}-{meeting.pk:06d}"
        meeting.save(update_fields=["reference"])
        for report in decision.reports:
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
        if send and not request_attachments_missing(meeting):
            _submit(meeting, by)
        links_enqueue(meeting, "requested")  # linked meeting types started on the request (issue 10)
    return meeting


def request_attachments_missing(meeting: Meeting) -> list[str]:
    """Labels of the reports that must go with the request and have not been received (P2)."""
    return [r.label for r in meeting.reports.filter(timing=ReportTiming.WITH_REQUEST) if not r.is_received]


@records_actor
def report_attach(*, report: MeetingReport, by: User, submission_id: int | None = None) -> MeetingReport:
    """Record that a required report was received (P2 with the request, D8 before the meeting)."""
    with transaction.atomic():
        report = MeetingReport.objects.select_for_update().get(pk=report.pk)
        report.submission_id = submission_id
        report.received_at = timezone.now()
        report.received_by = by
        report.save(update_fields=["submission_id", "received_at", "received_by"])
    return report


@records_actor
def meeting_submit(*, meeting: Meeting, by: User) -> Meeting:
    """Send the request for approval with its required attachments (P2).

    It is routed to the mailboxes the policy names (D4, B2).

    Where the policy needs no approval (and the request is not late) it is approved at once.
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.REQUESTED:
            raise state_refusal(meeting, "submit")
        missing = request_attachments_missing(meeting)
        if missing:
            raise RuleRefusal(
                _with_request_rule(meeting),
                f"Attach the {', '.join(missing)} before sending the request.",
            )
        _submit(meeting, by)
    return meeting


def _submit(meeting: Meeting, by: User) -> None:
    """The submit transition, the automatic approval where no gate applies, and the routing e-mail."""
    run_transition(meeting, "submit", by=by)
    if not rules_of.required_gates(meeting):
        run_transition(meeting, "approve", by=None, reason="This policy needs no approval.")
    enqueue("notify_request_routed", meeting.pk)


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
                spec.get("rule") or "",
                f"Invite the {rules_of.participant_label(role).lower()}, "
                "or add them as not invited with a reason.",
            )
    return None


@records_actor
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
    late_reason: str = "",
    arranged_at: datetime | None = None,
) -> Meeting:
    """Set chair, date, venue and invitations; refuse a chair or date the policy forbids.

    Rules: P3/D2/B1 (window), P4/B5/D5 (chair), P5/D6/B8 (invitees), D7 (who arranges), D8 (report due
    dates), G6 (child's invitation decided with a reason).

    Dates (P3, D2, B1): never in the past (before `arranged_at`, now by default; loaders of past
    records pass the moment they stand in), never before the anchor or the earliest day; after the
    latest day only with `late_reason`, which is kept on the meeting and in its history, and the
    meeting is flagged `after_deadline` (its deadline does not move, so it still counts as late).

    `invitees`: dicts with name, role, and optionally user, email, requirement, attendance ("invited"
    or "not_invited"), not_invited_reason, part_only. They replace earlier invitations.
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state not in {MeetingState.APPROVED, MeetingState.SCHEDULED}:
            raise state_refusal(meeting, "schedule")
        policy = meeting.policy
        if policy.scheduler_roles and by.role not in policy.scheduler_roles and by.pk != chair.pk:
            who = " or ".join(rules_of.role_label(r).lower() for r in policy.scheduler_roles)
            raise RuleRefusal(rules_of.core_rule(policy, "scheduler"), f"The {who} arranges this meeting.")
        if child_invited is not None and not child_invite_reason.strip():
            raise RuleRefusal(G6, "Record why the child is or is not invited.", field="child_invite_reason")
        day = rules_of.local_date(scheduled_for)
        if day < rules_of.local_date(arranged_at or timezone.now()):
            raise RuleRefusal(
                policy_timing_rule(meeting),
                "The date of the meeting must be today or in the future.",
                field="day",
            )
        refusal = rules_of.meeting_date_refusal(meeting, day, late_reason=late_reason)
        if refusal:
            raise refusal
        after_deadline = bool(meeting.due_on and day > meeting.due_on)
        meeting.late_reason = late_reason.strip() if after_deadline else ""
        meeting.after_deadline = after_deadline
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
        rows += _notified_rows(meeting, rows)
        reason = f"{dates.moment(scheduled_for)}, {venue}"
        if after_deadline:
            reason += (
                f". After the latest date the procedure allows ({rules_of._fmt(meeting.due_on)}, "
                f"{(rules_of.meeting_decision(meeting).timing or {}).get('rule') or 'timescale'}): "
                f"{meeting.late_reason}"
            )
        run_transition(meeting, "schedule", by=by, reason=reason)
        meeting.invitees.all().delete()
        Invitee.objects.bulk_create(rows)
        meeting_on = rules_of.local_date(scheduled_for)
        for report in meeting.reports.exclude(timing=ReportTiming.WITH_REQUEST):
            spec = {"timing": report.timing, "days": _report_days(meeting, report.form_key)}
            report.due_on, report.due_explanation = rules_of.report_due(
                policy, spec, requested_on=rules_of.local_date(meeting.requested_at), meeting_on=meeting_on
            )
            report.save(update_fields=["due_on", "due_explanation"])
        enqueue("notify_meeting_scheduled", meeting.pk)
    return meeting


def _notified_rows(meeting: Meeting, rows: list[Invitee]) -> list[Invitee]:
    """People the policy says are always told about the meeting (e.g. the IRO, B8), added when known."""
    from .selectors import invitee_suggestions

    present = {r.role for r in rows}
    added = []
    for s in invitee_suggestions(meeting):
        if s["requirement"] == Requirement.NOTIFY and s["role"] not in present and (s["user"] or s["email"]):
            added.append(
                Invitee(
                    meeting=meeting,
                    user=s["user"],
                    name=s["name"],
                    email=s["email"],
                    role=s["role"],
                    requirement=Requirement.NOTIFY,
                )
            )
    return added


def _report_days(meeting: Meeting, form_key: str) -> int:
    for entry in rules_of.meeting_reports_for(meeting):
        if entry["form_key"] == form_key:
            return entry.get("days") or 0
    return 0


def _with_request_rule(meeting: Meeting) -> str:
    reports = [
        r for r in rules_of.meeting_reports_for(meeting) if r.get("timing") == ReportTiming.WITH_REQUEST
    ]
    return rules_of._gate_rule(meeting) or next((r.get("rule") for r in reports if r.get("rule")), "")


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


def policy_timing_rule(meeting: Meeting) -> str:
    return (rules_of.meeting_decision(meeting).timing or {}).get("rule") or G3


@records_actor
def meeting_record_held(
    *, meeting: Meeting, by: User, held_at: datetime | None = None, attendance: dict[int, str] | None = None
) -> Meeting:
    """Record that the meeting took place and who came; start the chair's minutes clock (G3, P8).

    `attendance` maps invitee id to "present", "apologies", "did_not_attend" or "not_invited".
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.SCHEDULED:
            raise state_refusal(meeting, "record_held")
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
        held_on = rules_of.local_date(held_at)
        if meeting.anchor_on and held_on < meeting.anchor_on:
            raise RuleRefusal(
                policy_timing_rule(meeting),
                f"The meeting cannot have been held before {rules_of._fmt(meeting.anchor_on)}, "
                "the date its timescale counts from.",
                field="held_day",
            )
        if meeting.due_on and held_on > meeting.due_on:
            meeting.after_deadline = True  # held late stays late, whatever the arrangements said (P3, D2)
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
        run_transition(meeting, "record_held", by=by)
    return meeting
