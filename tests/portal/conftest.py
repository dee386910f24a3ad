"""A small authority in which every visibility rule of children_for_user has a child that proves it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from portal.choices import InvolvementRole, Role, TeamKind
from portal.models import Child, User
from tests.factories import (
    CarerHouseholdFactory,
    ChildFactory,
    HomeFactory,
    InvolvementFactory,
    PlacementFactory,
    TeamFactory,
    UserFactory,
)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    children: dict[str, Child] = field(default_factory=dict)

    def names(self, *keys: str) -> set[str]:
        return {self.children[key].full_name for key in keys}


# Which children each role's person sees (keys of World.children). Auditors and superusers: all.
EXPECTED: dict[str, set[str]] = {
    Role.SOCIAL_WORKER: {"allocated", "sw_involved"},
    Role.SUPERVISING_SOCIAL_WORKER: {"allocated", "supervised_carers"},
    Role.RESIDENTIAL_WORKER: {"residential"},
    Role.HOME_MANAGER: {"residential"},
    Role.MINUTE_TAKER: {"minuted"},
    Role.IRO: {"allocated", "iro_involved"},
    Role.TEAM_MANAGER: {"allocated", "sw_involved", "team_other_worker", "supervised_carers", "minuted"},
    Role.ASSISTANT_TEAM_MANAGER: {"south", "residential", "agency", "iro_involved", "involvement_ended"},
    Role.QUALITY_REVIEW_MANAGER: {"disrupted"},
    Role.PRACTICE_DEVELOPMENT_MANAGER: {"disrupted"},
    Role.BUYER: {"agency"},
    Role.POLICY_OWNER: set(),
}


@pytest.fixture
def world(db) -> World:
    today = timezone.localdate()
    w = World()
    north = TeamFactory(name="North children's team", kind=TeamKind.CHILDREN_SOCIAL_WORK, area="North")
    south = TeamFactory(name="South children's team", kind=TeamKind.CHILDREN_SOCIAL_WORK, area="South")
    fostering = TeamFactory(name="Fostering service", kind=TeamKind.FOSTERING)
    residential = TeamFactory(name="Residential service", kind=TeamKind.RESIDENTIAL)
    iro_service = TeamFactory(name="IRO service", kind=TeamKind.IRO_SERVICE)

    def user(key: str, role: str, team=None, **kw) -> User:
        w.users[key] = UserFactory(username=key, role=role, team=team, **kw)
        return w.users[key]

    tm = user(Role.TEAM_MANAGER, Role.TEAM_MANAGER, north, first_name="Tess", last_name="Manager")
    north.manager = tm
    north.save()
    sw = user(Role.SOCIAL_WORKER, Role.SOCIAL_WORKER, north, first_name="Sam", last_name="Worker")
    other_sw = user("sw_north_2", Role.SOCIAL_WORKER, north)
    tm_south = user("tm_south", Role.TEAM_MANAGER, south)
    south.manager = tm_south
    south.save()
    user(Role.ASSISTANT_TEAM_MANAGER, Role.ASSISTANT_TEAM_MANAGER, south)
    sw_south = user("sw_south", Role.SOCIAL_WORKER, south)
    ssw = user(Role.SUPERVISING_SOCIAL_WORKER, Role.SUPERVISING_SOCIAL_WORKER, fostering)
    rw = user(Role.RESIDENTIAL_WORKER, Role.RESIDENTIAL_WORKER, residential)
    hm = user(Role.HOME_MANAGER, Role.HOME_MANAGER, residential)
    iro = user(Role.IRO, Role.IRO, iro_service)
    iro2 = user("iro_2", Role.IRO, iro_service)
    mt = user(Role.MINUTE_TAKER, Role.MINUTE_TAKER)
    for role in (
        Role.QUALITY_REVIEW_MANAGER,
        Role.PRACTICE_DEVELOPMENT_MANAGER,
        Role.BUYER,
        Role.POLICY_OWNER,
        Role.AUDITOR,
    ):
        user(role, role)
    user("admin", "", is_superuser=True, is_staff=True)

    def child(key: str, **kw) -> Child:
        kw.setdefault("team", north)
        kw.setdefault("social_worker", other_sw)
        w.children[key] = ChildFactory(first_name=key.replace("_", " ").title(), last_name="Child", **kw)
        return w.children[key]

    allocated = child("allocated", social_worker=sw, iro=iro)
    carers = CarerHouseholdFactory(name="The Fosters", supervising_social_worker=ssw)
    PlacementFactory(
        child=allocated,
        carer_household=CarerHouseholdFactory(name="Earlier carers"),
        start_date=today - timedelta(days=900),
        end_date=today - timedelta(days=400),
        ended_unplanned=False,
        reason_for_change="CARPL",
    )
    PlacementFactory(child=allocated, carer_household=carers, start_date=today - timedelta(days=400))
    InvolvementFactory(child=allocated, user=ssw, role=InvolvementRole.SUPERVISING_SOCIAL_WORKER)

    sw_involved = child("sw_involved")
    InvolvementFactory(
        child=sw_involved,
        user=sw,
        role=InvolvementRole.SOCIAL_WORKER,
        start_date=today - timedelta(days=10),
        end_date=today,
    )
    # ended yesterday, or starting tomorrow: not today, so not seen
    ended = child("involvement_ended", team=south, social_worker=sw_south)
    InvolvementFactory(
        child=ended,
        user=sw,
        role=InvolvementRole.SOCIAL_WORKER,
        start_date=today - timedelta(days=100),
        end_date=today - timedelta(days=1),
    )
    InvolvementFactory(child=ended, user=iro, role=InvolvementRole.IRO, start_date=today + timedelta(days=1))

    child("team_other_worker")
    supervised = child("supervised_carers", social_worker=other_sw)
    PlacementFactory(child=supervised, carer_household=carers, start_date=today - timedelta(days=30))

    child("south", team=south, social_worker=sw_south)
    residential_child = child("residential", team=south, social_worker=sw_south)
    PlacementFactory(child=residential_child, in_house_residential=True, home=HomeFactory(name="Oak House"))
    InvolvementFactory(child=residential_child, user=rw, role=InvolvementRole.KEY_WORKER)
    InvolvementFactory(child=residential_child, user=hm, role=InvolvementRole.HOME_MANAGER)

    agency = child("agency", team=south, social_worker=sw_south)
    PlacementFactory(child=agency, agency_fostering=True)

    iro_involved = child("iro_involved", team=south, social_worker=sw_south, iro=iro2)
    InvolvementFactory(child=iro_involved, user=iro, role=InvolvementRole.IRO)

    disrupted = child("disrupted", team=None, social_worker=None)
    PlacementFactory(
        child=disrupted,
        start_date=today - timedelta(days=800),
        end_date=today - timedelta(days=30),
        ended_unplanned=True,
        reason_for_change="CREQB",
        is_permanent=True,
        ratified_permanent_on=today - timedelta(days=600),
    )

    minuted = child("minuted")
    InvolvementFactory(child=minuted, user=mt, role=InvolvementRole.OTHER, start_date=date(2020, 1, 1))
    return w
