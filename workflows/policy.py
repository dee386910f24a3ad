"""The rule kinds of the engine, reading their values from a meeting type's published revision.

Every check returns a `RuleRefusal` (rule ID + sentence) or None; services raise what they get.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.text import slugify

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
from .vocabularies import council_role_label

if TYPE_CHECKING:
    from portal.models import Child, Placement, User

    from .models import Meeting, MeetingType
    from .policy_engine import PolicyDecision

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


def local_date(value: datetime | date) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _fmt(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def core_rule(policy: MeetingType, topic: str) -> str:
    """The procedure reference of a core setting (request, scheduler, minutes, contract, notice...)."""
    return str((policy.rule_references or {}).get(topic) or "")


# --------------------------------------------------------------------------------------------------
# The stored decision (issue 10): every rule below reads it, never the meeting type's lists directly
# --------------------------------------------------------------------------------------------------


def policy_anchors(policy: MeetingType) -> set[str]:
    """Every anchor the meeting type's timing entries count from (what the request form asks)."""
    from .policy_engine import rule_lists

    return {e.get("anchor") or Anchor.CONCERN_RAISED for e in rule_lists(policy)["timing"]}


def _default_timing(policy: MeetingType) -> dict | None:
    from .policy_engine import rule_lists

    entries = rule_lists(policy)["timing"]
    return next((e for e in entries if not e.get("when")), entries[0] if entries else None)


def case_snapshot(
    policy: MeetingType,
    *,
    placement: Placement,
    anchor_on: date,
    request: Any = None,
    meeting: Meeting | None = None,
) -> dict:
    from .fact_snapshot import fact_snapshot
    from .policy_engine import all_conditions

    return fact_snapshot(
        child=placement.child,
        placement=placement,
        anchor_on=anchor_on,
        request=request,
        meeting=meeting,
        conditions=all_conditions(policy),
    )


def _anchor_guess(policy: MeetingType, placement: Placement, today: date) -> date:
    timing = _default_timing(policy)
    if timing and timing.get("anchor") == Anchor.PLACEMENT_ENDED and placement.end_date:
        return min(placement.end_date, today) if placement.end_date > today else placement.end_date
    return today


def case_decision(policy: MeetingType, placement: Placement, *, on: date | None = None) -> PolicyDecision:
    """What the policy says about a placement before any request (e.g. which placements are eligible)."""
    from .policy_engine import policy_evaluate

    today = on or timezone.localdate()
    snapshot = case_snapshot(policy, placement=placement, anchor_on=_anchor_guess(policy, placement, today))
    return policy_evaluate(policy, snapshot)


def meeting_decision(meeting: Meeting) -> PolicyDecision:
    """The decision stored at the request; a meeting from before issue 10 is evaluated and stored once."""
    from .policy_engine import PolicyDecision, policy_evaluate

    if meeting.decision:
        cached = meeting.__dict__.get("_decision_cache")
        if cached is not None and cached[0] is meeting.decision:
            return cached[1]
        decision = PolicyDecision.from_json(meeting.decision)
        meeting.__dict__["_decision_cache"] = (meeting.decision, decision)
        return decision
    policy = meeting.policy
    anchor_on = meeting.anchor_on or local_date(meeting.requested_at or timezone.now())
    snapshot = case_snapshot(policy, placement=meeting.placement, anchor_on=anchor_on, meeting=meeting)
    decision = policy_evaluate(policy, snapshot)
    meeting.facts, meeting.decision = snapshot, decision.as_json()
    if meeting.pk:
        type(meeting).objects.filter(pk=meeting.pk).update(facts=snapshot, decision=meeting.decision)
    return decision


def _timing(meeting: Meeting) -> dict:
    return meeting_decision(meeting).timing or {}


# --------------------------------------------------------------------------------------------------
# Requesting (D1, B1, P1)
# --------------------------------------------------------------------------------------------------


