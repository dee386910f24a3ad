"""Lists at a large council's size (issue 12): pages never repeat or drop a row when dates tie, counts
stop at a cap, and each page costs a fixed number of queries whatever the size."""

from __future__ import annotations

import re
from copy import copy
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import paging
from portal.paging import IdsFirstPaginator, ordered_to_the_row
from tests.factories import ChildFactory, InvolvementFactory
from tests.workflows.factories import psm_request
from workflows.models import Action, Invitee, Meeting
from workflows.selectors import meetings_for_user

pytestmark = pytest.mark.django_db

MEETINGS = reverse("dashboards:meetings")
ACTIONS = reverse("dashboards:actions")
TIED = date(2026, 4, 1)
N = 61  # three pages of 25


@pytest.fixture
def many(people, county):
    """61 meetings and 61 actions about one child, all due the same day (the worst case for ties)."""
    meeting = psm_request(people, county)
    clones = []
    for i in range(N - 1):
        clone = copy(meeting)
        clone.pk = clone.id = None
        clone.reference = f"{meeting.reference}-{i:02d}"
        clone.due_on = TIED
        clones.append(clone)
    Meeting.objects.bulk_create(clones)
    Meeting.objects.filter(pk=meeting.pk).update(due_on=TIED)
    Action.objects.bulk_create(
        Action(
            meeting=meeting,
            child_id=meeting.child_id,
            description=f"Tied action {i:02d}",
            owner=people.social_worker,
            due_on=TIED,
        )
        for i in range(N)
    )
    return meeting


def _references(html: str, base: str) -> list[str]:
    return re.findall(rf">({re.escape(base)}(?:-\d\d)?)</a>", html)


def _actions(html: str) -> list[str]:
    return re.findall(r"Tied action \d\d", html)


@pytest.mark.parametrize("who", ["auditor", "team_manager"])
@pytest.mark.parametrize("sort", ["", "&sort=due_on", "&sort=-due_on", "&sort=child", "&sort=state"])
def test_pages_never_repeat_or_drop_a_meeting_when_dates_tie__G3(client, people, many, who, sort):
    client.force_login(getattr(people, who))
    seen = []
    for page in (1, 2, 3):
        seen += _references(client.get(f"{MEETINGS}?page={page}{sort}").content.decode(), many.reference)
    assert len(seen) == N and len(set(seen)) == N


def test_pages_never_repeat_or_drop_an_action_when_dates_tie__G3(client, people, many):
    client.force_login(people.team_manager)
    seen = []
    for page in (1, 2, 3):
        seen += _actions(client.get(f"{ACTIONS}?page={page}&sort=due_on").content.decode())
    assert len(seen) == N and len(set(seen)) == N


def test_every_page_query_orders_by_the_id_last(client, people, many):
    """Rows sharing a date keep one place only if the id breaks the tie in the SQL itself (the id is
    the first column of the page-ids query, so Django may write it as `1`; the second, `2`, where a union
    scope is paged inside its branches, which select the sort key and then the id)."""
    client.force_login(people.team_manager)
    for url in (MEETINGS + "?sort=child&page=2", ACTIONS + "?sort=-due_on&page=2"):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        paged = [q["sql"] for q in queries if "LIMIT 25" in q["sql"]]
        last = r'ORDER BY .*(?:"id"|, 1|, 2) (ASC|DESC)\s+LIMIT'
        assert paged and all(re.search(last, sql) for sql in paged)


def test_ordering_always_ends_with_the_id():
    assert ordered_to_the_row(Meeting.objects.order_by("due_on")).query.order_by[-1] == "pk"
    assert ordered_to_the_row(Meeting.objects.all()).query.order_by == ("-requested_at", "pk")
    assert ordered_to_the_row(Meeting.objects.order_by("due_on", "-pk")).query.order_by == ("due_on", "-pk")


def test_worker_meeting_list_pages_never_repeat_or_drop_a_meeting__G3(client, people, many):
    client.force_login(people.social_worker)
    seen = []
    for page in (1, 2, 3):
        html = client.get(reverse("workflows:meeting_list") + f"?page={page}").content.decode()
        seen += re.findall(rf"({re.escape(many.reference)}(?:-\d\d)?)", html)
    assert len(set(seen)) == N


