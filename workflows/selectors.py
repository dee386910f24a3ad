"""Everything that reads meetings for a user. A selector returns only what that user may see."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Revision

from portal.choices import MANAGER_ROLES, Role
from portal.models import User
from portal.selectors import sees_every_child, visible_child_id_branches

from . import policy as rules_of
from .choices import ACTIVE_ACTION_STATUSES, MeetingState
from .models import Action, Invitee, Meeting, MeetingType
from .participants import ChairCandidate, eligible_chairs, invitee_suggestions  # noqa: F401 (moved)


def gate_roles(mt: MeetingType, *, late: bool) -> set[str]:
    """Roles approving at the type's gates: late=True those of gates only for late requests (D3)."""
    roles: set[str] = set()
    for row in mt.gates:
        gate = row.value
        only_late = "meeting.requested_late" in str(
            row.block.child_blocks["when"].get_prep_value(gate["when"])
        )
        if only_late == late:
            roles |= {a["role"] for a in gate["approvers"]}
    return roles


def _types_where(predicate, types: list[MeetingType] | None = None) -> list[int]:
    types = list(MeetingType.objects.all()) if types is None else types
    return [mt.pk for mt in types if predicate(mt)]


def sees_all_meetings(user: User) -> bool:
    """Auditors (and superusers) see every meeting: callers can skip the scope filter altogether."""
    return sees_every_child(user)


def _ids(queryset: QuerySet, field: str = "pk") -> QuerySet:
    return queryset.order_by().values(field)


def _union(branches: list[QuerySet]) -> QuerySet:
    """UNION ALL of id queries: each branch is one index lookup, a repeat costs nothing under IN."""
    first, *rest = branches
    return first.union(*rest, all=True) if rest else first


def _linked_meeting_branches(user: User) -> list[QuerySet]:
    """Meetings the user is linked to directly, whoever the child: they chair it, asked for it, are
    invited to it, or their role decides on its type (approvers, late approvers: P2, B1, D3) or
    collates it each quarter (practice development, D12)."""
    branches = [
        _ids(Meeting.objects.filter(chair_id=user.pk)),
        _ids(Meeting.objects.filter(requested_by_id=user.pk)),
        _ids(Invitee.objects.filter(user_id=user.pk), "meeting_id"),
    ]
    fields = ("pk", "gates", "quarterly_collation")
    types = list(MeetingType.objects.only(*fields))
    if user.role not in MANAGER_ROLES:  # managers decide on their teams' children's meetings
        approver_types = _types_where(lambda mt: user.role in gate_roles(mt, late=False), types)
        if approver_types:
            branches.append(_ids(Meeting.objects.filter(meeting_type_id__in=approver_types)))
    late_types = _types_where(lambda mt: user.role in gate_roles(mt, late=True), types)
    if late_types:
        branches.append(_ids(Meeting.objects.filter(meeting_type_id__in=late_types, is_late=True)))
    if user.role == Role.PRACTICE_DEVELOPMENT_MANAGER:
        collated = _types_where(lambda mt: mt.quarterly_collation, types)
        if collated:
            branches.append(_ids(Meeting.objects.filter(meeting_type_id__in=collated)))
    return branches


def visible_meeting_ids(user: User, *, today: date | None = None) -> QuerySet:
    """The ids of the meetings the user may see, as a UNION ALL of indexed branches: meetings about
    the children they may see (the access table, portal.selectors) and the meetings they are linked
    to directly. No DISTINCT and no OR across joins, so each branch is an index scan."""
    today = today or timezone.localdate()
    children = [_ids(Meeting.objects.filter(child_id__in=b)) for b in visible_child_id_branches(user, today)]
    return _union(children + _linked_meeting_branches(user))


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    """Meetings about children the user may see, plus those they decide on, chair or attend."""
    base = Meeting.objects.select_related("meeting_type", "child", "placement", "chair", "requested_by")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if sees_all_meetings(user):
        return base.all()
    return base.filter(pk__in=visible_meeting_ids(user))


def actions_for_user_scope(user: User, *, today: date | None = None) -> QuerySet[Action]:
    """Every action the user may see: those of the meetings they may see (through the action's child,
    which is always its meeting's child, or a direct link to the meeting), their own, and, for IROs,
    their children's (D11), which the access table already gives them. One UNION ALL of indexed
    branches; auditors and superusers see every action."""
    if not getattr(user, "is_authenticated", False):
        return Action.objects.none()
    if sees_all_meetings(user):
        return Action.objects.all()
    today = today or timezone.localdate()
    branches = [_ids(Action.objects.filter(child_id__in=b)) for b in visible_child_id_branches(user, today)]
    branches += [_ids(Action.objects.filter(meeting_id__in=b)) for b in _linked_meeting_branches(user)]
    branches.append(_ids(Action.objects.filter(owner_id=user.pk)))
    return Action.objects.filter(pk__in=_union(branches))


def meeting_for_user(user: User, pk: int) -> Meeting:
    """One meeting, or Meeting.DoesNotExist (a view turns it into 404) when the user may not see it."""
    return meetings_for_user(user).get(pk=pk)


def approval_queue_for_user(user: User) -> list[Meeting]:
    """Requests waiting for a decision this user may make now (P2, B1, D3), oldest first."""
    waiting = list(
        meetings_for_user(user)
        .filter(state=MeetingState.AWAITING_APPROVAL)
        # the meeting type as one shared object (prefetched) rather than its columns parsed per row
        .select_related(None)
        .select_related("child__team", "placement", "chair", "requested_by")
        .prefetch_related("approvals", "meeting_type")
        .order_by("requested_at", "pk")
    )
    # Meetings requested under the same published revision share one policy: read each revision once
    # (as_object() parses the revision's JSON, which a manager's queue would otherwise do per meeting).
    revisions = Revision.objects.in_bulk({m.policy_revision_id for m in waiting})
    policies = {pk: revision.as_object() for pk, revision in revisions.items()}
    for m in waiting:
        m.__dict__["policy"] = policies[m.policy_revision_id]
    return [m for m in waiting if rules_of.approver_refusal(m, user) is None]


def actions_for_iro(user: User) -> QuerySet[Action]:
    """Open actions for the children this IRO reviews, to track to completion (D11)."""
    return (
        Action.objects.filter(child__iro=user, status__in=ACTIVE_ACTION_STATUSES)
        .select_related("meeting", "child", "owner")
        .order_by("due_on", "pk")
    )


def actions_for_user(user: User) -> QuerySet[Action]:
    return Action.objects.filter(owner=user, status__in=ACTIVE_ACTION_STATUSES).select_related(
        "meeting", "child"
    )


def meeting_history(meeting: Meeting):
    return meeting.history.select_related("by").order_by("at", "pk")
