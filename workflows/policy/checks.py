"""The rule checks behind each transition's condition (schedule, approve, minutes, circulate, close)
and the warnings shown on a meeting."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from ..choices import ActionStatus, MinutesApprover
from ..rules import G3, G6, RuleRefusal
from .chairs import chair_refusal
from .decision import (
    _fmt,
    circulation_roles_for,
    circulation_rule,
    core_rule,
    local_date,
    meeting_reports_for,
    outcome_questions_for,
    participant_label,
    role_label,
)
from .gates import _gate_rule, missing_approvals, waiting_for
from .timing import meeting_date_refusal

if TYPE_CHECKING:
    from portal.models import User

    from ..models import Meeting


def schedule_refusal(meeting: Meeting) -> RuleRefusal | None:
    policy = meeting.policy
    if meeting.chair_id is None or meeting.scheduled_for is None:
        return RuleRefusal(G3, "Choose a chair and a date and time for the meeting.")
    refusal = chair_refusal(meeting, meeting.chair)
    if refusal:
        refusal.field = "chair"
        return refusal
    refusal = meeting_date_refusal(
        meeting, local_date(meeting.scheduled_for), late_reason=meeting.late_reason
    )
    if refusal:
        return refusal
    if policy.child_invite_decision_required and (
        meeting.child_invited is None or not meeting.child_invite_reason.strip()
    ):
        return RuleRefusal(
            G6, "Decide whether the child is invited and record the reason.", field="child_invite_reason"
        )
    return None


def minutes_approver_refusal(meeting: Meeting, by: User) -> RuleRefusal | None:
    policy = meeting.policy
    approvers = list(policy.minutes_approvers or [MinutesApprover.CHAIR])
    allowed = (
        (MinutesApprover.CHAIR in approvers and meeting.chair_id == by.pk)
        or (MinutesApprover.CHILD_IRO in approvers and meeting.child.iro_id == by.pk)
        or by.role in approvers
    )
    if not allowed:
        who = " or ".join(
            role_label(a).lower() if a not in MinutesApprover.values else MinutesApprover(a).label.lower()
            for a in approvers
        )
        return RuleRefusal(core_rule(policy, "minutes_approval"), f"Only {who} can approve these minutes.")
    return None


def transition_refusal(meeting: Meeting, name: str) -> RuleRefusal | None:
    """State-independent rule checks behind each transition's condition."""
    policy = meeting.policy
    if name == "approve":
        missing = missing_approvals(meeting)
        if missing:
            who = waiting_for(meeting)
            return RuleRefusal(
                _gate_rule(meeting, [g for g, _ in missing][-1:]),
                f"Still waiting for approval from the {who}.",
            )
    elif name == "schedule":
        return schedule_refusal(meeting)
    elif name == "approve_minutes":
        if policy.actions_need_owner_due_evaluation:
            for number, action in enumerate(meeting.actions.exclude(follow_up_key__gt=""), start=1):
                if action.status == ActionStatus.DROPPED:
                    continue
                missing = action.missing
                if missing:
                    return RuleRefusal(
                        core_rule(policy, "minutes"),
                        f"Action {number} ('{action.description[:60]}') needs {' and '.join(missing)} "
                        "before the minutes can be approved.",
                    )
    elif name == "circulate":
        roles_present = set(meeting.invitees.values_list("role", flat=True))
        for role in circulation_roles_for(meeting):
            if role not in roles_present:
                return RuleRefusal(
                    circulation_rule(meeting),
                    f"The minutes must always go to the {participant_label(role).lower()}, "
                    "who is not on the list. Add them first.",
                )
    elif name == "close":
        for q in outcome_questions_for(meeting):
            answer = meeting.outcome_answers.get(q["key"])
            if q.get("required", True) and (answer is None or answer == ""):
                return RuleRefusal(q.get("rule") or "", f"Answer the question: {q['question']}")
    return None


def meeting_flags(meeting: Meeting) -> list[RuleRefusal]:
    """Warnings shown on the meeting (not refusals): G6 wishes and feelings, B9 contract, overdue reports."""
    flags: list[RuleRefusal] = []
    if meeting.lacks_wishes_and_feelings:
        flags.append(RuleRefusal(G6, "The record lacks the child's wishes and feelings."))
    policy = meeting.policy
    placement = meeting.placement
    if placement.is_agency and policy.minimum_notice_period_days:
        notice = placement.notice_period_days
        if notice is None or notice < policy.minimum_notice_period_days:
            flags.append(
                RuleRefusal(
                    core_rule(policy, "contract"),
                    f"The contract's notice period ({notice if notice is not None else 'not recorded'}"
                    f"{' days' if notice is not None else ''}) is below the "
                    f"{policy.minimum_notice_period_days} days the procedure expects.",
                )
            )
        if not placement.has_contingency_plan:
            flags.append(
                RuleRefusal(core_rule(policy, "contract"), "The contract has no contingency plan recorded.")
            )
    today = timezone.localdate()
    report_rules = {e["form_key"]: e.get("rule") or "" for e in meeting_reports_for(meeting)}
    for report in meeting.reports.all():
        if not report.is_received and report.due_on and report.due_on < today:
            rule = report_rules.get(report.form_key, "")
            flags.append(RuleRefusal(rule, f"{report.label} was due on {_fmt(report.due_on)}."))
    return flags
