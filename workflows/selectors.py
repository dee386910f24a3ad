"""Everything that reads meetings for a user. A selector returns only what that user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.choices import MANAGER_ROLES, Role
from portal.models import User
from portal.selectors import sees_every_child, visible_child_id_branches, wide_scope

from . import policy as rules_of
from .choices import ACTIVE_ACTION_STATUSES, MeetingState
from .conditions import condition_requires
from .models import Action, Invitee, Meeting, MeetingApproval, MeetingType
from .policy_engine import meeting_type_vocabularies, rule_list
from .revisions import parsed_revisions

LATE = "meeting.requested_late"


def gate_lateness(mt: MeetingType, gate: dict) -> bool | None:
    """Which requests a gate of the type (a plain entry, `policy_engine.rule_list`) can apply to (D3):
    True only late ones, False only those made in time, None either. Read from the gate's condition
    (`conditions.condition_requires`), never its text; the meeting's stored decision says whether it
    applied to that meeting."""
    when = gate.get("when") or None
    if when is None:
        return None
    vocabularies = meeting_type_vocabularies(mt)
    if condition_requires(when, LATE, True, vocabularies):
        return True
    if condition_requires(when, LATE, False, vocabularies):
        return False
    return None


def gate_approvers(mt: MeetingType) -> list[tuple[dict, bool | None]]:
    """Every approver at the type's gates (role, relationship, council role) with the lateness of the
    requests their gate can apply to (`gate_lateness`)."""
    found = []
    for gate in rule_list(mt, "gates"):
        late = gate_lateness(mt, gate)
        found += [(approver, late) for approver in gate.get("approvers") or []]
    return found


def approver_lateness(user: User, mt: MeetingType) -> set[bool | None]:
    """The lateness of the requests of this type `user` may approve at some gate (P2, B1, D3): their role
    is the approver's, and so is their council role when the approver names one (a plain quality and
    review manager is not Harrowfield's head of service)."""
    return {
        late
        for approver, late in gate_approvers(mt)
        if approver.get("role") == user.role and rules_of.approver_council_role_holds(user, approver)
    }


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


@dataclass(frozen=True)
class _Link:
    """One way a user is linked to meetings directly, in the two forms the lists read it in."""

    ids: QuerySet  # the meetings' ids: one index lookup, a branch of a UNION ALL
    row: Q  # the same link as a condition on one meeting row (a wide scope, read in page order)

    @property
    def meetings(self) -> QuerySet:
        """The link as a query of meetings (the invitee link reads another table): a list pages a
        union of meeting queries inside each branch (portal.paging), carrying each meeting's sort key
        with its id; the invitee branch is a semi-join on the invitee's (user, meeting) index."""
        if self.ids.model is Meeting:
            return self.ids
        return _ids(Meeting.objects.filter(pk__in=self.ids))


def _meeting_links(user: User) -> list[_Link]:
    """Meetings the user is linked to directly, whoever the child: they chair it, asked for it, are
    invited to it, or their role decides on its type (approvers, late approvers: P2, B1, D3) or
    collates it each quarter (practice development, D12)."""
    invited = Invitee.objects.filter(user_id=user.pk)
    links = [
        _Link(_ids(Meeting.objects.filter(chair_id=user.pk)), Q(chair_id=user.pk)),
        _Link(_ids(Meeting.objects.filter(requested_by_id=user.pk)), Q(requested_by_id=user.pk)),
        _Link(_ids(invited, "meeting_id"), Q(Exists(invited.filter(meeting_id=OuterRef("pk"))))),
    ]
    fields = ("pk", "gates", "triggers", "quarterly_collation")
    types = list(MeetingType.objects.only(*fields))
    by_type: list[Q] = []
    lateness = {mt.pk: approver_lateness(user, mt) for mt in types}
    if user.role not in MANAGER_ROLES:  # managers decide on their teams' children's meetings
        for late in (None, False):
            approver_types = [pk for pk, found in lateness.items() if late in found]
            if approver_types:
                on_time = {} if late is None else {"is_late": False}
                by_type.append(Q(meeting_type_id__in=approver_types, **on_time))
    late_types = [pk for pk, found in lateness.items() if True in found]
    if late_types:
        by_type.append(Q(meeting_type_id__in=late_types, is_late=True))
    if user.role == Role.PRACTICE_DEVELOPMENT_MANAGER:
        collated = _types_where(lambda mt: mt.quarterly_collation, types)
        if collated:
            by_type.append(Q(meeting_type_id__in=collated))
    return links + [_Link(_ids(Meeting.objects.filter(q)), q) for q in by_type]