def decision_refusal(decision: PolicyDecision) -> RuleRefusal | None:
    if decision.refusals:
        first = decision.refusals[0]
        return RuleRefusal(first.get("rule") or "", first["message"])
    return None


def eligibility_refusal(policy: MeetingType, placement: Placement) -> RuleRefusal | None:
    """Why the meeting is not held for this placement (eligibility and exclusions), or None."""
    return decision_refusal(case_decision(policy, placement))


def requester_refusal(policy: MeetingType, *, child: Child, by: User) -> RuleRefusal | None:
    rule = core_rule(policy, "request")
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
    rule = core_rule(policy, "request")
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
ANCHOR_LABELS = {
    "concern_raised": "The date the concern was raised",
    "notification": "The date the risk was notified",
    "placement_ended": "The date the placement ended",
    "requested": "The date the meeting was requested",
    "decision_made": "The date the decision was recorded",
    "order_made": "The date the legal order was made",
    "future_event": "The date of the event",
}


def anchor_date(
    policy: MeetingType,
    *,
    placement: Placement | None,
    concern_raised_on: date | None,
    notified_on: date | None,
    requested_on: date,
    timing: dict | None = None,
) -> tuple[date | None, RuleRefusal | None]:
    """The date the meeting's timescale counts from (G2), or why it cannot be used.

    An anchor is something that has happened: a date after the request (the concern "raised" seven
    months from now, a placement that "ended" next week) is refused, so it can never move the deadline
    (P3, D2, B1). `timing` is the timing entry that applies (the policy's default entry if not given).
    """
    timing = timing if timing is not None else (_default_timing(policy) or {})
    anchor = timing.get("anchor") or Anchor.REQUESTED
    timing_rule = timing.get("rule") or ""
    rule = timing_rule or G3
    if anchor == Anchor.CONCERN_RAISED:
        if not concern_raised_on:
            return None, RuleRefusal(G3, "Enter the date the concern was raised.", field="concern_raised_on")
        value = concern_raised_on
    elif anchor == Anchor.NOTIFICATION:
        if not notified_on:
            return None, RuleRefusal(
                timing_rule, "Enter the date the risk of breakdown was notified.", field="notified_on"
            )
        value = notified_on
    elif anchor == Anchor.PLACEMENT_ENDED:
        if placement is None:
            return None, None  # the placement itself is missing: reported on its own
        if not placement.end_date:
            return None, RuleRefusal(
                timing_rule, "Record the date the placement ended first.", field="placement"
            )
        value = placement.end_date
    elif anchor == "order_made":
        if placement is None:
            return None, None
        if not getattr(placement, "legal_order_on", None):
            return None, RuleRefusal(
                timing_rule, "Record the date of the legal order first.", field="placement"
            )
        value = placement.legal_order_on
    else:
        return requested_on, None
    if value > requested_on:
        field, label = ANCHOR_FIELDS.get(anchor, ("placement", ANCHOR_LABELS.get(anchor, "The date")))
        if anchor == Anchor.PLACEMENT_ENDED:
            message = (
                f"The placement's end date ({_fmt(value)}) is in the future. A meeting about a placement "
                "ending is requested once it has ended."
            )
        else:
            message = f"{label} must be today or in the past."
        return None, RuleRefusal(rule, message, field=field)
    return value, None


def _bound(anchor: date, n: int, timing: dict, calendar: str):
    from .deadlines import bound_deadline

    return bound_deadline(
        anchor,
        int(n),
        timing.get("unit") or "working",
        calendar=calendar,
        direction=timing.get("direction") or "after",
        roll=timing.get("roll") or "none",
    )


UNIT_WORDS = {
    "working": "working days",
    "calendar": "calendar days",
    "weeks": "weeks",
    "months": "calendar months",
}


