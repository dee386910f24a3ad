"""Approval (P2, B1, D3): the gates of the stored decision, who may decide at each, and the "waiting
for ..." words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.text import slugify

from ..choices import ApprovalGate, MeetingState
from ..choices import Decision as DecisionChoice
from ..rules import G8, RuleRefusal
from ..vocabularies import council_role_label
from .decision import _team_matches, manages_carers_team, manages_childs_team, meeting_decision, role_label

if TYPE_CHECKING:
    from portal.models import User

    from ..models import Meeting, ProcedurePack


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


def _approver_key(approver: dict) -> tuple[str, str]:
    return approver["role"], approver.get("council_role") or ""


def _fills(approval, approver: dict) -> bool:
    """Whether an approval row counts for an approver: the same role and, when the approver names a
    council role (issue 10), given by a holder of it."""
    if approval.role != approver["role"]:
        return False
    wanted = approver.get("council_role") or ""
    return not wanted or approval.by.council_role == wanted


def _gate_missing(gate: dict, approvals: list) -> list[list[dict]]:
    """Approvers still needed at one gate: [approvers] for any/count, one [approver] per missing one for
    all. Under "all", an approver naming a council role is filled only by a holder of it, and one
    approval fills one approver."""
    key = gate_key(gate)
    here = [a for a in approvals if a.gate == key]
    approvers: list[dict] = []
    for approver in gate["approvers"]:  # the same role and council role twice is one approver
        if all(_approver_key(a) != _approver_key(approver) for a in approvers):
            approvers.append(approver)
    need = gate.get("need") or "any"
    if need == "all":
        unused, missing = list(here), []
        for approver in sorted(approvers, key=lambda a: not a.get("council_role")):  # council roles first
            found = next((a for a in unused if _fills(a, approver)), None)
            if found is None:
                missing.append(approver)
            else:
                unused.remove(found)
        return [[a] for a in approvers if a in missing]
    wanted = int(gate.get("count") or 1) if need == "count" else 1
    return [approvers] if len(here) < wanted else []


def missing_approvals(meeting: Meeting) -> list[tuple[str, list[dict]]]:
    """(gate, approvers any one of whom may still approve) for every approval still needed. Each
    approver is its gate's entry: role, relationship and council role."""
    approvals = _approvals(meeting)
    return [(gate_key(g), approvers) for g in _gates(meeting) for approvers in _gate_missing(g, approvals)]


def approver_words(approver: dict, meeting: Meeting | None = None) -> str:
    """An approver as a sentence names them: the council's role when the approver names one (issue 10,
    Harrowfield's "head of service", in the words of the meeting's pack), else the built-in role."""
    key = approver.get("council_role") or ""
    if key:
        return (council_role_label(key, _pack(meeting) if meeting is not None else None) or key).lower()
    return role_label(approver["role"]).lower()


def describe_missing(missing: list[tuple[str, list[dict]]], meeting: Meeting | None = None) -> str:
    """The approvals still needed in words: "team manager and head of service"."""
    return " and ".join(
        " or ".join(dict.fromkeys(approver_words(a, meeting) for a in approvers))
        for _gate, approvers in missing
    )


def _pack(meeting: Meeting) -> ProcedurePack | None:
    return meeting.meeting_type.pack if meeting.meeting_type_id else None


def waiting_for(meeting: Meeting) -> str:
    """Who the request is still waiting for, in the words of the meeting's pack (P2, B1, D3)."""
    return describe_missing(missing_approvals(meeting), meeting)


def is_head_of_service(user: User, meeting: Meeting) -> bool:
    """The pack setting `head_of_service_role` names the role (built-in or the council's) heading it."""
    role = meeting.meeting_type.pack.setting("head_of_service_role") if meeting.meeting_type_id else ""
    return bool(role) and role in {user.role, user.council_role}


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
        if any(a["role"] == by.role for approvers in _gate_missing(gate, approvals) for a in approvers):
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
            f"the {describe_missing(waiting, meeting) or 'other approver'} must be someone else.",
        )
    if not gates:
        who = describe_missing(waiting, meeting) or "nobody"
        return RuleRefusal(waiting_rule, f"You cannot decide this request: it is waiting for the {who}.")
    gate = next(g for g in _gates(meeting) if gate_key(g) == gates[0])
    # The approvers still needed at the gate in `by`'s role: a slot already filled is not theirs to fill.
    mine = [
        a for missing in _gate_missing(gate, _approvals(meeting)) for a in missing if a["role"] == by.role
    ]
    if mine and not any(approver_council_role_holds(by, a) for a in mine):
        key = next(a["council_role"] for a in mine if a.get("council_role"))
        label = (council_role_label(key, _pack(meeting)) or key).lower()
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
