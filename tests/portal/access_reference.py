"""The visibility rule as it was written before the access table: the reference implementation that
tests compare `ChildAccess` with (tests only; the application reads the table, portal/access.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.choices import AGENCY_CATEGORIES, MANAGER_ROLES, Role
from portal.models import Child, Involvement, Placement, Team, User

SEE_ALL_ROLES = frozenset({Role.AUDITOR})


def _current_involvements(today: date) -> QuerySet[Involvement]:
    return Involvement.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _current_placements(today: date) -> QuerySet[Placement]:
    return Placement.objects.filter(start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def _works_with(user: User, today: date) -> Q:
    """Allocated (social worker or IRO) or involved today (Involvement running on `today`)."""
    involved = _current_involvements(today).filter(child=OuterRef("pk"), user=user)
    return Q(social_worker=user) | Q(iro=user) | Q(Exists(involved))


def _teams_managed_by(user: User) -> QuerySet[Team]:
    """The manager's own team and every team whose manager they are."""
    q = Q(manager=user)
    if user.team_id:
        q |= Q(pk=user.team_id)
    return Team.objects.filter(q)


def _in_managed_teams(user: User, today: date) -> Q:
    """A team's children: allocated to the team, or worked with today by someone in the team.

    The second half lets a fostering or residential team manager (chairs of in-house meetings, P4) see
    the children their supervising social workers or residential workers are involved with, and a
    manager of the IRO service see the children its IROs review.
    """
    teams = _teams_managed_by(user).values("pk")
    member_involved = _current_involvements(today).filter(child=OuterRef("pk"), user__team__in=teams)
    supervised_carers = _current_placements(today).filter(
        child=OuterRef("pk"), carer_household__supervising_social_worker__team__in=teams
    )
    return (
        Q(team__in=teams)
        | Q(social_worker__team__in=teams)
        | Q(iro__team__in=teams)
        | Q(Exists(member_involved))
        | Q(Exists(supervised_carers))
    )


def _has_disruption() -> Q:
    """A permanent placement that ended unplanned: the children Disruption Meetings are about (D1)."""
    disrupted = Placement.objects.filter(
        child=OuterRef("pk"), is_permanent=True, ended_unplanned=True, end_date__isnull=False
    )
    return Q(Exists(disrupted))


def _in_agency_placement(today: date) -> Q:
    """Currently placed with an agency (IFA or children's home provider) the buyers commission."""
    agency = _current_placements(today).filter(child=OuterRef("pk"), category__in=AGENCY_CATEGORIES)
    return Q(Exists(agency))


def _supervises_current_carers(user: User, today: date) -> Q:
    """Currently placed with carers this supervising social worker supervises."""
    placed = _current_placements(today).filter(
        child=OuterRef("pk"), carer_household__supervising_social_worker=user
    )
    return Q(Exists(placed))


def reference_children_for_user(user: User, today: date | None = None) -> QuerySet[Child]:
    """The children `user` may see on the worker site, as one query with no duplicate rows.

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
    if user.is_superuser or user.role in SEE_ALL_ROLES:
        return Child.objects.all()
    today = today or timezone.localdate()
    q = _works_with(user, today)
    if user.role in MANAGER_ROLES:
        q |= _in_managed_teams(user, today)
    elif user.role == Role.SUPERVISING_SOCIAL_WORKER:
        q |= _supervises_current_carers(user, today)
    elif user.role in (Role.QUALITY_REVIEW_MANAGER, Role.PRACTICE_DEVELOPMENT_MANAGER):
        q |= _has_disruption()
    elif user.role == Role.BUYER:
        q |= _in_agency_placement(today)
    return Child.objects.filter(q)
