"""Everything that reads meetings for a user. A selector returns only what that user may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.choices import MANAGER_ROLES, Role
from portal.models import User
from portal.selectors import sees_every_child, user_is_read_only, visible_child_id_branches, wide_scope

from . import policy as rules_of
from .choices import ActionStatus, MeetingState, ParticipantRole, Requirement
from .models import Action, Invitee, Meeting, MeetingType
from .revisions import parsed_revisions


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
    fields = ("pk", "approver_roles", "late_approver_roles", "quarterly_collation")
    types = list(MeetingType.objects.only(*fields))
    by_type: list[Q] = []
    if user.role not in MANAGER_ROLES:  # managers decide on their teams' children's meetings
        approver_types = _types_where(lambda mt: user.role in (mt.approver_roles or []), types)
        if approver_types:
            by_type.append(Q(meeting_type_id__in=approver_types))
    late_types = _types_where(lambda mt: user.role in (mt.late_approver_roles or []), types)
    if late_types:
        by_type.append(Q(meeting_type_id__in=late_types, is_late=True))
    if user.role == Role.PRACTICE_DEVELOPMENT_MANAGER:
        collated = _types_where(lambda mt: mt.quarterly_collation, types)
        if collated:
            by_type.append(Q(meeting_type_id__in=collated))
    return links + [_Link(_ids(Meeting.objects.filter(q)), q) for q in by_type]


def _linked_meeting_branches(user: User) -> list[QuerySet]:
    return [link.ids for link in _meeting_links(user)]


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
    return _union(children + _linked_meeting_branches(user))


def visible_meeting_q(user: User, *, today: date | None = None) -> Q:
    """The same rule as `visible_meeting_ids`, as a condition on each meeting row: for a wide scope
    (portal.selectors.wide_scope), where a list walks the (due_on, id) index in page order and stops
    when the page is full instead of sorting every visible id."""
    today = today or timezone.localdate()
    return _any(_child_rows(user, today) + [link.row for link in _meeting_links(user)])


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
    its policy comes from the process's parsed revisions (policies_attach), not six queries a page."""
    meeting = (
        meetings_for_user(user).annotate(policy_revision_created=F("policy_revision__created_at")).get(pk=pk)
    )
    policies_attach([meeting])
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
    waiting = (
        (meetings_for_user(user) if meetings is None else meetings)
        .filter(state=MeetingState.AWAITING_APPROVAL)
        .exclude(requested_by_id=user.pk)  # the requester never decides (approver_refusal says so too)
        .order_by("requested_at", "pk")
    )
    if limit is not None:  # the oldest ids first (no joins while sorting), then only their rows
        waiting = Meeting.objects.filter(pk__in=waiting.values("pk")[:limit]).order_by("requested_at", "pk")
    waiting = (
        waiting.select_related(None)
        .select_related("child__team", "placement", "chair", "requested_by")
        .annotate(policy_revision_created=F("policy_revision__created_at"))
        .prefetch_related("approvals")
    )
    if limit is None:  # the queue page names each type: one shared object each, prefetched
        waiting = waiting.prefetch_related("meeting_type")
    waiting = list(waiting)
    policies_attach(waiting)
    return [m for m in waiting if rules_of.approver_refusal(m, user) is None]


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
    conflicts = rules_of.independence_conflicts(meeting) if meeting.policy.chair_must_be_independent else {}
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


def actions_for_iro(user: User) -> QuerySet[Action]:
    """Open actions for the children this IRO reviews, to track to completion (D11)."""
    return (
        Action.objects.filter(child__iro=user, status=ActionStatus.OPEN)
        .select_related("meeting", "child", "owner")
        .order_by("due_on", "pk")
    )


def actions_for_user(user: User) -> QuerySet[Action]:
    return Action.objects.filter(owner=user, status=ActionStatus.OPEN).select_related("meeting", "child")


def meeting_history(meeting: Meeting):
    return meeting.history.select_related("by").order_by("at", "pk")


# --------------------------------------------------------------------------------------------------
# D12 quarterly collation
# --------------------------------------------------------------------------------------------------

DEFAULT_COLLATION_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def _quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1, 2, 3 or 4")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def collation_months(meeting_type: MeetingType) -> dict[int, int]:
    """Quarter -> month of the divisional meeting.

    From the pack setting `collation_meeting_months` ("4,7,10,1"), else April, July, October, January.
    """
    raw = meeting_type.pack.setting("collation_meeting_months")
    try:
        months = [int(m) for m in raw.split(",")] if raw else []
    except ValueError:
        months = []
    return (
        dict(zip((1, 2, 3, 4), months, strict=True)) if len(months) == 4 else dict(DEFAULT_COLLATION_MONTHS)
    )