def test_counts_stop_at_the_cap(client, people, many, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_CAP", 40)
    monkeypatch.setattr("dashboards.tables.COUNT_CAP", 40)
    client.force_login(people.auditor)
    html = client.get(MEETINGS).content.decode()
    assert "40+ results" in html and "Page 1 of 2" in html
    paginator = IdsFirstPaginator(Meeting.objects.all(), 25)
    assert paginator.count == 40 and paginator.count_label == "40+"
    assert len(paginator.page(2).object_list) == 15


def test_counts_under_the_cap_are_exact(client, people, many):
    client.force_login(people.auditor)
    assert f"{N} results" in client.get(MEETINGS).content.decode()


# --------------------------------------------------------------------------------------------------
# Query counts: the same at any size
# --------------------------------------------------------------------------------------------------

PAGES = [
    ("team_manager", MEETINGS),
    ("team_manager", MEETINGS + "?overdue=yes&page=2"),
    ("team_manager", ACTIONS),
    ("iro", ACTIONS + "?overdue=yes"),
    ("iro", MEETINGS),
    ("qr_manager", MEETINGS),
    ("buyer", MEETINGS),
    ("pdm", ACTIONS),
    ("auditor", MEETINGS + "?sort=child&page=2"),
    ("auditor", ACTIONS),
]


@pytest.mark.parametrize(("who", "url"), PAGES)
def test_dashboard_page_needs_at_most_12_queries__G3(
    client, people, many, who, url, django_assert_max_num_queries
):
    client.force_login(getattr(people, who))
    with django_assert_max_num_queries(12) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert len(captured) >= 4, (
        "the count really counted this page's queries (session, user, count, ids, rows)"
    )


@pytest.mark.parametrize("who", ["social_worker", "team_manager", "iro", "auditor"])
def test_meeting_list_needs_at_most_12_queries(client, people, many, who, django_assert_max_num_queries):
    client.force_login(getattr(people, who))
    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("workflows:meeting_list") + "?page=2")
    assert response.status_code == 200 and len(captured) >= 4


# --------------------------------------------------------------------------------------------------
# Visible meetings: the union of branches, each meeting once
# --------------------------------------------------------------------------------------------------


def test_meeting_reached_several_ways_is_listed_once(people, county):
    meeting = psm_request(people, county)
    Meeting.objects.filter(pk=meeting.pk).update(chair=people.team_manager)
    Invitee.objects.create(meeting=meeting, user=people.team_manager, role="chair", name="Chair")
    InvolvementFactory(child=meeting.child, user=people.team_manager, start_date=date(2020, 1, 1))
    rows = list(meetings_for_user(people.team_manager).filter(child=meeting.child))
    assert [m.pk for m in rows] == [meeting.pk]
    sql = str(meetings_for_user(people.team_manager).query).upper()
    assert "DISTINCT" not in sql and "UNION ALL" in sql


def test_invitee_and_chair_see_a_meeting_about_a_child_they_do_not_work_with(people, county):
    meeting = psm_request(people, county, child=people.child(team=people.other_team))
    outsider = ChildFactory().social_worker
    assert not meetings_for_user(outsider).filter(pk=meeting.pk).exists()
    Invitee.objects.create(meeting=meeting, user=outsider, role="other", name="Guest")
    assert meetings_for_user(outsider).filter(pk=meeting.pk).exists()


def test_a_union_scope_is_paged_inside_its_branches_with_the_same_rows__issue12(people, many):
    """The manager's actions page sorts (due_on, id) carried from each branch's covering index instead
    of looking up every visible row; the pages hold exactly the rows, in exactly the order, of the
    plain query, and an action reached two ways (their team's child, and theirs to do) comes once."""
    from dashboards.selectors import actions_dashboard

    twice = Action.objects.order_by("pk").first()
    Action.objects.filter(pk=twice.pk).update(owner=people.team_manager, due_on=date(2026, 3, 1))
    for rows in (
        actions_dashboard(people.team_manager),
        actions_dashboard(people.team_manager).filter(description__startswith="Tied"),
        actions_dashboard(people.team_manager).order_by("-due_on", "-pk"),
    ):
        assert paging._union_scope(ordered_to_the_row(rows)) is not None
        plain = list(ordered_to_the_row(rows).values_list("pk", flat=True))
        assert len(plain) == N and plain.count(twice.pk) == 1
        with CaptureQueriesContext(connection) as queries:
            paged = [pk for start in (0, 25, 50) for pk in paging.page_ids(rows, start, start + 25)]
        assert paged == plain
        assert all("UNION" in q["sql"] and "UNION ALL" not in q["sql"] for q in queries.captured_queries)


# --------------------------------------------------------------------------------------------------
# Every branch of the scope, every sort the lists offer (issue 12)
# --------------------------------------------------------------------------------------------------

MEETING_SORTS = ["reference", "meeting_type", "child", "team", "state", "due_on", "minutes_due_on", "chair"]
MEETING_SORTS += ["is_overdue"]
ACTION_SORTS = ["description", "child", "meeting", "due_on", "status", "is_overdue"]


