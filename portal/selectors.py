"""Reads of the case record for a user. Each selector returns only what that user may see.

SPEC Roles: "people see the children they work with; managers their teams'; auditors all, read-only".
`children_for_user` is the one place that rule is read (the access table, portal/access.py, holds it
as rows); the meetings engine and the forms use it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .choices import AGENCY_CATEGORIES, READ_ONLY_ROLES, SEE_ALL_ROLES, Role
from .models import CaseNote, Child, ChildAccess, Involvement, Placement, Team, User


def user_is_read_only(user: User) -> bool:
    """True for roles that may read everything and change nothing (auditors); superusers never."""
    return not user.is_superuser and user.role in READ_ONLY_ROLES


def _current_involvements(today: date) -> QuerySet[Involvement]:
    return Involvement.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _current_placements(today: date) -> QuerySet[Placement]:
    return Placement.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _disrupted_child_ids() -> QuerySet[Placement]:
    """Children with a permanent placement that ended unplanned: the ones Disruption Meetings are about
    (D1). Quality and review managers and practice development managers see them all."""
    return Placement.objects.filter(is_permanent=True, ended_unplanned=True, end_date__isnull=False).values(
        "child_id"
    )


def _agency_placed_child_ids(today: date) -> QuerySet[Placement]:
    """Children placed today with an agency (IFA or children's home provider): the buyers commission
    those placements (B1-B3)."""
    return _current_placements(today).filter(category__in=AGENCY_CATEGORIES).values("child_id")


def visible_child_ids(user: User, today: date) -> QuerySet[ChildAccess]:
    """The ids of the children the access table gives this user today (an index-only scan of
    `child_access_user_child`); a child may appear more than once, so read it with `IN`."""
    return (
        ChildAccess.objects.filter(user_id=user.pk)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .values("child_id")
    )


def visible_child_id_branches(user: User, today: date) -> list[QuerySet]:
    """The user's visible children as separate indexed queries of child ids, for callers that read
    each as one branch of a UNION (the meetings and actions lists): the access table's rows, then the
    role-wide scope of their role (ROLE_WIDE_ROLES), if any. Not for auditors or superusers, who see
    every child."""
    branches: list[QuerySet] = [visible_child_ids(user, today)]
    if user.role in (Role.QUALITY_REVIEW_MANAGER, Role.PRACTICE_DEVELOPMENT_MANAGER):
        branches.append(_disrupted_child_ids())
    elif user.role == Role.BUYER:
        branches.append(_agency_placed_child_ids(today))
    return branches


def wide_scope(user: User) -> bool:
    """True when the access table gives this user a large share of all children (an IRO service
    manager, whose team reviews every child). Lists read a narrow scope as its ids (a UNION of index
    lookups); a wide one is better read in page order with the access rule checked row by row until
    the page is full (workflows.selectors). The flag is kept on the user by the nightly access check
    (portal.access.wide_scopes_mark), so reading it costs no query; it changes the plan, never the rows.
    """
    return bool(getattr(user, "has_wide_scope", False))


def teams_managed_by(user: User) -> QuerySet[Team]:
    """The manager's own team and every team whose manager they are (whose people they may unlock)."""
    q = Q(manager=user)
    if user.team_id:
        q |= Q(pk=user.team_id)
    return Team.objects.filter(q)


def sees_every_child(user: User) -> bool:
    """Auditors and superusers: callers skip the scope filter altogether (the worker site and the CMS)."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "role", None) in SEE_ALL_ROLES)


def children_for_user(user: User, *, today: date | None = None) -> QuerySet[Child]:
    """The children `user` may see on the worker site, as one query with no duplicate rows.

    The people-specific part of the rule is read from the access table (`ChildAccess`, kept by
    `portal.access`); the role-wide scopes below are indexed queries. What the table holds:

    Everyone sees the children they work with: allocated as social worker or IRO, or involved today
    (an Involvement with start_date <= today and no end date or one on or after today). Then, by role:

    - social worker, residential worker, home manager, minute taker, IRO: only those;
    - supervising social worker: also children placed today with carers they supervise;
    - team manager, assistant team manager: also their teams' children (their own team and any team
      they manage): allocated to the team, or allocated to or worked with today by a team member, or
      placed with carers a team member supervises (fostering and residential managers chair P4);
    - Quality and Review manager: also every child with a permanent placement that ended unplanned,
      because the duty Q&R manager (whoever is on duty) agrees late Disruption Meeting requests (D3);
    - practice development manager: the same disrupted children, whose DM minutes they receive and
      whose disruptions they collate each quarter (D12);
    - children's services buyer: also every child currently in an agency placement (fostering agency
      or children's home provider), which the buyers commission (B1-B3); BPM requests about in-house
      placements reach them through the meetings they approve, not through the child list;
    - auditor: every child (read-only; their CMS access is view-only);
    - policy owner: only the children they work with (normally none: they live in the CMS);
    - superuser: every child.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Child.objects.none()
    if sees_every_child(user):
        return Child.objects.all()
    q = Q()
    for branch in visible_child_id_branches(user, today or timezone.localdate()):
        q |= Q(pk__in=branch)
    return Child.objects.filter(q)