def timing_window(timing: dict | None, anchor_on: date, *, calendar: str, is_late: bool = False) -> Window:
    """The dates the meeting may be held on under one timing entry, each able to explain itself (G2)."""
    timing = timing or {}
    anchor_label = (
        ANCHOR_LABELS.get(timing.get("anchor") or "", "the anchor date").lower().removeprefix("the ")
    )
    if is_late:
        return Window(
            anchor_on,
            None,
            None,
            f"Requested after day {timing.get('late_after')} from {anchor_label} ({_fmt(anchor_on)}): "
            "no window applies; the late-request approvers agreed to go ahead.",
        )
    parts = []
    earliest = due = None
    if timing.get("earliest") is not None:
        d = _bound(anchor_on, timing["earliest"], timing, calendar)
        earliest = d.due
        parts.append(f"Earliest: {d.explain()}")
    if timing.get("latest") is not None:
        d = _bound(anchor_on, timing["latest"], timing, calendar)
        due = d.due
        parts.append(f"Latest: {d.explain()}" if earliest else d.explain())
    header = f"Counted in {UNIT_WORDS.get(timing.get('unit') or 'working', 'days')} from {anchor_label}."
    if (timing.get("direction") or "after") == "before":
        header = (
            f"Counted in {UNIT_WORDS.get(timing.get('unit') or 'working', 'days')} back from {anchor_label}."
        )
    if timing.get("explanation"):
        parts.append(timing["explanation"])
    return Window(anchor_on, earliest, due, " ".join([header, *parts]))


def meeting_window(
    policy: MeetingType, anchor_on: date, *, is_late: bool = False, timing: dict | None = None
) -> Window:
    """The dates the meeting may be held on, each able to explain itself (G2)."""
    timing = timing if timing is not None else _default_timing(policy)
    return timing_window(timing, anchor_on, calendar=policy.effective_calendar, is_late=is_late)


def timing_is_late(timing: dict | None, anchor_on: date | None, requested_on: date, calendar: str) -> bool:
    if not timing or timing.get("late_after") is None or anchor_on is None:
        return False
    return requested_on > _bound(anchor_on, timing["late_after"], timing, calendar).due


def request_is_late(
    policy: MeetingType, anchor_on: date, requested_on: date, *, timing: dict | None = None
) -> bool:
    """D3: a request made after the policy's late day needs the late-request approvers."""
    timing = timing if timing is not None else _default_timing(policy)
    return timing_is_late(timing, anchor_on, requested_on, policy.effective_calendar)


# --------------------------------------------------------------------------------------------------
# Approval (P2, B1, D3): the gates of the stored decision
# --------------------------------------------------------------------------------------------------


def gate_key(gate: dict) -> str:
    """The code an approval row stores for a gate: the built-in ones keep theirs (request, late_request)."""
    for value, label in ApprovalGate.choices:
        if gate.get("name") == label:
            return value
    return (slugify(gate.get("name") or "gate").replace("-", "_") or "gate")[:20]


def gate_label(key: str, meeting: Meeting | None = None) -> str:
    if meeting is not None:
        for gate in meeting_decision(meeting).gates:
            if gate_key(gate) == key:
                return gate["name"]
    try:
        return ApprovalGate(key).label
    except ValueError:
        return key


def _gates(meeting: Meeting) -> list[dict]:
    return list(meeting_decision(meeting).gates)


def required_gates(meeting: Meeting) -> list[tuple[str, list[str], bool]]:
    """(gate, roles, every_role_needed) of every gate that applies to this meeting."""
    return [
        (gate_key(g), [a["role"] for a in g["approvers"]], g.get("need") == "all") for g in _gates(meeting)
    ]


def _approvals(meeting: Meeting) -> list:
    return [a for a in meeting.approvals.all() if a.decision == DecisionChoice.APPROVED]


def _gate_missing(gate: dict, approvals: list) -> list[list[str]]:
    """Role lists still needed at one gate: [roles] for any/count, one [role] per missing one for all."""
    key = gate_key(gate)
    here = [a for a in approvals if a.gate == key]
    roles = [a["role"] for a in gate["approvers"]]
    need = gate.get("need") or "any"
    if need == "all":
        done = {a.role for a in here}
        return [[r] for r in dict.fromkeys(roles) if r not in done]
    wanted = int(gate.get("count") or 1) if need == "count" else 1
    return [list(dict.fromkeys(roles))] if len(here) < wanted else []