def _any(conditions: list[Q]) -> Q:
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def _child_rows(user: User, today: date) -> list[Q]:
    """The visible-children rule as conditions on one row's child: an access row (or a role-wide
    scope's row) for it, each an index probe (`child_access_user_child`)."""
    return [
        Q(Exists(b.filter(child_id=OuterRef("child_id")))) for b in visible_child_id_branches(user, today)
    ]


def visible_meeting_ids(user: User, *, today: date | None = None) -> QuerySet:
    """The ids of the meetings the user may see, as a UNION ALL of indexed branches: meetings about
    the children they may see (the access table, portal.selectors) and the meetings they are linked
    to directly. No DISTINCT and no OR across joins, so each branch is an index scan."""
    today = today or timezone.localdate()
    children = [_ids(Meeting.objects.filter(child_id__in=b)) for b in visible_child_id_branches(user, today)]
    return _union(children + [link.meetings for link in _meeting_links(user)])


def visible_meeting_q(user: User, *, today: date | None = None) -> Q:
    """The same rule as `visible_meeting_ids`, as a condition on each meeting row: for a wide scope
    (portal.selectors.wide_scope), where a list walks the (due_on, id) index in page order and stops
    when the page is full instead of sorting every visible id."""
    today = today or timezone.localdate()
    return _any(_child_rows(user, today) + [link.row for link in _meeting_links(user)])


TYPE_COLUMNS_SHOWN = ("id", "code", "name", "pack")


def meeting_type_rules_deferred(prefix: str) -> list[str]:
    """Every column of a listed meeting's type but its id, code, name and pack, for `.defer()`: lists
    show the type's code or name, and reading its rule lists (about 20 StreamFields, parsed from JSON
    as each row is built) cost more than the rest of the manager's actions page (issue 12). A row's
    policy comes from its revision (policies_attach), never from these columns."""
    return [
        f"{prefix}{f.name}" for f in MeetingType._meta.concrete_fields if f.name not in TYPE_COLUMNS_SHOWN
    ]


def meetings_for_user(user: User) -> QuerySet[Meeting]:
    """Meetings about children the user may see, plus those they decide on, chair or attend."""
    base = Meeting.objects.select_related("meeting_type", "child", "placement", "chair", "requested_by")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if sees_all_meetings(user):
        return base.all()
    if wide_scope(user):
        return base.filter(visible_meeting_q(user))
    return base.filter(pk__in=visible_meeting_ids(user))


def actions_for_user_scope(user: User, *, today: date | None = None) -> QuerySet[Action]:
    """Every action the user may see: those of the meetings they may see (through the action's child,
    which is always its meeting's child, or a direct link to the meeting), their own, and, for IROs,
    their children's (D11), which the access table already gives them. One UNION ALL of indexed
    branches (a wide scope: the same rule checked row by row); auditors and superusers see every
    action."""
    if not getattr(user, "is_authenticated", False):
        return Action.objects.none()
    if sees_all_meetings(user):
        return Action.objects.all()
    today = today or timezone.localdate()
    links = _meeting_links(user)
    if wide_scope(user):
        linked = Meeting.objects.filter(pk=OuterRef("meeting_id")).filter(_any([link.row for link in links]))
        return Action.objects.filter(
            _any([*_child_rows(user, today), Q(owner_id=user.pk), Q(Exists(linked))])
        )
    branches = [_ids(Action.objects.filter(child_id__in=b)) for b in visible_child_id_branches(user, today)]
    branches += [_ids(Action.objects.filter(meeting_id__in=link.ids)) for link in links]
    branches.append(_ids(Action.objects.filter(owner_id=user.pk)))
    return Action.objects.filter(pk__in=_union(branches))


def meeting_for_user(user: User, pk: int) -> Meeting:
    """One meeting, or Meeting.DoesNotExist (a view turns it into 404) when the user may not see it;
    its policy comes from the process's parsed revisions (policies_attach), not six queries a page.

    In the same query: its pack, and whether any meeting was started from it (`starts_meetings`, so
    the page asks for linked meetings only when there are some). `read_for_user_id` records that this
    object came through the user's scope, so the page's other panels need not ask again."""
    meeting = (
        meetings_for_user(user)
        .select_related(
            "meeting_type__pack",
            "minutes_approved_by",
            "child__iro",
            "child__team",
            "placement__carer_household",
            "placement__home",
        )
        .annotate(
            policy_revision_created=F("policy_revision__created_at"),
            starts_meetings=Exists(Meeting.objects.filter(linked_from_id=OuterRef("pk"))),
        )
        .get(pk=pk)
    )
    policies_attach([meeting])
    meeting.__dict__["read_for_user_id"] = user.pk
    return meeting


