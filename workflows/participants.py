"""Who may take part in a meeting: chairs the policy allows and the invitees it names (P4, P5, B5, B8,
D5, D6), read from the meeting's stored policy decision (issue 10)."""

from __future__ import annotations

from dataclasses import dataclass

from portal.models import User

from . import policy as rules_of
from .choices import ParticipantRole, Requirement
from .models import Meeting


@dataclass(frozen=True)
class ChairCandidate:
    user: User
    eligible: bool
    reason: str
    preferred: bool


def eligible_chairs(meeting: Meeting) -> list[ChairCandidate]:
    """Everyone whose role may chair this meeting, each with whether they may and why not (P4, B5, D5).

    Preferred chairs (B5: the child's own team) come first, then the other eligible ones.
    """
    roles = rules_of.chair_candidate_roles(meeting)
    users = User.objects.filter(is_active=True).select_related("team")
    if roles:
        users = users.filter(role__in=roles)
    conflicts = (
        rules_of.independence_conflicts(meeting) if rules_of.chair_must_be_independent(meeting) else {}
    )
    candidates = []
    for user in users:
        refusal = rules_of.chair_refusal(meeting, user, conflicts)
        candidates.append(
            ChairCandidate(
                user=user,
                eligible=refusal is None,
                reason=str(refusal) if refusal else "",
                preferred=refusal is None and rules_of.chair_is_preferred(meeting, user),
            )
        )
    candidates.sort(key=lambda c: (not c.eligible, not c.preferred, c.user.last_name, c.user.first_name))
    return candidates


def invitee_suggestions(meeting: Meeting) -> list[dict]:
    """The policy's invitee roles filled from the case record where it knows the person (P5, D6, B8)."""
    child = meeting.child
    placement = meeting.placement
    household = placement.carer_household
    known = {
        ParticipantRole.SOCIAL_WORKER: child.social_worker,
        ParticipantRole.IRO: child.iro,
        ParticipantRole.SOCIAL_WORKER_MANAGER: child.team.manager if child.team_id else None,
        ParticipantRole.SUPERVISING_SOCIAL_WORKER: household.supervising_social_worker if household else None,
        ParticipantRole.CHAIR: meeting.chair,
    }
    names = {
        ParticipantRole.CHILD: child.full_name,
        ParticipantRole.FOSTER_CARER: household.name if household else "",
        ParticipantRole.CURRENT_CARER: household.name if household else "",
        ParticipantRole.HOME_MANAGER: placement.home.manager_name if placement.home_id else "",
    }
    rows = []
    for spec in rules_of.invitees_for(meeting):
        role = spec["role"]
        user = known.get(role)
        rows.append(
            {
                "role": role,
                "role_label": rules_of.participant_label(role),
                "requirement": spec["requirement"],
                "requirement_label": Requirement(spec["requirement"]).label,
                "may_attend_part": bool(spec.get("may_attend_part")),
                "user": user,
                "name": str(user) if user else names.get(role, ""),
                "email": user.email if user else "",
                "note": spec.get("note") or "",
            }
        )
    return rows
