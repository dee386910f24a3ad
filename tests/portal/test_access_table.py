"""The access table (ChildAccess) always says what the visibility rule says (SPEC Roles).

The rule as it was written before the table is kept in tests/portal/access_reference.py; every test
here changes the case record one way and checks, for every person and several days, that the table's
answer (children_for_user) equals the reference's.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.access import access_rebuild
from portal.choices import AccessReason, Role, TeamKind
from portal.models import CarerHousehold, Child, ChildAccess, Involvement, Placement, Team, User
from portal.selectors import children_for_user
from tests.factories import (
    CarerHouseholdFactory,
    ChildFactory,
    PlacementFactory,
    ProviderFactory,
    TeamFactory,
    UserFactory,
)

from .access_reference import reference_children_for_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
ROLES = [
    Role.SOCIAL_WORKER,
    Role.SUPERVISING_SOCIAL_WORKER,
    Role.TEAM_MANAGER,
    Role.ASSISTANT_TEAM_MANAGER,
    Role.IRO,
    Role.QUALITY_REVIEW_MANAGER,
    Role.BUYER,
    Role.PRACTICE_DEVELOPMENT_MANAGER,
    Role.MINUTE_TAKER,
    Role.RESIDENTIAL_WORKER,
]


def _days() -> list[date]:
    """Today, either side, and every date an involvement or placement starts or ends (and the next day)."""
    days = {TODAY, TODAY - timedelta(days=40), TODAY + timedelta(days=40)}
    for model in (Involvement, Placement):
        for start, end in model.objects.values_list("start_date", "end_date"):
            days |= {start, start - timedelta(days=1)}
            if end:
                days |= {end, end + timedelta(days=1)}
    return sorted(days)


def assert_table_matches_rule() -> None:
    users = list(User.objects.all())
    for day in _days():
        for user in users:
            seen = set(children_for_user(user, today=day).values_list("pk", flat=True))
            expected = set(reference_children_for_user(user, today=day).values_list("pk", flat=True))
            assert seen == expected, f"{user.username} ({user.role}, team {user.team_id}) on {day}"
    assert not access_rebuild(), "the signals left the table different from a full rebuild"


@pytest.fixture
def case():
    """Two teams with managers, a social worker, an IRO and a supervising social worker, one child."""
    fostering = TeamFactory(name="Fostering", kind=TeamKind.FOSTERING)
    social_work = TeamFactory(name="Social work")
    iro_service = TeamFactory(name="IRO service", kind=TeamKind.IRO_SERVICE)
    people = {
        "tm": UserFactory(username="tm", role=Role.TEAM_MANAGER, team=social_work),
        "ftm": UserFactory(username="ftm", role=Role.TEAM_MANAGER, team=fostering),
        "iro_tm": UserFactory(username="iro_tm", role=Role.TEAM_MANAGER, team=iro_service),
        "sw": UserFactory(username="sw", role=Role.SOCIAL_WORKER, team=social_work),
        "sw2": UserFactory(username="sw2", role=Role.SOCIAL_WORKER),
        "iro": UserFactory(username="iro", role=Role.IRO, team=iro_service),
        "ssw": UserFactory(username="ssw", role=Role.SUPERVISING_SOCIAL_WORKER, team=fostering),
        "rw": UserFactory(username="rw", role=Role.RESIDENTIAL_WORKER),
    }
    child = ChildFactory(social_worker=people["sw"], iro=people["iro"], team=social_work)
    household = CarerHouseholdFactory(supervising_social_worker=people["ssw"])
    return {"child": child, "household": household, "teams": [fostering, social_work, iro_service], **people}


def _sees(user: User, child: Child, day: date = TODAY) -> bool:
    user.refresh_from_db()
    return children_for_user(user, today=day).filter(pk=child.pk).exists()


def test_allocation_change_moves_access_to_the_new_worker__Roles(case):
    child, sw, sw2, tm = case["child"], case["sw"], case["sw2"], case["tm"]
    assert _sees(sw, child) and not _sees(sw2, child)
    child.social_worker = sw2
    child.team = None
    child.save()
    assert _sees(sw2, child) and not _sees(sw, child)
    assert not _sees(tm, child), "the team manager no longer manages anyone allocated to the child"
    assert_table_matches_rule()


def test_involvement_counts_from_its_start_to_its_end__Roles(case):
    child, rw = case["child"], case["rw"]
    involvement = Involvement.objects.create(
        child=child, user=rw, role="residential_worker", start_date=TODAY, end_date=TODAY + timedelta(days=9)
    )
    assert not _sees(rw, child, TODAY - timedelta(days=1))
    assert _sees(rw, child, TODAY) and _sees(rw, child, TODAY + timedelta(days=9))
    assert not _sees(rw, child, TODAY + timedelta(days=10))
    involvement.end_date = TODAY
    involvement.save()
    assert not _sees(rw, child, TODAY + timedelta(days=1))
    assert_table_matches_rule()
    involvement.delete()
    assert not _sees(rw, child, TODAY)
    assert_table_matches_rule()


def test_placement_with_supervised_carers_lets_the_ssw_and_their_manager_see__Roles(case):
    child, ssw, ftm, household = case["child"], case["ssw"], case["ftm"], case["household"]
    assert not _sees(ssw, child) and not _sees(ftm, child)
    placement = PlacementFactory(child=child, carer_household=household, start_date=TODAY - timedelta(days=5))
    assert _sees(ssw, child) and _sees(ftm, child)
    assert not _sees(ssw, child, TODAY - timedelta(days=6))
    placement.end_date = TODAY
    placement.ended_unplanned = False
    placement.save()
    assert not _sees(ssw, child, TODAY + timedelta(days=1))
    assert_table_matches_rule()
    placement.delete()
    assert not _sees(ssw, child)
    assert_table_matches_rule()


def test_new_supervisor_for_the_carers_takes_over__Roles(case):
    child, ssw, household = case["child"], case["ssw"], case["household"]
    PlacementFactory(child=child, carer_household=household, start_date=TODAY - timedelta(days=5))
    other = UserFactory(username="ssw2", role=Role.SUPERVISING_SOCIAL_WORKER)
    household.supervising_social_worker = other
    household.save()
    assert _sees(other, child) and not _sees(ssw, child)
    assert_table_matches_rule()


def test_team_membership_change_moves_the_managers_view__Roles(case):
    child, sw, tm = case["child"], case["sw"], case["tm"]
    child.team = None
    child.save()
    assert _sees(tm, child), "the child's social worker is in the manager's team"
    other_team = TeamFactory(name="Other")
    other_manager = UserFactory(username="otm", role=Role.TEAM_MANAGER, team=other_team)
    sw.team = other_team
    sw.save()
    assert _sees(other_manager, child) and not _sees(tm, child)
    assert_table_matches_rule()


def test_team_manager_change_gives_the_new_manager_the_team__Roles(case):
    child, social_work = case["child"], case["teams"][1]
    head = UserFactory(username="head", role=Role.TEAM_MANAGER, team=case["teams"][0])
    assert not _sees(head, child)
    social_work.manager = head
    social_work.save()
    assert _sees(head, child)
    social_work.manager = None
    social_work.save()
    assert not _sees(head, child)
    assert_table_matches_rule()


def test_role_change_adds_and_removes_the_managers_view__Roles(case):
    child, sw = case["child"], case["sw"]
    colleague = UserFactory(username="colleague", role=Role.SOCIAL_WORKER, team=case["teams"][1])
    assert not _sees(colleague, child)
    colleague.role = Role.ASSISTANT_TEAM_MANAGER
    colleague.save()
    assert _sees(colleague, child)
    colleague.role = Role.SOCIAL_WORKER
    colleague.save()
    assert not _sees(colleague, child) and _sees(sw, child)
    assert_table_matches_rule()


def test_deleting_people_teams_and_children_leaves_no_rows__Roles(case):
    child, sw, social_work = case["child"], case["sw"], case["teams"][1]
    Involvement.objects.create(child=child, user=case["rw"], role="residential_worker", start_date=TODAY)
    sw.delete()
    assert_table_matches_rule()
    social_work.delete()
    assert_table_matches_rule()
    pk = child.pk
    child.delete()
    assert not ChildAccess.objects.filter(child_id=pk).exists()
    assert_table_matches_rule()


def test_table_rows_say_why__Roles(case):
    reasons = dict(ChildAccess.objects.filter(child=case["child"]).values_list("user__username", "reason"))
    assert reasons == {
        "sw": AccessReason.SOCIAL_WORKER,
        "iro": AccessReason.IRO,
        "tm": AccessReason.TEAM,
        "iro_tm": AccessReason.TEAM,
    }


def test_access_check_reports_and_repairs_a_difference(case):
    child = case["child"]
    with connection.cursor() as cursor:  # a change that went round the signals
        cursor.execute(
            "UPDATE portal_child SET social_worker_id = %s WHERE id = %s", [case["sw2"].pk, child.pk]
        )
    ChildAccess.objects.create(user=case["rw"], child=child, reason=AccessReason.INVOLVEMENT)
    out = io.StringIO()
    call_command("access_check", stdout=out)
    assert (
        "1 missing, 2 extra rows (repaired)" in out.getvalue()
    )  # sw2 lacks a row; sw and rw have one too many
    assert not access_rebuild()
    assert _sees(case["sw2"], child) and not _sees(case["rw"], child)


# --------------------------------------------------------------------------------------------------
# Random case histories
# --------------------------------------------------------------------------------------------------

N_USERS, N_CHILDREN, N_TEAMS, N_HOUSEHOLDS = 7, 4, 3, 2
offset = st.sampled_from([-20, 0, 20])  # few distinct dates: each is checked, with the days around it
maybe_user = st.none() | st.integers(0, N_USERS - 1)
operations = st.one_of(
    st.tuples(
        st.just("allocate"),
        st.integers(0, N_CHILDREN - 1),
        st.sampled_from(["social_worker", "iro"]),
        maybe_user,
    ),
    st.tuples(st.just("child_team"), st.integers(0, N_CHILDREN - 1), st.none() | st.integers(0, N_TEAMS - 1)),
    st.tuples(
        st.just("involve"),
        st.integers(0, N_CHILDREN - 1),
        st.integers(0, N_USERS - 1),
        offset,
        st.none() | offset,
    ),
    st.tuples(st.just("end_involvement"), st.integers(0, 20), offset),
    st.tuples(st.just("delete_involvement"), st.integers(0, 20)),
    st.tuples(
        st.just("place"), st.integers(0, N_CHILDREN - 1), st.integers(0, N_HOUSEHOLDS), offset, st.booleans()
    ),
    st.tuples(st.just("end_placement"), st.integers(0, 20), offset),
    st.tuples(st.just("supervisor"), st.integers(0, N_HOUSEHOLDS - 1), maybe_user),
    st.tuples(st.just("user_team"), st.integers(0, N_USERS - 1), st.none() | st.integers(0, N_TEAMS - 1)),
    st.tuples(st.just("user_role"), st.integers(0, N_USERS - 1), st.sampled_from(ROLES)),
    st.tuples(st.just("team_manager"), st.integers(0, N_TEAMS - 1), maybe_user),
    st.tuples(st.just("delete_user"), st.integers(0, N_USERS - 1)),
)


def _apply(op: tuple, teams, users, children, households, provider) -> None:
    kind, *args = op

    def person(i):
        return None if i is None else User.objects.filter(username=f"u{i}").first()

    if kind == "allocate":
        child = Child.objects.get(pk=children[args[0]])
        setattr(child, args[1], person(args[2]))
        child.save()
    elif kind == "child_team":
        child = Child.objects.get(pk=children[args[0]])
        child.team_id = None if args[1] is None else teams[args[1]]
        child.save()
    elif kind == "involve" and person(args[1]):
        start = TODAY + timedelta(days=args[2])
        end = None if args[3] is None else start + timedelta(days=abs(args[3]))
        Involvement.objects.create(
            child_id=children[args[0]], user=person(args[1]), role="other", start_date=start, end_date=end
        )
    elif kind in {"end_involvement", "delete_involvement", "end_placement"}:
        model = Placement if kind == "end_placement" else Involvement
        rows = list(model.objects.order_by("pk"))
        if not rows:
            return
        row = rows[args[0] % len(rows)]
        if kind == "delete_involvement":
            row.delete()
            return
        row.end_date = max(row.start_date, TODAY + timedelta(days=args[1]))
        row.ended_unplanned = False
        row.save()
    elif kind == "place":
        agency = args[3]
        household = households[args[1]] if args[1] < len(households) else None
        Placement.objects.create(
            child_id=children[args[0]],
            placement_type="U4",
            provider_code="PR4" if agency else "PR1",
            provider=provider if agency else None,
            carer_household_id=household,
            start_date=TODAY + timedelta(days=args[2]),
        )
    elif kind == "supervisor":
        household = CarerHousehold.objects.get(pk=households[args[0]])
        household.supervising_social_worker = person(args[1])
        household.save()
    elif kind in {"user_team", "user_role", "delete_user"}:
        user = person(args[0])
        if user is None:
            return
        if kind == "delete_user":
            user.delete()
            return
        if kind == "user_team":
            user.team_id = None if args[1] is None else teams[args[1]]
        else:
            user.role = args[1]
        user.save()
    elif kind == "team_manager":
        team = Team.objects.get(pk=teams[args[0]])
        team.manager = person(args[1])
        team.save()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    roles=st.lists(st.sampled_from(ROLES), min_size=N_USERS, max_size=N_USERS),
    user_teams=st.lists(st.none() | st.integers(0, N_TEAMS - 1), min_size=N_USERS, max_size=N_USERS),
    child_teams=st.lists(st.none() | st.integers(0, N_TEAMS - 1), min_size=N_CHILDREN, max_size=N_CHILDREN),
    history=st.lists(operations, min_size=1, max_size=10),
)
def test_access_table_matches_the_rule_for_random_case_histories__Roles(
    roles, user_teams, child_teams, history
):
    with transaction.atomic():
        teams = [TeamFactory(name=f"Team {i}").pk for i in range(N_TEAMS)]
        users = [
            UserFactory(username=f"u{i}", role=role, team_id=None if t is None else teams[t])
            for i, (role, t) in enumerate(zip(roles, user_teams, strict=True))
        ]
        Team.objects.filter(pk=teams[0]).update(manager=users[2])  # round the signal: set up below
        children = [
            ChildFactory(
                team_id=None if t is None else teams[t], social_worker=users[i], iro=users[-1 - i]
            ).pk
            for i, t in enumerate(child_teams)
        ]
        households = [
            CarerHouseholdFactory(supervising_social_worker=users[i + 1]).pk for i in range(N_HOUSEHOLDS)
        ]
        access_rebuild()
        provider = ProviderFactory()
        for op in history:
            _apply(op, teams, users, children, households, provider)
        assert_table_matches_rule()
        transaction.set_rollback(True)


def test_nightly_task_is_scheduled_and_reports_counts(case):
    from django_q.models import Schedule

    from portal.tasks import access_check

    assert Schedule.objects.filter(func="portal.tasks.access_check", cron="30 2 * * *").exists()
    ChildAccess.objects.filter(user=case["sw"]).delete()
    assert access_check() == {"children": 1, "missing": 1, "extra": 0}
    assert access_check() == {"children": 1, "missing": 0, "extra": 0}


def test_an_existing_database_gets_its_rows_after_migrating(case):
    from portal.signals import access_fill_if_empty

    ChildAccess.objects.all().delete()  # as just after the table's migration
    access_fill_if_empty()
    assert _sees(case["sw"], case["child"]) and _sees(case["tm"], case["child"])