def missing_approvals(meeting: Meeting) -> list[tuple[str, list[str]]]:
    """(gate, roles any one of whom may still approve) for every approval still needed."""
    approvals = _approvals(meeting)
    return [(gate_key(g), roles) for g in _gates(meeting) for roles in _gate_missing(g, approvals)]


def describe_missing(missing: list[tuple[str, list[str]]]) -> str:
    return " and ".join(" or ".join(role_label(r).lower() for r in roles) for _gate, roles in missing)


def manages_childs_team(user: User, child: Child) -> bool:
    if not child.team_id:
        return False
    return user.team_id == child.team_id or child.team.manager_id == user.pk


def manages_carers_team(user: User, placement: Placement | None) -> bool:
    """A manager of the team supervising the placement's carer household (its supervising social worker's)."""
    household = getattr(placement, "carer_household", None) if placement is not None else None
    worker = getattr(household, "supervising_social_worker", None) if household is not None else None
    team = getattr(worker, "team", None) if worker is not None else None
    if team is None:
        return False
    return team.manager_id == user.pk or (user.team_id == team.pk and user.pk != worker.pk)


def is_head_of_service(user: User, meeting: Meeting) -> bool:
    """The pack setting `head_of_service_role` names the role (built-in or the council's) heading it."""
    role = meeting.meeting_type.pack.setting("head_of_service_role") if meeting.meeting_type_id else ""
    return bool(role) and user.role == role


def relationship_holds(user: User, relationship: str, meeting: Meeting) -> bool:
    if relationship in {"", "any", None}:
        return True
    if relationship == "child_team_manager":
        return manages_childs_team(user, meeting.child)
    if relationship == "carers_supervising_team_manager":
        return manages_carers_team(user, meeting.placement)
    if relationship == "service_team":
        return _team_matches(user, "service_team", meeting)
    if relationship == "head_of_service":
        return is_head_of_service(user, meeting)
    return False


RELATIONSHIP_WORDS = {
    "child_team_manager": "a manager of the child's own team",
    "carers_supervising_team_manager": "a manager of the carers' supervising team",
    "service_team": "someone from the fostering or residential service looking after the placement",
    "head_of_service": "the head of service",
}


def approver_gates(meeting: Meeting, by: User) -> list[str]:
    """The gate `by` may decide on now: at most one.

    One person fills one gate of a meeting, once: whoever has already decided at a gate cannot decide
    at another that needs different people, and one approval never counts for two gates (P2, D3).
    The requester decides no gate.
    """
    if by.pk == meeting.requested_by_id:
        return []
    earlier = [a for a in meeting.approvals.all() if a.by_id == by.pk]
    approvals = _approvals(meeting)
    found = []
    for gate in _gates(meeting):
        key = gate_key(gate)
        if earlier and (gate.get("different_people", True) or any(a.gate == key for a in earlier)):
            continue
        if any(by.role in roles for roles in _gate_missing(gate, approvals)):
            found.append(key)
    return found[:1]


def _gate_rule(meeting: Meeting, keys: list[str] | None = None) -> str:
    gates = _gates(meeting)
    if keys:
        gates = [g for g in gates if gate_key(g) in keys] or gates
    return next((g.get("rule") for g in gates if g.get("rule")), "")


