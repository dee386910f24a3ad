"""The rule kinds of the engine, reading their values from a meeting type's published revision.

Every check returns a `RuleRefusal` (rule ID + sentence) or None; services raise what they get.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from portal.choices import PlacementCategory, Role, TeamKind

from .choices import (
    ActionStatus,
    Anchor,
    ApprovalGate,
    DayUnit,
    MeetingState,
    MinutesApprover,
    ParticipantRole,
    ReportTiming,
)
from .choices import Decision as DecisionChoice
from .rules import G3, G6, G8, RuleRefusal

if TYPE_CHECKING:
    from portal.models import Child, Placement, User

    from .models import Meeting, MeetingType

FOSTERING_CATEGORIES = {
    PlacementCategory.IN_HOUSE_FOSTERING,
    PlacementCategory.AGENCY_FOSTERING,
    PlacementCategory.CONNECTED_PERSON,
}
RESIDENTIAL_CATEGORIES = {PlacementCategory.IN_HOUSE_RESIDENTIAL, PlacementCategory.AGENCY_RESIDENTIAL}


def category_label(category: str) -> str:
    try:
        return PlacementCategory(category).label
    except ValueError:
        return category


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        try:
            return ParticipantRole(role).label
        except ValueError:
            return role


def participant_label(role: str) -> str:
    """Label of a meeting participant role (falls back to staff roles)."""
    try:
        return ParticipantRole(role).label
    except ValueError:
        return role_label(role)


def _applies(block_value: Any, category: str) -> bool:
    """A list entry applies to a placement when its categories are empty or include the placement's."""
    categories = list(block_value.get("categories") or [])
    return not categories or category in categories


