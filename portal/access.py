"""The access table: who may see which child, kept as rows (`ChildAccess`) so every list is an index.

SPEC Roles: "people see the children they work with; managers their teams'". The rule, as rows:

- the child's allocated social worker and IRO (no dates: for as long as they are allocated);
- everyone involved with the child (an Involvement: its start and end dates);
- a supervising social worker, for children placed with carers they supervise (the placement's dates);
- a team manager or assistant team manager, for their teams' children (their own team and every team
  they manage): allocated to the team, allocated to a team member (social worker or IRO), involved
  with a team member (the involvement's dates) or placed with carers a team member supervises (the
  placement's dates).

Role-wide scopes (auditors, quality and review, practice development, buyers) are not rows; they
stay indexed queries in `portal.selectors.children_for_user`, which reads this table for the rest.

`access_refresh(child_ids)` recomputes the rows of some children and writes only the difference; the
signals in `portal.signals` call it inside the transaction of every change that affects it.
`access_rebuild()` recomputes every child's rows, reports missing and extra rows and fixes them (the
nightly check, `manage.py access_check`).
"""

from __future__ import annotations

import logging
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q

from .choices import MANAGER_ROLES, ROLE_WIDE_ROLES, AccessReason, Role
from .models import Child, ChildAccess, Involvement, Placement, Team, User

logger = logging.getLogger(__name__)

Row = tuple[int, int, str, date | None, date | None]  # user, child, reason, valid_from, valid_to
CHUNK = 2000


def _managers_by_team() -> dict[int, set[int]]:
    """Team -> the managers whose teams' children it gives them: its members with a manager role, and
    its named manager when they hold a manager role."""
    managers: dict[int, set[int]] = defaultdict(set)
    for pk, team_id in User.objects.filter(role__in=MANAGER_ROLES, team__isnull=False).values_list(
        "pk", "team_id"
    ):
        managers[team_id].add(pk)
    for team_id, manager_id in Team.objects.filter(manager__role__in=MANAGER_ROLES).values_list(
        "pk", "manager_id"
    ):
        managers[team_id].add(manager_id)
    return managers


def _rows_for_children(child_ids: list[int], managers: dict[int, set[int]]) -> list[Row]:
    """Every access row of these children, computed from the case record (four queries)."""
    rows: list[Row] = []

    def for_team(team_id: int | None, child_id: int, start: date | None, end: date | None) -> None:
        if team_id is not None:
            rows.extend((m, child_id, AccessReason.TEAM, start, end) for m in managers.get(team_id, ()))

    allocations = Child.objects.filter(pk__in=child_ids).values_list(
        "pk", "team_id", "social_worker_id", "social_worker__team_id", "iro_id", "iro__team_id"
    )
    for child_id, team_id, sw, sw_team, iro, iro_team in allocations:
        if sw is not None:
            rows.append((sw, child_id, AccessReason.SOCIAL_WORKER, None, None))
        if iro is not None:
            rows.append((iro, child_id, AccessReason.IRO, None, None))
        for team in {team_id, sw_team, iro_team}:
            for_team(team, child_id, None, None)
    involvements = Involvement.objects.filter(child_id__in=child_ids).values_list(
        "child_id", "user_id", "user__team_id", "start_date", "end_date"
    )
    for child_id, user_id, team_id, start, end in involvements:
        rows.append((user_id, child_id, AccessReason.INVOLVEMENT, start, end))
        for_team(team_id, child_id, start, end)
    supervised = Placement.objects.filter(
        child_id__in=child_ids, carer_household__supervising_social_worker__isnull=False
    ).values_list(
        "child_id",
        "carer_household__supervising_social_worker_id",
        "carer_household__supervising_social_worker__role",
        "carer_household__supervising_social_worker__team_id",
        "start_date",
        "end_date",
    )
    for child_id, ssw, role, team_id, start, end in supervised:
        if role == Role.SUPERVISING_SOCIAL_WORKER:
            rows.append((ssw, child_id, AccessReason.SUPERVISES_CARERS, start, end))
        for_team(team_id, child_id, start, end)
    return _merged(rows)


def _merged(rows: list[Row]) -> list[Row]:
    """One row per (user, child, reason, period): a manager reached through two of a child's team
    links needs one row, not two."""
    return sorted(set(rows), key=lambda r: (r[0], r[1], r[2], r[3] or date.min, r[4] or date.max))


def _chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass
class AccessDifference:
    children: int = 0
    missing: int = 0
    extra: int = 0

    def __bool__(self) -> bool:
        return bool(self.missing or self.extra)


def _apply(child_ids: list[int], managers: dict[int, set[int]]) -> AccessDifference:
    wanted = Counter(_rows_for_children(child_ids, managers))
    existing: dict[Row, list[int]] = defaultdict(list)
    for pk, *row in ChildAccess.objects.filter(child_id__in=child_ids).values_list(
        "pk", "user_id", "child_id", "reason", "valid_from", "valid_to"
    ):
        existing[tuple(row)].append(pk)
    stale: list[int] = []
    for row, pks in existing.items():
        stale.extend(pks[wanted.get(row, 0) :])
    missing = [
        ChildAccess(user_id=u, child_id=c, reason=r, valid_from=f, valid_to=t)
        for (u, c, r, f, t), n in wanted.items()
        for _ in range(n - len(existing.get((u, c, r, f, t), ())))
    ]
    if stale:
        ChildAccess.objects.filter(pk__in=stale).delete()
    if missing:
        ChildAccess.objects.bulk_create(missing, batch_size=5000)
    return AccessDifference(children=len(child_ids), missing=len(missing), extra=len(stale))