def approver_refusal(meeting: Meeting, by: User) -> RuleRefusal | None:
    if meeting.state != MeetingState.AWAITING_APPROVAL:
        return RuleRefusal(
            _gate_rule(meeting) or G8,
            f"This request is {meeting.get_state_display().lower()}: there is nothing to approve.",
        )
    waiting = missing_approvals(meeting)
    waiting_rule = _gate_rule(meeting, [g for g, _ in waiting][-1:])
    if by.pk == meeting.requested_by_id:
        return RuleRefusal(waiting_rule, "You made this request, so someone else must decide it.")
    earlier = next((a for a in meeting.approvals.all() if a.by_id == by.pk), None)
    gates = approver_gates(meeting, by)
    if earlier is not None and not gates:
        return RuleRefusal(
            waiting_rule,
            f"You have already {earlier.get_decision_display().lower()} this request "
            f"({gate_label(earlier.gate, meeting).lower()}); "
            f"the {describe_missing(waiting) or 'other approver'} must be someone else.",
        )
    if not gates:
        who = describe_missing(waiting) or "nobody"
        return RuleRefusal(waiting_rule, f"You cannot decide this request: it is waiting for the {who}.")
    gate = next(g for g in _gates(meeting) if gate_key(g) == gates[0])
    mine = [a for a in gate["approvers"] if a["role"] == by.role]
    if mine and not any(approver_council_role_holds(by, a) for a in mine):
        key = next(a["council_role"] for a in mine if a.get("council_role"))
        label = (council_role_label(key, meeting.meeting_type.pack) or key).lower()
        return RuleRefusal(
            gate.get("rule") or "",
            f"Only someone whose council role is {label} can decide this request; yours is not.",
        )
    mine = [a for a in mine if approver_council_role_holds(by, a)]
    if mine and not any(relationship_holds(by, a.get("relationship") or "any", meeting) for a in mine):
        who = RELATIONSHIP_WORDS.get(mine[0].get("relationship"), "the right person")
        return RuleRefusal(gate.get("rule") or "", f"Only {who} can decide this request.")
    return None


def approver_council_role_holds(user: User, approver: dict) -> bool:
    """An approver naming a council role (issue 10) matches only a person whose council_role is that key."""
    wanted = approver.get("council_role") or ""
    return not wanted or user.council_role == wanted


def decline_needs_reason(meeting: Meeting) -> bool:
    gates = _gates(meeting)
    return any(g.get("decline_needs_reason", True) for g in gates) if gates else True


# --------------------------------------------------------------------------------------------------
# Chair (P4, B5, D5): the chair entry of the stored decision
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
    chair = meeting_decision(meeting).chair
    return [chair] if chair else []


def _chair_allowed(user: User, rule: dict, meeting: Meeting) -> bool:
    if rule.get("roles") and user.role not in rule["roles"]:
        return False
    kinds = user.team.kind_keys if user.team_id else set()  # built-in and the council's own kind
    if rule.get("team_kinds") and not kinds & set(rule["team_kinds"]):
        return False
    return _team_matches(user, rule.get("team_scope") or "any", meeting)


def chair_exclusion(meeting: Meeting, user: User, rule: dict, conflicts: dict[int, str] | None = None) -> str:
    """Why the chair rule's exclusions rule `user` out, or ''."""
    exclude = set(rule.get("exclude") or [])
    child = meeting.child
    if "not_childs_iro" in exclude and child.iro_id == user.pk:
        return f"{user} is the child's own IRO; the chair must be someone else."
    if "not_case_manager" in exclude and (
        child.social_worker_id == user.pk or (child.team_id and child.team.manager_id == user.pk)
    ):
        return f"{user} manages the child's case; the chair must be someone else."
    if (
        "not_from_team_kinds" in exclude
        and user.team_id
        and user.team.kind_keys & set(rule.get("excluded_team_kinds") or [])
    ):
        service = user.team.get_kind_display().lower()
        return f"{user} is from the {service}; the chair must come from another service."
    if "no_earlier_involvement" in exclude:
        return independence_conflict(meeting, user, conflicts)
    return ""


def chair_refusal(
    meeting: Meeting, user: User, conflicts: dict[int, str] | None = None
) -> RuleRefusal | None:
    """Why `user` may not chair this meeting, or None (P4, B5, D5)."""
    for rule in chair_rules_for(meeting):
        if not _chair_allowed(user, rule, meeting):
            return RuleRefusal(
                rule.get("rule") or "", rule.get("explanation") or "This person may not chair."
            )
        why = chair_exclusion(meeting, user, rule, conflicts)
        if why:
            return RuleRefusal(rule.get("rule") or "", why)
    return None