def disruption_quarter_collation(
    *, year: int, quarter: int, meetings: QuerySet[Meeting] | None = None
) -> dict:
    """The disruption meetings whose minutes were approved in calendar quarter `quarter` of `year`, with
    the themes the analysis looks at (D12), and the month of the divisional meeting that discusses them.

    `meetings` scopes the collation (a screen passes `meetings_for_user(user)`); all meetings by default.
    """
    start, end = _quarter_bounds(year, quarter)
    type_ids = _types_where(lambda mt: mt.quarterly_collation)
    meetings = (
        (Meeting.objects.all() if meetings is None else meetings)
        .filter(
            meeting_type_id__in=type_ids,
            minutes_approved_at__date__gte=start,
            minutes_approved_at__date__lt=end,
        )
        .exclude(state=MeetingState.CANCELLED)
        .select_related("child", "placement__provider", "meeting_type__pack")
        .order_by("minutes_approved_at")
    )
    rows = []
    for m in meetings:
        p = m.placement
        ended = p.end_date
        rows.append(
            {
                "reference": m.reference,
                "meeting_pk": m.pk,
                "child_reference": m.child.local_reference,
                "age_at_disruption": m.child.age_on(ended) if ended else None,
                "area": m.child.area,
                "placement_type": p.get_category_display(),
                "provider": p.provider.name if p.provider_id else "In-house",
                "days_in_home": (ended - p.start_date).days if ended else None,
                "days_from_ratification": (ended - p.ratified_permanent_on).days
                if ended and p.ratified_permanent_on
                else None,
            }
        )
    month = DEFAULT_COLLATION_MONTHS[quarter]
    first = MeetingType.objects.filter(pk__in=type_ids).select_related("pack").first()
    if first:
        month = collation_months(first)[quarter]
    meeting_year = year + 1 if quarter == 4 else year
    return {
        "year": year,
        "quarter": quarter,
        "from": start,
        "to": end,
        "last_day": end - timedelta(days=1),
        "divisional_meeting": date(meeting_year, month, 1),
        "meetings": rows,
        "themes": disruption_themes(rows),
    }


AGE_BANDS = ((5, "Under 5"), (10, "5 to 9"), (16, "10 to 15"), (None, "16 and over"))
DURATION_BANDS = (
    (183, "Under 6 months"),
    (365, "6 to 12 months"),
    (730, "1 to 2 years"),
    (None, "Over 2 years"),
)


def _band(value: int | None, bands: tuple, missing: str) -> str:
    if value is None:
        return missing
    return next(label for limit, label in bands if limit is None or value < limit)


def _counted(labels: list[str], order: list[str] | None = None) -> list[tuple[str, int]]:
    """(label, count) pairs: in the bands' order when given, else most frequent first, then by name."""
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if order is not None:
        return [(label, counts[label]) for label in order if label in counts]
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def disruption_themes(rows: list[dict]) -> list[dict]:
    """The themes D12 names, each as counts: age of the child, area, placement type, provider, time in
    the home, and time from ratification as permanent to the disruption."""
    age_order = [label for _limit, label in AGE_BANDS] + ["Not recorded"]
    duration_order = [label for _limit, label in DURATION_BANDS] + ["Not recorded"]
    return [
        {
            "title": "Age of the child when the placement ended",
            "counts": _counted(
                [_band(r["age_at_disruption"], AGE_BANDS, "Not recorded") for r in rows], age_order
            ),
        },
        {"title": "Area", "counts": _counted([r["area"] or "Not recorded" for r in rows])},
        {"title": "Placement type", "counts": _counted([r["placement_type"] for r in rows])},
        {"title": "Fostering agency or provider", "counts": _counted([r["provider"] for r in rows])},
        {
            "title": "Time in the home",
            "counts": _counted(
                [_band(r["days_in_home"], DURATION_BANDS, "Not recorded") for r in rows], duration_order
            ),
        },
        {
            "title": "Time from ratification as permanent to the disruption",
            "counts": _counted(
                [_band(r["days_from_ratification"], DURATION_BANDS, "Not recorded") for r in rows],
                duration_order,
            ),
        },
    ]


def meeting_actions_for_user(meeting: Meeting, user: User) -> list[str]:
    """Which services this user can usefully offer on this meeting now (buttons on the meeting page).

    A guide for screens: the services still check every rule and refuse with a reason.
    """
    from .form_links import may_write_minutes

    if user_is_read_only(user):
        return []
    policy = meeting.policy
    state = meeting.state
    is_requester = user.pk in {meeting.requested_by_id, meeting.child.social_worker_id}
    is_chair = meeting.chair_id == user.pk
    actions: list[str] = []
    if state == MeetingState.REQUESTED and is_requester:
        actions += ["report_attach", "meeting_submit"]
    if state == MeetingState.AWAITING_APPROVAL and rules_of.approver_refusal(meeting, user) is None:
        actions += ["meeting_approve", "meeting_decline"]
    if state in {MeetingState.APPROVED, MeetingState.SCHEDULED} and (
        not policy.scheduler_roles or user.role in policy.scheduler_roles or is_requester
    ):
        actions.append("meeting_schedule")
    if state == MeetingState.SCHEDULED and (is_chair or is_requester):
        actions.append("meeting_record_held")
    if state in {MeetingState.HELD, MeetingState.MINUTES_DRAFTED} and may_write_minutes(meeting, user):
        actions.append("minutes_record")
    if state == MeetingState.MINUTES_DRAFTED and rules_of.minutes_approver_refusal(meeting, user) is None:
        actions.append("minutes_approve")
    if state == MeetingState.MINUTES_APPROVED and (is_chair or user.role == Role.MINUTE_TAKER):
        actions.append("minutes_circulate")
    if state == MeetingState.CIRCULATED and is_chair:
        actions.append("meeting_close")
    if meeting.is_open and (is_requester or is_chair or rules_of.manages_childs_team(user, meeting.child)):
        actions.append("meeting_cancel")
    if meeting.placement.is_agency and policy.no_provider_notice_before_meeting and meeting.is_open:
        actions.append("provider_notice_record")
    return actions
