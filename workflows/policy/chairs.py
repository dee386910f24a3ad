"""Who may chair (P4, B5, D5): the chair entry of the stored decision and the independence checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.models import Involvement

from ..rules import RuleRefusal
from .decision import _team_matches, manages_childs_team, meeting_decision

if TYPE_CHECKING:
    from portal.models import User

    from ..models import Meeting


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
    child = meeting.child
    conflicts: dict[int, str] = {}
    earlier = child.meetings.exclude(pk=meeting.pk)
    invitees = meeting.invitees.model.objects  # through the relation: the models import this module
    for user_id in invitees.filter(meeting__in=earlier, user__isnull=False).values_list("user_id", flat=True):
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