def chair_must_be_independent(meeting: Meeting) -> bool:
    return any("no_earlier_involvement" in (r.get("exclude") or []) for r in chair_rules_for(meeting))


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
    prefer = any(r.get("prefer_child_team") for r in chair_rules_for(meeting))
    return prefer and manages_childs_team(user, meeting.child)


def chair_candidate_roles(meeting: Meeting) -> set[str]:
    roles: set[str] = set()
    for r in chair_rules_for(meeting):
        roles.update(r["roles"])
    return roles


# --------------------------------------------------------------------------------------------------
# Invitees, reports, minutes, circulation, outcomes
# --------------------------------------------------------------------------------------------------


def invitees_for(meeting: Meeting) -> list[dict]:
    return [dict(e) for e in meeting_decision(meeting).invitees]


def reports_for(policy: MeetingType, category: str | Placement) -> list[dict]:
    """The reports a placement needs (a placement, or for old callers a placement type alone)."""
    from .fact_snapshot import blank_snapshot
    from .policy_engine import policy_evaluate

    if isinstance(category, str):
        snapshot = blank_snapshot()
        snapshot["placement"]["type"] = category
        return list(policy_evaluate(policy, snapshot).reports)
    return list(case_decision(policy, category).reports)


def meeting_reports_for(meeting: Meeting) -> list[dict]:
    return [dict(e) for e in meeting_decision(meeting).reports]


def circulation_roles_for(meeting: Meeting) -> list[str]:
    return [e["role"] for e in meeting_decision(meeting).circulation]


def circulation_rule(meeting: Meeting) -> str:
    return next((e.get("rule") for e in meeting_decision(meeting).circulation if e.get("rule")), "")


def outcome_questions_for(meeting: Meeting) -> list[dict]:
    return [dict(e) for e in meeting_decision(meeting).outcome_questions]


def follow_ups_for(meeting: Meeting) -> list[dict]:
    return [dict(e) for e in meeting_decision(meeting).follow_ups]


def case_notes_for(meeting: Meeting) -> list[dict]:
    return [dict(e) for e in meeting_decision(meeting).case_notes]


def notifications_for(meeting: Meeting, event: str) -> list[dict]:
    return [dict(e) for e in meeting_decision(meeting).notifications if e.get("event") == event]


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
    timing = _timing(meeting)
    timing_rule = timing.get("rule") or ""
    if meeting.anchor_on and day < meeting.anchor_on and (timing.get("direction") or "after") == "after":
        anchor_label = ANCHOR_LABELS.get(timing.get("anchor") or "", "The anchor date")
        return RuleRefusal(
            timing_rule,
            f"The meeting date must be on or after {anchor_label[0].lower()}{anchor_label[1:]} "
            f"({_fmt(meeting.anchor_on)}).",
            field="day",
        )
    if meeting.earliest_on and day < meeting.earliest_on:
        return RuleRefusal(
            timing_rule,
            f"The meeting cannot be held before {_fmt(meeting.earliest_on)}. {meeting.deadline_explanation}",
            field="day",
        )
    if meeting.due_on and day > meeting.due_on and timing.get("hard"):
        return RuleRefusal(
            timing_rule,
            f"The meeting must be held by {_fmt(meeting.due_on)}: the procedure allows no later date.",
            field="day",
        )
    if meeting.due_on and day > meeting.due_on and not late_reason.strip():
        return RuleRefusal(
            timing_rule,
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
        return RuleRefusal(core_rule(policy, "minutes_approval"), f"Only {who} can approve these minutes.")
    return None


def transition_refusal(meeting: Meeting, name: str) -> RuleRefusal | None:
    """State-independent rule checks behind each transition's condition."""
    policy = meeting.policy
    if name == "approve":
        missing = missing_approvals(meeting)
        if missing:
            who = describe_missing(missing)
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