@pytest.fixture
def branches(people, county):
    """The other team's manager reaches tied meetings four ways (their team's child; chairing; invited;
    chairing and invited at once) and must not reach a fifth group (no link). Hand-made expectation:
    the reachable references are exactly those tagged A, B, C and D, 65 of them (three pages); the
    actions likewise, plus the ones the manager owns on an unlinked meeting (O)."""
    manager = people.other_manager
    theirs = people.child(team=people.other_team)
    first = psm_request(people, county)
    ours_first = psm_request(people, county, child=theirs)
    plan = {"A": 16, "B": 16, "C": 16, "D": 16, "E": 10}
    clones, expected = [], set()
    for tag, count in plan.items():
        template = ours_first if tag == "A" else first
        for i in range(count):
            clone = copy(template)
            clone.pk = clone.id = None
            clone.reference = f"T-{tag}{i:02d}"
            clone.due_on = TIED
            clone.minutes_due_on = TIED if i % 2 else None
            clone.chair = manager if tag in "BD" else (people.fostering_manager if i % 3 else None)
            clones.append(clone)
            if tag != "E":
                expected.add(clone.reference)
    created = Meeting.objects.bulk_create(clones)
    Meeting.objects.filter(pk=ours_first.pk).update(reference="T-A16", due_on=TIED)  # A's 17th
    expected.add("T-A16")  # `first` stays, about our team's child, unlinked: never listed
    Invitee.objects.bulk_create(
        Invitee(meeting=m, user=manager, role="other", name="Guest")
        for m in created
        if m.reference[2] in "CD"
    )
    actions, expected_actions = [], set()
    for m in created:
        tag, n = m.reference[2], int(m.reference[3:])
        if n % 2 == 0 or tag == "E":  # every group has actions; the unlinked meeting's are the manager's
            owned = tag == "E" and n < 5
            description = f"Tied action {m.reference}"
            actions.append(
                Action(
                    meeting=m,
                    child_id=m.child_id,
                    description=description,
                    owner=manager if owned else people.social_worker,
                    due_on=TIED,
                    status="done" if n % 4 == 0 else "open",
                )
            )
            if tag != "E" or owned:
                expected_actions.add(description)
    Action.objects.bulk_create(actions)
    return manager, expected, expected_actions


def _tagged(html: str) -> list[str]:
    return re.findall(r">(T-[A-E]\d\d)</a>", html)


def _tagged_actions(html: str) -> list[str]:
    return re.findall(r"Tied action T-[A-E]\d\d", html)


def test_meeting_pages_never_repeat_or_drop_a_row_reached_by_any_branch__G3(client, branches):
    """Every sort the meetings dashboard offers, both ways (one test: the fixture is the cost)."""
    manager, expected, _ = branches
    client.force_login(manager)
    for sort in [s for key in MEETING_SORTS for s in (key, "-" + key)]:
        seen = []
        for page in (1, 2, 3):
            seen += _tagged(client.get(f"{MEETINGS}?page={page}&sort={sort}").content.decode())
        assert len(seen) == len(expected) == 65, sort
        assert set(seen) == expected, sort


def test_action_pages_never_repeat_or_drop_a_row_reached_by_any_branch__G3(client, branches):
    """Every sort the actions dashboard offers, both ways."""
    manager, _, expected = branches
    client.force_login(manager)
    for sort in [s for key in ACTION_SORTS for s in (key, "-" + key)]:
        seen = []
        for page in (1, 2):
            seen += _tagged_actions(client.get(f"{ACTIONS}?page={page}&sort={sort}").content.decode())
        assert len(seen) == len(expected) == 37, sort
        assert set(seen) == expected, sort


def test_meetings_are_paged_inside_their_branches_invitee_too__issue12(branches):
    """The meetings scope (children, chair, requester, invitee) is paged inside its branches like the
    actions: the pages hold exactly the plain query's rows in its order, a meeting reached two ways
    (chair and invitee) once, with the list's filters and sorts."""
    manager, expected, _ = branches
    for narrow in ["", "overdue=yes", "state=requested", "due_from=2026-04-01"]:
        for order in [("due_on", "pk"), ("-due_on", "-pk"), ("minutes_due_on", "pk"), ("is_overdue", "pk")]:
            _paged_inside_branches(manager, expected, narrow, order)


def _paged_inside_branches(manager, expected, narrow, order):
    from dashboards.filters import MeetingFilter
    from dashboards.selectors import meetings_dashboard

    rows = MeetingFilter(dict([narrow.split("=")]) if narrow else {}, meetings_dashboard(manager)).qs
    rows = rows.order_by(*order)
    assert paging._union_scope(ordered_to_the_row(rows)) is not None
    plain = list(ordered_to_the_row(rows).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as queries:
        paged = [pk for start in (0, 25, 50) for pk in paging.page_ids(rows, start, start + 25)]
    assert paged == plain
    assert len(queries.captured_queries) == 3, (narrow, order)
    sql = queries.captured_queries[0]["sql"]
    assert "workflows_invitee" in sql and "UNION ALL" not in sql
    if connection.vendor == "postgresql":  # each branch sorted and cut to the page's end
        assert sql.count("LIMIT 25") == 1 + len(paging._union_scope(ordered_to_the_row(rows))[1])
    if not narrow:
        refs = set(Meeting.objects.filter(pk__in=plain).values_list("reference", flat=True))
        assert refs == expected


def test_a_page_costs_the_same_queries_on_page_one_and_page_three__G3(
    client, branches, django_assert_max_num_queries
):
    manager, _, _ = branches
    client.force_login(manager)
    counts = []
    for url in (
        MEETINGS,
        MEETINGS + "?page=3",
        MEETINGS + "?page=3&sort=-chair",
        ACTIONS,
        ACTIONS + "?page=2",
    ):
        with django_assert_max_num_queries(12) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] == counts[2] and counts[3] == counts[4]
