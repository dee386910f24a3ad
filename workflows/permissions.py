"""Who may press which button on a meeting: the ``permission=`` of each transition (django-fsm-2), and the
buttons a user sees, derived from those permissions (issue 15).

Each callable answers "may this person take this step at all?" from the policy's own checks
(workflows.policy); whether the step can go ahead now (every gate approved, a reason given, the right
people invited) is the transition's condition. The services still check every rule and refuse with a
reason: a button shown here is a guide, never the permission itself.

Nothing here imports the meeting models: they import this module to name each transition's permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from portal.choices import Role
from portal.selectors import user_is_read_only

from . import policy as rules_of
from .choices import ParticipantRole

if TYPE_CHECKING:
    from portal.models import User

    from .models import Meeting


def _writes(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not user_is_read_only(user)


def is_requester(meeting: Meeting, user: User) -> bool:
    """Who asked for the meeting, or the child's allocated social worker (P1, D7)."""
    return user.pk in {meeting.requested_by_id, meeting.child.social_worker_id}


def is_chair(meeting: Meeting, user: User) -> bool:
    return bool(meeting.chair_id) and meeting.chair_id == user.pk


def may_submit(meeting: Meeting, user: User) -> bool:
    """The requester sends the request, with what it needs attached (P1, P2)."""
    return _writes(user) and is_requester(meeting, user)


def may_decide(meeting: Meeting, user: User) -> bool:
    """Approve or decline: someone with a gate of the policy still to decide (P2, B1, D3)."""
    return _writes(user) and rules_of.approver_refusal(meeting, user) is None


def may_schedule(meeting: Meeting, user: User) -> bool:
    """The policy's scheduler roles, else anyone; the requester always (P3, P4, D7)."""
    roles = meeting.policy.scheduler_roles
    return _writes(user) and (not roles or user.role in roles or is_requester(meeting, user))


def may_record_held(meeting: Meeting, user: User) -> bool:
    return _writes(user) and (is_chair(meeting, user) or is_requester(meeting, user))


def may_write_minutes(meeting: Meeting, user: User) -> bool:
    """The meeting's chair, or its minute taker: invited as the minute taker, or a minute taker invited
    to the meeting or involved with the child (P6, D6, D9)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_chair(meeting, user):
        return True
    if "invitees" in getattr(meeting, "_prefetched_objects_cache", {}):  # the meeting page read them
        roles = {i.role for i in meeting.invitees.all() if i.user_id == user.pk}
        if ParticipantRole.MINUTE_TAKER in roles:
            return True
        if user.role != Role.MINUTE_TAKER:
            return False
        if roles:
            return True
    else:
        invitations = meeting.invitees.filter(user=user)
        if invitations.filter(role=ParticipantRole.MINUTE_TAKER).exists():
            return True
        if user.role != Role.MINUTE_TAKER:
            return False
        if invitations.exists():
            return True
    today = timezone.localdate()
    involved = meeting.child.involvements.filter(user=user).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return involved.exists()


def may_draft_minutes(meeting: Meeting, user: User) -> bool:
    return _writes(user) and may_write_minutes(meeting, user)


def may_approve_minutes(meeting: Meeting, user: User) -> bool:
    """The policy's minutes approver: the chair, the child's IRO or a named role (P6, D9)."""
    return _writes(user) and rules_of.minutes_approver_refusal(meeting, user) is None


def may_circulate(meeting: Meeting, user: User) -> bool:
    return _writes(user) and (is_chair(meeting, user) or user.role == Role.MINUTE_TAKER)


def may_close(meeting: Meeting, user: User) -> bool:
    return _writes(user) and is_chair(meeting, user)


def may_cancel(meeting: Meeting, user: User) -> bool:
    """The requester, the chair, or a manager of the child's team (G8)."""
    return _writes(user) and (
        is_requester(meeting, user)
        or is_chair(meeting, user)
        or rules_of.manages_childs_team(user, meeting.child)
    )


def may_record_provider_notice(meeting: Meeting, user: User) -> bool:
    """Not a transition: an agency placement whose provider may not give notice before the meeting (B3)."""
    return (
        _writes(user)
        and meeting.is_open
        and meeting.placement.is_agency
        and bool(meeting.policy.no_provider_notice_before_meeting)
    )


# The buttons (named after the services they run) that take each transition.
TRANSITION_BUTTONS = {
    "submit": ("report_attach", "meeting_submit"),
    "approve": ("meeting_approve",),
    "decline": ("meeting_decline",),
    "schedule": ("meeting_schedule",),
    "record_held": ("meeting_record_held",),
    "draft_minutes": ("minutes_record",),
    "approve_minutes": ("minutes_approve",),
    "circulate": ("minutes_circulate",),
    "close": ("meeting_close",),
    "cancel": ("meeting_cancel",),
}


def meeting_buttons(meeting: Meeting, user: User) -> list[str]:
    """The buttons this user sees on the meeting page: every transition out of the meeting's state
    whose ``permission=`` they hold (conditions are left to the service, which says what is missing),
    plus the provider-notice record where it applies."""
    if not _writes(user):
        return []
    permitted = {
        transition.name
        for transition in meeting.get_all_state_transitions()
        if transition.source in (meeting.state, "*") and transition.has_perm(meeting, user)
    }
    # in the order of the meeting's life, whatever order the state machine lists its transitions in
    buttons = [b for name, names in TRANSITION_BUTTONS.items() if name in permitted for b in names]
    if may_record_provider_notice(meeting, user):
        buttons.append("provider_notice_record")
    return buttons