def child_get_for_user(*, user: User, pk: int) -> Child:
    """One child the user may see, with what the summary shows; 404 for anyone else's (STYLE)."""
    try:
        return (
            children_for_user(user).select_related("social_worker", "iro", "team", "team__manager").get(pk=pk)
        )
    except (Child.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such child") from exc


def placements_for_child(child: Child) -> QuerySet[Placement]:
    """The child's placements, earliest first, with who they were placed with (G1)."""
    return (
        Placement.objects.filter(child=child)
        .select_related("carer_household", "carer_household__provider", "home", "home__provider", "provider")
        .order_by("start_date", "pk")
    )


def my_children(user: User, *, search: str = "") -> QuerySet[Child]:
    """The My children list: the visible children with their current placement prefetched.

    `search` matches first name, last name, "first last" or the local reference (case-insensitive).
    """
    today = timezone.localdate()
    qs = children_for_user(user).select_related("social_worker")
    search = " ".join(search.split())
    if search:
        q = (
            Q(local_reference__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
        if " " in search:
            first, _, last = search.partition(" ")
            q |= Q(first_name__icontains=first, last_name__icontains=last)
        qs = qs.filter(q)
    current = (
        _current_placements(today)
        .select_related("carer_household", "home", "provider")
        .order_by("-start_date")
    )
    return qs.prefetch_related(
        Prefetch("placements", queryset=current, to_attr="current_placements")
    ).order_by("last_name", "first_name", "pk")


@dataclass(frozen=True)
class TimelineEntry:
    """One placement as the child's history shows it (G1)."""

    placement: Placement
    number: int
    start_date: date
    end_date: date | None
    category_label: str
    type_label: str
    provider_code_label: str
    placed_with: str
    provider_name: str
    reason_for_change_label: str
    ended_unplanned: bool
    is_current: bool
    is_permanent: bool
    ratified_permanent_on: date | None
    is_agency: bool
    notice_period_days: int | None
    has_contingency_plan: bool | None
    contingency_plan: str
    days_in_placement: int


@dataclass
class ChildTimeline:
    child: Child
    placements: list[TimelineEntry] = field(default_factory=list)
    involvements: list[Involvement] = field(default_factory=list)
    case_notes: list[CaseNote] = field(default_factory=list)

    @property
    def newest_first(self) -> list[TimelineEntry]:
        return list(reversed(self.placements))

    @property
    def current(self) -> TimelineEntry | None:
        return next((entry for entry in reversed(self.placements) if entry.is_current), None)


def child_timeline(child: Child, *, notes_limit: int = 20) -> ChildTimeline:
    """The child's placements in order, with words for every code, plus people and recent case notes.

    Three queries: placements (with carers, home and provider), involvements (with people), notes.
    """
    today = timezone.localdate()
    entries = []
    for number, p in enumerate(placements_for_child(child), start=1):
        ends = p.end_date or today
        entries.append(
            TimelineEntry(
                placement=p,
                number=number,
                start_date=p.start_date,
                end_date=p.end_date,
                category_label=p.get_category_display(),
                type_label=p.get_placement_type_display(),
                provider_code_label=p.get_provider_code_display(),
                placed_with=p.placed_with,
                provider_name=p.provider.name if p.provider_id else "",
                reason_for_change_label=p.get_reason_for_change_display() if p.reason_for_change else "",
                ended_unplanned=bool(p.end_date and p.ended_unplanned),
                is_current=p.start_date <= today and (p.end_date is None or p.end_date >= today),
                is_permanent=p.is_permanent,
                ratified_permanent_on=p.ratified_permanent_on,
                is_agency=p.is_agency,
                notice_period_days=p.notice_period_days,
                has_contingency_plan=p.has_contingency_plan,
                contingency_plan=p.contingency_plan,
                days_in_placement=max((ends - p.start_date).days, 0),
            )
        )
    involvements = list(
        Involvement.objects.filter(child=child).select_related("user").order_by("-start_date", "pk")
    )
    notes = list(
        CaseNote.objects.filter(child=child)
        .select_related("created_by")
        .prefetch_related("filed_documents")[:notes_limit]  # each note's filed copies (issue 13)
    )
    return ChildTimeline(child=child, placements=entries, involvements=involvements, case_notes=notes)
