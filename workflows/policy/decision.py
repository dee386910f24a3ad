"""The stored decision of a meeting and what reads it (issue 10), with the labels and the relationships
to the case that every other rule module uses.

`meeting_decision(meeting)` is the one reader of what the meeting type's rule lists decided for this
meeting (stored at the request); the readers below (invitees, reports, circulation, outcome questions,
follow-ups, case notes, notifications) return copies of its entries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from portal.choices import PlacementCategory, Role, TeamKind

from ..choices import Anchor, ParticipantRole
from ..fact_snapshot import blank_snapshot, fact_snapshot
from ..policy_engine import PolicyDecision, all_conditions, policy_evaluate, rule_lists

if TYPE_CHECKING:
    from portal.models import Child, Placement, User

    from ..models import Meeting, MeetingType
    from ..policy_engine import PolicyDecision

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
# Relationships to the case (chairs and approvers)
# --------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------
# The stored decision (issue 10): every rule below reads it, never the meeting type's lists directly
# --------------------------------------------------------------------------------------------------


def policy_anchors(policy: MeetingType) -> set[str]:
    """Every anchor the meeting type's timing entries count from (what the request form asks)."""

    return {e.get("anchor") or Anchor.CONCERN_RAISED for e in rule_lists(policy)["timing"]}


def _default_timing(policy: MeetingType) -> dict | None:

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

    today = on or timezone.localdate()
    snapshot = case_snapshot(policy, placement=placement, anchor_on=_anchor_guess(policy, placement, today))
    return policy_evaluate(policy, snapshot)


def meeting_decision(meeting: Meeting) -> PolicyDecision:
    """The decision stored at the request; a meeting from before issue 10 is evaluated and stored once."""

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
# Invitees, reports, minutes, circulation, outcomes
# --------------------------------------------------------------------------------------------------


def invitees_for(meeting: Meeting) -> list[dict]:
    return [dict(e) for e in meeting_decision(meeting).invitees]


def reports_for(policy: MeetingType, category: str | Placement) -> list[dict]:
    """The reports a placement needs (a placement, or for old callers a placement type alone)."""

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