def access_refresh(child_ids: Iterable[int]) -> AccessDifference:
    """Recompute the access rows of these children and write only what changed (same transaction)."""
    total = AccessDifference()
    ids = [pk for pk in set(child_ids) if pk is not None]
    if not ids:
        return total
    managers = _managers_by_team()
    with transaction.atomic():
        for chunk in _chunks(ids):
            diff = _apply(chunk, managers)
            total.children += diff.children
            total.missing += diff.missing
            total.extra += diff.extra
    return total


def access_rebuild() -> AccessDifference:
    """Recompute every child's rows; returns (and logs) how many rows were missing or extra.

    Rows of children that no longer exist are extra too. Run nightly (`portal.tasks.access_check`) and
    by `manage.py access_check`; a difference means a change reached the database without the signals
    (a raw SQL update, a bulk update) and is fixed here.
    """
    with transaction.atomic():
        orphans = ChildAccess.objects.exclude(child_id__in=Child.objects.values("pk")).delete()[0]
        orphans += ChildAccess.objects.exclude(user_id__in=User.objects.values("pk")).delete()[0]
        diff = access_refresh(Child.objects.values_list("pk", flat=True))
        diff.extra += orphans
    if diff:
        logger.warning(
            "Access table differed from the rule: %s missing, %s extra rows", diff.missing, diff.extra
        )
    wide_scopes_mark()
    return diff


def wide_scopes_mark() -> int:
    """Mark the users whose access rows reach at least PORTAL_WIDE_SCOPE_FRACTION of all children, and
    those whose role gives them a role-wide scope that is wide in practice (ROLE_WIDE_ROLES: buyers,
    whose agency-placed children and meeting types span the council and hold no access rows), once
    the council has at least PORTAL_WIDE_SCOPE_MIN_CHILDREN children (a small council's lists are
    cheap either way); unmark the rest; returns how many are wide. Run with the nightly check: the
    flag only chooses how lists are read (portal.selectors.wide_scope), so a day's lag costs speed,
    never correctness."""
    children = Child.objects.count()
    fraction = float(getattr(settings, "PORTAL_WIDE_SCOPE_FRACTION", 0.25))
    least = int(getattr(settings, "PORTAL_WIDE_SCOPE_MIN_CHILDREN", 5000))
    wide: set[int] = set()
    if children and children >= least:
        reach = (
            ChildAccess.objects.values("user_id")
            .annotate(children=Count("child_id", distinct=True))
            .filter(children__gte=max(1, math.ceil(children * fraction)))
        )
        wide = set(reach.values_list("user_id", flat=True))
        wide |= set(User.objects.filter(role__in=ROLE_WIDE_ROLES).values_list("pk", flat=True))
    User.objects.filter(has_wide_scope=True).exclude(pk__in=wide).update(has_wide_scope=False)
    User.objects.filter(pk__in=wide, has_wide_scope=False).update(has_wide_scope=True)
    return len(wide)


# --------------------------------------------------------------------------------------------------
# Which children a change affects (used by the signals)
# --------------------------------------------------------------------------------------------------


def team_children(team_ids: Iterable[int]) -> set[int]:
    """Children a team's managers may see through it: allocated to the team or to a member, involved
    with a member, or placed with carers a member supervises (every date: rows carry their own)."""
    team_ids = [pk for pk in set(team_ids) if pk is not None]
    if not team_ids:
        return set()
    ids = set(
        Child.objects.filter(
            Q(team_id__in=team_ids) | Q(social_worker__team_id__in=team_ids) | Q(iro__team_id__in=team_ids)
        ).values_list("pk", flat=True)
    )
    ids |= set(Involvement.objects.filter(user__team_id__in=team_ids).values_list("child_id", flat=True))
    ids |= set(
        Placement.objects.filter(
            carer_household__supervising_social_worker__team_id__in=team_ids
        ).values_list("child_id", flat=True)
    )
    return ids


def user_children(user_id: int, team_ids: Iterable[int | None] = ()) -> set[int]:
    """Children whose rows may change when this person's role or team changes: those they hold rows
    for, those they work with (their managers' rows), and those of the teams they belong to or manage."""
    ids = set(ChildAccess.objects.filter(user_id=user_id).values_list("child_id", flat=True))
    ids |= set(
        Child.objects.filter(Q(social_worker_id=user_id) | Q(iro_id=user_id)).values_list("pk", flat=True)
    )
    ids |= set(Involvement.objects.filter(user_id=user_id).values_list("child_id", flat=True))
    ids |= set(
        Placement.objects.filter(carer_household__supervising_social_worker_id=user_id).values_list(
            "child_id", flat=True
        )
    )
    teams = set(team_ids) | set(Team.objects.filter(manager_id=user_id).values_list("pk", flat=True))
    return ids | team_children(teams)