def policies_attach(meetings: list[Meeting]) -> None:
    """Give each meeting its policy (`meeting.policy`), each revision parsed at most once per process
    (workflows.revisions). The meetings carry `policy_revision_created` (annotated), so a revision
    already parsed costs no query."""
    key = {m.pk: (m.policy_revision_id, m.policy_revision_created) for m in meetings}
    policies = parsed_revisions(key.values())
    for m in meetings:
        m.__dict__["policy"] = policies[key[m.pk]]


def approval_queue_for_user(
    user: User, *, limit: int | None = None, meetings: QuerySet[Meeting] | None = None
) -> list[Meeting]:
    """Requests waiting for a decision this user may make now (P2, B1, D3), oldest first.

    `limit` reads only the oldest `limit` requests the user did not make, for a count (the home page
    reads a few, not every request of a wide scope; it needs no meeting types); the rule still decides
    each one. `meetings` is `meetings_for_user(user)` when the caller has it already."""
    waiting = _awaiting_others_decision(user, meetings)
    if limit is not None:  # the oldest ids first (no joins while sorting), then only their rows
        waiting = Meeting.objects.filter(pk__in=waiting.values("pk")[:limit]).order_by("requested_at", "pk")
    return _decidable(waiting, user, with_types=limit is None)


def _awaiting_others_decision(user: User, meetings: QuerySet[Meeting] | None = None) -> QuerySet[Meeting]:
    """The user's visible requests awaiting approval that they did not make, oldest first: the
    candidates the rule then judges one by one."""
    return (
        (meetings_for_user(user) if meetings is None else meetings)
        .filter(state=MeetingState.AWAITING_APPROVAL)
        .exclude(requested_by_id=user.pk)  # the requester never decides (approver_refusal says so too)
        .order_by("requested_at", "pk")
    )


def _decidable(waiting: QuerySet[Meeting], user: User, *, with_types: bool) -> list[Meeting]:
    """The requests in `waiting` (in its order) this user may decide now: the rule decides each one."""
    waiting = (
        waiting.select_related(None)
        .select_related("child__team", "placement", "chair", "requested_by")
        .annotate(policy_revision_created=F("policy_revision__created_at"))
        .prefetch_related(Prefetch("approvals", MeetingApproval.objects.select_related("by")))
    )
    if with_types:  # the queue page names each type: one shared object each, prefetched
        waiting = waiting.prefetch_related("meeting_type")
    waiting = list(waiting)
    policies_attach(waiting)
    return [m for m in waiting if rules_of.approver_refusal(m, user) is None]


QUEUE_BATCH = 250  # requests read and judged at a time
QUEUE_READ_MOST = 500  # requests judged for one page at the most, so a page never runs away


@dataclass
class QueuePage:
    """One page of a user's approval queue: the requests, and where the next page starts (the
    (requested_at, id) of the last request shown, or of the last one judged when the page stopped at
    QUEUE_READ_MOST before it was full; None when nothing more waits)."""

    meetings: list[Meeting]
    next_after: tuple[datetime, int] | None
    stopped_early: bool


def approval_queue_page(
    user: User, *, after: tuple[datetime, int] | None = None, per_page: int = 25
) -> QueuePage:
    """The requests waiting for this user's decision (P2, B1, D3), oldest first, from after `after`.

    Whether the user may decide a request is the policy's rule, judged in Python, so the page cannot be
    cut in SQL: the candidates (the user's visible requests awaiting approval, not their own) are read
    in batches in (requested_at, id) order by keyset, each batch judged, until the page and one more
    are found or QUEUE_READ_MOST were judged. At a large council a manager has thousands waiting; a
    page reads one or two batches, not all of them (issue 12)."""
    candidates = _awaiting_others_decision(user)
    found: list[Meeting] = []
    read = 0
    while len(found) <= per_page and read < QUEUE_READ_MOST:
        batch = candidates
        if after is not None:
            at, pk = after
            batch = batch.filter(Q(requested_at__gt=at) | Q(requested_at=at, pk__gt=pk))
        keys = list(batch.values_list("requested_at", "pk")[:QUEUE_BATCH])
        if not keys:
            break
        read += len(keys)
        after = keys[-1]
        rows = Meeting.objects.filter(pk__in=[pk for _, pk in keys]).order_by("requested_at", "pk")
        found += _decidable(rows, user, with_types=True)
        if len(keys) < QUEUE_BATCH:
            after = None
            break
    if len(found) > per_page:
        last = found[per_page - 1]
        return QueuePage(found[:per_page], (last.requested_at, last.pk), False)
    return QueuePage(found, after, after is not None)


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
