"""Who may request a meeting and what a request must hold (D1, B1, P1)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..rules import RuleRefusal
from .decision import case_decision, core_rule, role_label

if TYPE_CHECKING:
    from portal.models import Child, Placement, User

    from ..models import MeetingType
    from ..policy_engine import PolicyDecision


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