def local_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _fmt(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


# --------------------------------------------------------------------------------------------------
# Requesting (D1, B1, P1)
# --------------------------------------------------------------------------------------------------


def eligibility_refusal(policy: MeetingType, placement: Placement) -> RuleRefusal | None:
    rule = policy.eligibility_rule
    for row in policy.exclusions:
        if row.value["category"] == placement.category:
            return RuleRefusal(rule, row.value["message"])
    if policy.eligible_categories and placement.category not in policy.eligible_categories:
        return RuleRefusal(
            rule,
            f"A {policy.name.lower()} is not held for this type of placement "
            f"({category_label(placement.category).lower()}).",
        )
    if policy.must_be_permanent and not placement.is_permanent:
        return RuleRefusal(
            rule, f"A {policy.name.lower()} is held only for placements ratified as permanent."
        )
    if policy.must_have_ended and not placement.end_date:
        return RuleRefusal(
            rule, f"A {policy.name.lower()} is held only after the placement has ended: record its end date."
        )
    if policy.must_have_ended_unplanned and not placement.ended_unplanned:
        return RuleRefusal(
            rule,
            f"A {policy.name.lower()} is held only when the placement ended abruptly or in an unplanned way.",
        )
    return None


def requester_refusal(policy: MeetingType, *, child: Child, by: User) -> RuleRefusal | None:
    rule = policy.request_rule
    if policy.requester_must_be_childs_social_worker and child.social_worker_id != by.pk:
        return RuleRefusal(
            rule,
            "Only the child's social worker can make this request. Talk the concern over with your line "
            "manager, then ask the child's social worker to request the meeting.",
        )
    if policy.requester_roles and by.role not in policy.requester_roles:
        roles = ", ".join(role_label(r).lower() for r in policy.requester_roles)
        return RuleRefusal(rule, f"This request can be made only by a {roles}.")
    return None


def request_details_refusals(
    policy: MeetingType, *, triggers: list[str], support_tried: str
) -> list[RuleRefusal]:
    """Every problem with the request's reasons and support tried (P1), each naming its field."""
    rule = policy.request_rule
    found: list[RuleRefusal] = []
    keys = [row.value["key"] for row in policy.triggers]
    if keys:
        if not triggers:
            found.append(RuleRefusal(rule, "Choose at least one reason for the meeting.", field="triggers"))
        unknown = [t for t in triggers if t not in keys]
        if unknown:
            found.append(
                RuleRefusal(
                    rule,
                    f"These reasons are not in the procedure: {', '.join(unknown)}.",
                    field="triggers",
                )
            )
    if policy.support_tried_required and not support_tried.strip():
        found.append(
            RuleRefusal(
                rule,
                f"{policy.support_tried_label}: this must be recorded before you can request.",
                field="support_tried",
            )
        )
    return found


def request_details_refusal(
    policy: MeetingType, *, triggers: list[str], support_tried: str
) -> RuleRefusal | None:
    found = request_details_refusals(policy, triggers=triggers, support_tried=support_tried)
    return found[0] if found else None


# --------------------------------------------------------------------------------------------------
# Timing (G2, P3, D2, D3, B1)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    anchor_on: date | None
    earliest_on: date | None
    due_on: date | None
    explanation: str


ANCHOR_FIELDS = {
    Anchor.CONCERN_RAISED: ("concern_raised_on", "The date the concern was raised"),
    Anchor.NOTIFICATION: ("notified_on", "The date the risk was notified"),
    Anchor.PLACEMENT_ENDED: ("placement", "The date the placement ended"),
}


def anchor_date(
    policy: MeetingType,
    *,
    placement: Placement | None,
    concern_raised_on: date | None,
    notified_on: date | None,
    requested_on: date,
) -> tuple[date | None, RuleRefusal | None]:
    """The date the meeting's timescale counts from (G2), or why it cannot be used.

    An anchor is something that has happened: a date after the request (the concern "raised" seven
    months from now, a placement that "ended" next week) is refused, so it can never move the deadline
    (P3, D2, B1).
    """
    anchor = policy.anchor
    rule = policy.timing_rule or G3
    if anchor == Anchor.CONCERN_RAISED:
        if not concern_raised_on:
            return None, RuleRefusal(G3, "Enter the date the concern was raised.", field="concern_raised_on")
        value = concern_raised_on
    elif anchor == Anchor.NOTIFICATION:
        if not notified_on:
            return None, RuleRefusal(
                policy.timing_rule, "Enter the date the risk of breakdown was notified.", field="notified_on"
            )
        value = notified_on
    elif anchor == Anchor.PLACEMENT_ENDED:
        if placement is None:
            return None, None  # the placement itself is missing: reported on its own
        if not placement.end_date:
            return None, RuleRefusal(
                policy.timing_rule, "Record the date the placement ended first.", field="placement"
            )
        value = placement.end_date
    else:
        return requested_on, None
    if value > requested_on:
        field, label = ANCHOR_FIELDS[anchor]
        if anchor == Anchor.PLACEMENT_ENDED:
            message = (
                f"The placement's end date ({_fmt(value)}) is in the future. A meeting about a placement "
                "ending is requested once it has ended."
            )
        else:
            message = f"{label} must be today or in the past."
        return None, RuleRefusal(rule, message, field=field)
    return value, None


def _deadline(anchor: date, days: int, policy: MeetingType, direction: str = "after"):
    from .deadlines import deadline_compute

    return deadline_compute(
        anchor=anchor, days=days, unit=policy.unit, direction=direction, calendar=policy.effective_calendar
    )


def meeting_window(policy: MeetingType, anchor_on: date, *, is_late: bool = False) -> Window:
    """The dates the meeting may be held on, each able to explain itself (G2)."""
    anchor_label = Anchor(policy.anchor).label.lower().removeprefix("the ")
    parts = []
    earliest = due = None
    if is_late:
        return Window(
            anchor_on,
            None,
            None,
            f"Requested after day {policy.late_after_days} from {anchor_label} ({_fmt(anchor_on)}): "
            "no window applies; the late-request approvers agreed to go ahead.",
        )
    if policy.earliest_days is not None:
        d = _deadline(anchor_on, policy.earliest_days, policy)
        earliest = d.due
        parts.append(f"Earliest: {d.explain()}")
    if policy.latest_days is not None:
        d = _deadline(anchor_on, policy.latest_days, policy)
        due = d.due
        parts.append(f"Latest: {d.explain()}" if earliest else d.explain())
    unit_word = "calendar" if policy.unit == DayUnit.CALENDAR else "working"
    header = f"Counted in {unit_word} days from {anchor_label}."
    return Window(anchor_on, earliest, due, " ".join([header, *parts]))


def request_is_late(policy: MeetingType, anchor_on: date, requested_on: date) -> bool:
    """D3: a request made after the policy's late day needs the late-request approvers."""
    if policy.late_after_days is None:
        return False
    return requested_on > _deadline(anchor_on, policy.late_after_days, policy).due


# --------------------------------------------------------------------------------------------------
# Approval (P2, B1, D3)
# --------------------------------------------------------------------------------------------------


def required_gates(meeting: Meeting) -> list[tuple[str, list[str], bool]]:
    """(gate, roles, every_role_needed). Request gate: any one role; late gate: every role (D3)."""
    policy = meeting.policy
    gates: list[tuple[str, list[str], bool]] = []
    if policy.approval_required:
        gates.append((ApprovalGate.REQUEST, list(policy.approver_roles), False))
    if meeting.is_late and policy.late_approver_roles:
        gates.append((ApprovalGate.LATE_REQUEST, list(policy.late_approver_roles), True))
    return gates


def _approved(meeting: Meeting) -> set[tuple[str, str]]:
    return {(a.gate, a.role) for a in meeting.approvals.all() if a.decision == DecisionChoice.APPROVED}


def missing_approvals(meeting: Meeting) -> list[tuple[str, list[str]]]:
    """(gate, roles any one of whom may still approve) for every approval still needed."""
    approved = _approved(meeting)
    missing: list[tuple[str, list[str]]] = []
    for gate, roles, every in required_gates(meeting):
        if every:
            missing += [(gate, [r]) for r in roles if (gate, r) not in approved]
        elif not any((gate, r) in approved for r in roles):
            missing.append((gate, roles))
    return missing


def describe_missing(missing: list[tuple[str, list[str]]]) -> str:
    return " and ".join(" or ".join(role_label(r).lower() for r in roles) for _gate, roles in missing)


def approver_gates(meeting: Meeting, by: User) -> list[str]:
    """The gate `by` may decide on now: at most one.

    One person fills one gate of a meeting, once: whoever has already decided at a gate cannot decide
    at another, and one approval never counts for two gates (P2, D3). The requester decides no gate.
    """
    if by.pk == meeting.requested_by_id:
        return []
    if any(a.by_id == by.pk for a in meeting.approvals.all()):
        return []
    gates = [gate for gate, roles in missing_approvals(meeting) if by.role in roles]
    return gates[:1]


def manages_childs_team(user: User, child: Child) -> bool:
    if not child.team_id:
        return False
    return user.team_id == child.team_id or child.team.manager_id == user.pk


def approver_refusal(meeting: Meeting, by: User) -> RuleRefusal | None:
    policy = meeting.policy
    if meeting.state != MeetingState.AWAITING_APPROVAL:
        return RuleRefusal(
            policy.approval_rule or G8,
            f"This request is {meeting.get_state_display().lower()}: there is nothing to approve.",
        )
    if by.pk == meeting.requested_by_id:
        late = meeting.is_late and bool(policy.late_approver_roles)
        return RuleRefusal(
            (policy.late_rule if late else policy.approval_rule) or policy.approval_rule,
            "You made this request, so someone else must decide it.",
        )
    earlier = next((a for a in meeting.approvals.all() if a.by_id == by.pk), None)
    if earlier is not None:
        waiting = missing_approvals(meeting)
        late = any(g == ApprovalGate.LATE_REQUEST for g, _ in waiting)
        return RuleRefusal(
            policy.late_rule if late else policy.approval_rule,
            f"You have already {earlier.get_decision_display().lower()} this request "
            f"({earlier.get_gate_display().lower()}); "
            f"the {describe_missing(waiting) or 'other approver'} must be someone else.",
        )
    gates = approver_gates(meeting, by)
    if not gates:
        waiting = missing_approvals(meeting)
        who = describe_missing(waiting) or "nobody"
        rule = (
            policy.late_rule
            if any(g == ApprovalGate.LATE_REQUEST for g, _ in waiting)
            else policy.approval_rule
        )
        return RuleRefusal(rule, f"You cannot decide this request: it is waiting for the {who}.")
    if (
        ApprovalGate.REQUEST in gates
        and policy.approver_from_child_team
        and not manages_childs_team(by, meeting.child)
    ):
        return RuleRefusal(
            policy.approval_rule, "Only a manager of the child's own team can decide this request."
        )
    return None


# --------------------------------------------------------------------------------------------------
# Chair (P4, B5, D5)
# --------------------------------------------------------------------------------------------------


def _team_matches(user: User, scope: str, meeting: Meeting) -> bool:
    if scope == "child_team":
        return manages_childs_team(user, meeting.child)
    if scope == "service_team":
        if not user.team_id:
            return False
        category = meeting.placement.category
        if category in FOSTERING_CATEGORIES:
            return user.team.kind == TeamKind.FOSTERING
        if category in RESIDENTIAL_CATEGORIES:
            return user.team.kind == TeamKind.RESIDENTIAL
        return False
    return True


def chair_rules_for(meeting: Meeting) -> list[dict]:
    category = meeting.placement.category
    return [row.value for row in meeting.policy.chair_rules if _applies(row.value, category)]


def chair_refusal(
    meeting: Meeting, user: User, conflicts: dict[int, str] | None = None
) -> RuleRefusal | None:
    """Why `user` may not chair this meeting, or None (P4, B5, D5)."""
    policy = meeting.policy
    rules = chair_rules_for(meeting)
    if rules and not any(
        user.role in r["roles"] and _team_matches(user, r["team_scope"], meeting) for r in rules
    ):
        return RuleRefusal(policy.chair_rule, rules[0]["explanation"])
    if policy.chair_must_be_independent:
        conflict = independence_conflict(meeting, user, conflicts)
        if conflict:
            return RuleRefusal(policy.independence_rule, conflict)
    return None


def independence_conflicts(meeting: Meeting) -> dict[int, str]:
    """D5: user id -> why that person has been involved in the child's case (and so may not chair)."""
    from portal.models import Involvement

    from .models import Invitee, Meeting

    child = meeting.child
    conflicts: dict[int, str] = {}
    earlier = Meeting.objects.filter(child=child).exclude(pk=meeting.pk)
    for user_id in Invitee.objects.filter(meeting__in=earlier, user__isnull=False).values_list(
        "user_id", flat=True
    ):
        conflicts[user_id] = "was invited to an earlier meeting for this child"
    for user_id in earlier.filter(chair__isnull=False).values_list("chair_id", flat=True):
        conflicts[user_id] = "chaired an earlier meeting for this child"
    for user_id in Involvement.objects.filter(child=child).values_list("user_id", flat=True):
        conflicts[user_id] = "has been involved in this child's case"
    if child.social_worker_id:
        conflicts[child.social_worker_id] = "is the child's social worker"
    if child.iro_id:
        conflicts[child.iro_id] = "is the child's own IRO"
    return conflicts


def independence_conflict(meeting: Meeting, user: User, conflicts: dict[int, str] | None = None) -> str:
    """A sentence saying why `user` is not independent of the child's case, or ''."""
    conflicts = independence_conflicts(meeting) if conflicts is None else conflicts
    why = conflicts.get(user.pk)
    if not why:
        return ""
    return f"{user} {why}; the chair must have had no earlier involvement in the child's case."


def chair_is_preferred(meeting: Meeting, user: User) -> bool:
    """B5: a chair from the child's own team is preferred (shown first), never required."""
    return meeting.policy.prefer_child_team and manages_childs_team(user, meeting.child)


def chair_candidate_roles(meeting: Meeting) -> set[str]:
    roles: set[str] = set()
    for r in chair_rules_for(meeting):
        roles.update(r["roles"])
    return roles


# --------------------------------------------------------------------------------------------------
# Invitees, reports, minutes, circulation, outcomes
# --------------------------------------------------------------------------------------------------


def invitees_for(meeting: Meeting) -> list[dict]:
    category = meeting.placement.category
    return [dict(row.value) for row in meeting.policy.invitees if _applies(row.value, category)]


def reports_for(policy: MeetingType, category: str) -> list[dict]:
    return [dict(row.value) for row in policy.required_reports if _applies(row.value, category)]


def circulation_roles_for(meeting: Meeting) -> list[str]:
    category = meeting.placement.category
    return [row.value["role"] for row in meeting.policy.circulation if _applies(row.value, category)]


def outcome_questions_for(meeting: Meeting) -> list[dict]:
    category = meeting.placement.category
    return [dict(row.value) for row in meeting.policy.outcome_questions if _applies(row.value, category)]


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


def meeting_date_refusal(meeting: Meeting, day: date, *, late_reason: str = "") -> RuleRefusal | None:
    """Whether the meeting may be held on `day` (P3, D2, B1).

    Never before the event the timescale counts from, nor before the earliest day the procedure
    allows: those are refusals. After the latest allowed day it may go ahead only with the reason it is
    late, which is recorded; the deadline itself never moves, so the meeting still counts as late.
    """
    policy = meeting.policy
    if meeting.anchor_on and day < meeting.anchor_on:
        anchor_label = Anchor(policy.anchor).label
        return RuleRefusal(
            policy.timing_rule,
            f"The meeting date must be on or after {anchor_label[0].lower()}{anchor_label[1:]} "
            f"({_fmt(meeting.anchor_on)}).",
            field="day",
        )
    if meeting.earliest_on and day < meeting.earliest_on:
        return RuleRefusal(
            policy.timing_rule,
            f"The meeting cannot be held before {_fmt(meeting.earliest_on)}. {meeting.deadline_explanation}",
            field="day",
        )
    if meeting.due_on and day > meeting.due_on and not late_reason.strip():
        return RuleRefusal(
            policy.timing_rule,
            f"The meeting must be held by {_fmt(meeting.due_on)}. To hold it later, say why it is late.",
            field="late_reason",
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
        return RuleRefusal(policy.minutes_approval_rule, f"Only {who} can approve these minutes.")
    return None


def transition_refusal(meeting: Meeting, name: str) -> RuleRefusal | None:
    """State-independent rule checks behind each transition's condition."""
    policy = meeting.policy
    if name == "approve":
        missing = missing_approvals(meeting)
        if missing:
            who = describe_missing(missing)
            late = any(g == ApprovalGate.LATE_REQUEST for g, _ in missing)
            return RuleRefusal(
                policy.late_rule if late else policy.approval_rule,
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
                        policy.minutes_rule,
                        f"Action {number} ('{action.description[:60]}') needs {' and '.join(missing)} "
                        "before the minutes can be approved.",
                    )
    elif name == "circulate":
        roles_present = set(meeting.invitees.values_list("role", flat=True))
        for role in circulation_roles_for(meeting):
            if role not in roles_present:
                return RuleRefusal(
                    policy.circulation_rule,
                    f"The minutes must always go to the {participant_label(role).lower()}, "
                    "who is not on the list. Add them first.",
                )
    elif name == "close":
        for q in outcome_questions_for(meeting):
            answer = meeting.outcome_answers.get(q["key"])
            if q.get("required", True) and (answer is None or answer == ""):
                return RuleRefusal(policy.outcome_rule, f"Answer the question: {q['question']}")
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
                    policy.contract_rule,
                    f"The contract's notice period ({notice if notice is not None else 'not recorded'}"
                    f"{' days' if notice is not None else ''}) is below the "
                    f"{policy.minimum_notice_period_days} days the procedure expects.",
                )
            )
        if not placement.has_contingency_plan:
            flags.append(RuleRefusal(policy.contract_rule, "The contract has no contingency plan recorded."))
    today = timezone.localdate()
    for report in meeting.reports.all():
        if not report.is_received and report.due_on and report.due_on < today:
            flags.append(RuleRefusal(policy.report_rule, f"{report.label} was due on {_fmt(report.due_on)}."))
    return flags


def report_due(policy: MeetingType, report: dict, *, requested_on: date, meeting_on: date | None):
    """(due date, explanation) of a required report, or (None, '') until the meeting date is known."""
    from .deadlines import deadline_compute

    timing = report["timing"]
    days = report.get("days") or 0
    cal = policy.effective_calendar
    if timing == ReportTiming.WITH_REQUEST:
        return requested_on, "Attached to the request."
    if meeting_on is None:
        return None, ""
    direction = "before" if timing == ReportTiming.BEFORE_MEETING else "after"
    d = deadline_compute(
        anchor=meeting_on, days=days, unit=DayUnit.WORKING, direction=direction, calendar=cal
    )
    return d.due, d.explain()
