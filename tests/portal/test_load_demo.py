"""manage.py load_demo: a fictional authority for demonstrations, loaded safely and idempotently."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from demo import people as demo_people
from portal.choices import AGENCY_CATEGORIES, DASHBOARD_ROLES, PlacementCategory, Role, TeamKind
from portal.models import CarerHousehold, CaseNote, Child, Home, Involvement, Placement, Provider, Team, User
from portal.selectors import children_for_user

pytestmark = pytest.mark.django_db

MODELS = (Team, User, Provider, Home, CarerHousehold, Child, Placement, Involvement, CaseNote)
TODAY = date(2026, 3, 2)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def _snapshot() -> list:
    rows = list(Placement.objects.order_by("pk").values())
    rows += list(Involvement.objects.order_by("pk").values())
    rows += list(Child.objects.order_by("pk").values())
    rows += list(CaseNote.objects.order_by("pk").values())
    rows += list(User.objects.order_by("pk").values("username", "password", "role", "is_staff", "team_id"))
    return rows


def _load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", "--force", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    _load()


def test_load_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert Child.objects.count() == 0


def test_load_demo_runs_with_debug_on(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    assert Child.objects.count() == 40


def test_load_demo_twice_changes_nothing(demo):
    before_counts, before = _counts(), _snapshot()
    out = _load()
    assert "nothing changed" in out
    assert _counts() == before_counts
    assert _snapshot() == before


def test_load_demo_on_a_later_day_moves_dates_without_duplicating(demo):
    before = _counts()
    child = Child.objects.get(local_reference="HV0700100")
    dob = child.date_of_birth
    out = StringIO()
    call_command("load_demo", "--force", "--today", (TODAY + timedelta(days=7)).isoformat(), stdout=out)
    assert _counts() == before
    child.refresh_from_db()
    assert child.date_of_birth == dob + timedelta(days=7)


def test_demo_contents(demo):
    assert Child.objects.count() == 40
    assert Provider.objects.count() == 4
    assert Provider.objects.filter(kind="fostering_agency").count() == 2
    assert Home.objects.exclude(provider=None).count() >= 2
    assert 10 <= CarerHousehold.objects.count() <= 15
    assert set(TeamKind) == set(Team.objects.values_list("kind", flat=True))
    assert set(Role) == set(User.objects.values_list("role", flat=True))
    assert User.objects.filter(role=Role.IRO).count() >= 3
    assert User.objects.filter(role=Role.QUALITY_REVIEW_MANAGER).count() >= 2
    tm_teams = Team.objects.filter(manager__role=Role.TEAM_MANAGER, kind=TeamKind.CHILDREN_SOCIAL_WORK)
    assert tm_teams.count() >= 2
    categories = set(Placement.objects.values_list("category", flat=True))
    assert {c.value for c in PlacementCategory} - {PlacementCategory.OTHER} <= categories
    # every child has exactly one current placement, and histories never overlap
    assert set(
        Child.objects.annotate(n=Count("placements", filter=Q(placements__end_date=None))).values_list(
            "n", flat=True
        )
    ) == {1}
    for child in Child.objects.prefetch_related("placements"):
        spans = sorted((p.start_date, p.end_date or TODAY) for p in child.placements.all())
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), child
        assert spans[0][0] > child.date_of_birth


def test_demo_has_disruption_meetings_due__D1_D2(demo):
    """Permanent placements that ended unplanned 3 to 6 weeks ago; one later (D3); one connected (no DM)."""
    disrupted = Placement.objects.filter(is_permanent=True, ended_unplanned=True)
    days = sorted((TODAY - p.end_date).days for p in disrupted)
    due = [d for d in days if 21 <= d <= 42]
    assert len(due) >= 5
    assert any(28 <= d <= 42 for d in due)
    assert any(d > 42 for d in days)
    assert disrupted.filter(category=PlacementCategory.CONNECTED_PERSON).exists()
    assert {PlacementCategory.IN_HOUSE_FOSTERING, PlacementCategory.AGENCY_FOSTERING} <= set(
        disrupted.values_list("category", flat=True)
    )
    assert all(
        p.ratified_permanent_on and p.start_date <= p.ratified_permanent_on <= p.end_date for p in disrupted
    )


def test_demo_agency_placements_record_notice_and_contingency__B9(demo):
    agency = Placement.objects.filter(category__in=AGENCY_CATEGORIES)
    assert agency.exists()
    assert not agency.filter(notice_period_days=None).exists()
    assert not agency.filter(has_contingency_plan=None).exists()
    assert not agency.filter(provider=None).exists()
    current = agency.filter(end_date=None)
    assert (
        current.filter(notice_period_days__lt=28).exists()
        or current.filter(has_contingency_plan=False).exists()
    )


def test_demo_placements_are_valid_and_coded(demo):
    for placement in Placement.objects.all():
        placement.full_clean()


def test_demo_people_see_realistic_caseloads__Roles(demo):
    def seen(username: str) -> int:
        return children_for_user(User.objects.get(username=username)).count()

    assert 6 <= seen("social-worker") <= 10
    assert 18 <= seen("team-manager") <= 24
    assert seen("auditor") == 40
    assert seen("policy-owner") == 0
    assert seen("buyer") > 0
    assert seen("quality-review-manager") > 0
    assert seen("iro") > 0
    assert seen("supervising-social-worker") > 0
    assert seen("residential-worker") + seen("residential-worker-2") > 0
    assert seen("home-manager") > 0


def test_demo_logins_work_and_roles_have_groups__Roles(demo):
    user = authenticate(username="social-worker", password="demo-pass-2026")
    assert user is not None and user.role == Role.SOCIAL_WORKER
    assert list(user.groups.values_list("name", flat=True)) == ["Social worker"]
    assert User.objects.get(username="auditor").is_staff
    assert User.objects.get(username="policy-owner").is_staff
    assert not User.objects.get(username="social-worker").is_staff


def test_print_logins_shows_every_job_once_with_the_password_and_url(db):
    """One row per role and job a newcomer needs: the chairs (fostering and connected persons team
    managers) and the second policy owner too; the address is the one the server was started on."""
    out = _load("--print-logins", "--base-url", "http://demo.example:8123/")
    rows = [ln.split("  ") for ln in out.splitlines() if ln.rstrip().endswith("demo-pass-2026")]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    assert all(len(row) == 4 for row in rows), rows
    assert {row[0] for row in rows} == {role.label for role in Role}
    for label, job, username, _password in rows:
        user = User.objects.get(username=username)
        assert (Role(user.role).label, user.job_title) == (label, job)
    jobs = [(row[0], row[1]) for row in rows]
    assert len(jobs) == len(set(jobs))
    assert len(jobs) == len(set(User.objects.values_list("role", "job_title")))
    usernames = {row[2] for row in rows}
    assert {"fostering-manager", "kinship-manager", "residential-manager", "policy-owner-2"} <= usernames
    assert "Sign in at http://demo.example:8123/login/" in out


def test_make_demo_loads_once_and_prints_the_address_it_serves(settings):
    """`make demo` loads the demo once (no "nothing changed" straight after loading it) and prints the
    sign-in address with the HOST and PORT it was started with."""
    import shutil
    import subprocess

    if not shutil.which("make"):
        pytest.skip("make is not installed")
    dry_run = subprocess.run(
        ["make", "-n", "demo", "HOST=0.0.0.0", "PORT=8123"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    loads = [ln for ln in dry_run.splitlines() if "manage.py load_demo" in ln]
    assert len(loads) == 1, loads
    assert "--print-logins --base-url http://0.0.0.0:8123" in loads[0]
    assert "runserver 0.0.0.0:8123" in dry_run


def test_demo_names_are_fictional_and_emails_use_reserved_domains(demo):
    assert all(
        email.endswith(".example.org") for email in User.objects.values_list("email", flat=True) if email
    )
    assert all(e.endswith(".example.org") for e in Provider.objects.values_list("contact_email", flat=True))


def test_demo_meetings_come_through_the_engine_in_several_states_once(db):
    """With the packs loaded, the demo adds meetings via workflows services (so every rule applied)."""
    from demo.history import HISTORY
    from demo.meetings import DEMO_MEETINGS
    from workflows.choices import MeetingState
    from workflows.models import Meeting

    call_command("load_packs", stdout=StringIO())
    out = _load()
    meetings = Meeting.objects.all()
    assert "not created" not in out
    assert meetings.count() == len(DEMO_MEETINGS) + len(HISTORY)
    states = set(meetings.values_list("state", flat=True))
    assert {MeetingState.REQUESTED, MeetingState.AWAITING_APPROVAL, MeetingState.CANCELLED} <= states
    assert "meeting: DM for" in out
    late = meetings.get(
        child__local_reference=Child.objects.get(
            placements__end_date=TODAY - timedelta(days=49)
        ).local_reference
    )
    assert late.is_late  # D3: after day 42 it needs the team manager and the Q&R manager
    on_time = meetings.filter(meeting_type__code="DM").exclude(pk=late.pk)
    assert not any(m.is_late for m in on_time)
    assert all(m.history.exists() for m in meetings)  # G7: every step recorded

    again = _load()
    assert Meeting.objects.count() == len(DEMO_MEETINGS) + len(HISTORY)
    assert "nothing changed" in again


def test_demo_without_packs_says_how_to_add_meetings(db):
    assert "load_packs" in _load()


@pytest.fixture
def demo_with_history(db):
    call_command("load_packs", stdout=StringIO())
    return _load()


def test_every_dashboard_shows_something_for_every_dashboard_role_on_first_sign_in(demo_with_history):
    """Each dashboard role's demo login (and the chairs') finds meetings, actions and this quarter's
    disruption themes, all through the same selectors the dashboards use."""
    from dashboards.disruptions import disruption_quarter_collation
    from dashboards.selectors import actions_dashboard, meetings_dashboard
    from workflows.selectors import meetings_for_user

    quarter = {"year": TODAY.year, "quarter": (TODAY.month - 1) // 3 + 1}
    logins = [u for r, _job, u in demo_people.logins_to_show() if r in DASHBOARD_ROLES]
    assert {"team-manager", "fostering-manager", "kinship-manager", "iro", "buyer", "auditor"} <= set(logins)
    for username in logins:
        user = User.objects.get(username=username)
        assert meetings_dashboard(user, today=TODAY).exists(), username
        assert actions_dashboard(user, today=TODAY).exists(), username
    for role in DASHBOARD_ROLES:
        user = User.objects.get(username=demo_people.first_of_each_role()[role])
        themes = disruption_quarter_collation(**quarter, meetings=meetings_for_user(user))
        assert themes["meetings"], f"{role}: no disruption this quarter"
    for username in ("team-manager", "buyer", "auditor"):
        user = User.objects.get(username=username)
        assert meetings_dashboard(user, today=TODAY).filter(is_overdue=True).exists(), username


def test_demo_history_has_minutes_actions_and_disruptions_in_past_quarters__P6_D12(demo_with_history):
    from dashboards.disruptions import disruption_quarter_collation
    from workflows.choices import ActionStatus, MeetingState
    from workflows.models import Action, Meeting

    closed = Meeting.objects.filter(state=MeetingState.CLOSED)
    assert closed.filter(meeting_type__code="PSM").exists()
    assert closed.filter(meeting_type__code="BPM").exists()
    assert not closed.filter(Q(minutes_approved_at=None) | Q(circulated_at=None)).exists()
    # every step happened on its own day, long before today, and its history says so (G7)
    oldest = closed.order_by("held_at").first()
    assert (TODAY - oldest.held_at.date()).days > 90
    assert oldest.history.order_by("at").first().at.date() < oldest.held_at.date()
    actions = Action.objects.filter(follow_up_key="")
    assert not Action.objects.filter(owner=None).exists()  # owners are demo staff
    assert actions.filter(status=ActionStatus.DONE).exists()
    assert actions.filter(status=ActionStatus.OPEN, due_on__lt=TODAY).exists()
    assert actions.filter(status=ActionStatus.OPEN, due_on__gte=TODAY).exists()
    year, quarter = TODAY.year, (TODAY.month - 1) // 3 + 1
    earlier = []
    for _ in range(4):
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        earlier.append(len(disruption_quarter_collation(year=year, quarter=quarter)["meetings"]))
    assert sum(1 for n in earlier if n) >= 2, earlier
    assert Meeting.objects.filter(state=MeetingState.HELD, minutes_due_on__lt=TODAY).exists()  # P8 late


def test_demo_roles_who_own_a_next_step_sign_in_to_notifications__issue13(demo_with_history):
    """The demo runs the daily sweep on its clock: the people who own late steps in the seeded meetings
    (social workers, team managers as escalation, IROs for overdue actions, and the pack's head of
    service) find notifications waiting on first sign-in, and a
    second load sends nothing twice."""
    from reminders.models import Notification

    head = Notification.objects.filter(
        user__username="quality-review-manager", subject__icontains="follow-up"
    )
    assert head.exists()  # the shipped pack's head_of_service setting reaches someone
    for username in ("social-worker", "team-manager", "iro"):
        user = User.objects.get(username=username)
        assert user.notifications.filter(
            read_at__isnull=True, message__topic__startswith="reminders."
        ).exists(), username
    before = Notification.objects.count()
    _load()
    assert Notification.objects.count() == before


def test_every_demo_login_signs_in_to_a_notification__issue13(demo_with_history):
    """Issue 13 "The demo shows notifications for each role on first sign-in": each login --print-logins
    shows has a notification written from an outbox message the services
    queued (invitations, circulated minutes, reminders), and a second load writes none."""
    from reminders.models import Notification

    logins = [(r, u) for r, _job, u in demo_people.logins_to_show()]
    assert len(logins) >= 16
    missing = [u for _r, u in logins if not Notification.objects.filter(user__username=u).exists()]
    assert missing == []
    # the jobs the seeded history reaches through the normal services (issue 13's list)
    for username, topic in (
        ("minute-taker", "workflows.notify_meeting_scheduled"),
        ("home-manager", "workflows.notify_meeting_scheduled"),
        ("residential-worker", "workflows.notify_meeting_scheduled"),
        ("residential-manager", "workflows.notify_meeting_scheduled"),
        ("fostering-manager", "workflows.notify_meeting_scheduled"),
        ("buyer", "workflows.notify_meeting_scheduled"),
        ("buyer-2", "reminders.action_overdue"),
        ("assistant-team-manager", "reminders.action_overdue"),
        ("practice-development-manager", "workflows.notify_minutes_circulated"),
        ("supervising-social-worker-3", "workflows.notify_meeting_scheduled"),
        ("policy-owner", "workflows.policy_change_submitted"),  # policy-owner-2's change
        ("policy-owner-2", "workflows.policy_change_submitted"),  # policy-owner's change
        ("auditor", "dashboards.export_ready"),
    ):
        assert Notification.objects.filter(user__username=username, message__topic=topic).exists(), username
    pdm = Notification.objects.get(user__username="practice-development-manager")
    assert pdm.message.reference.startswith("DM-")  # approved disruption minutes (D12)
    before = Notification.objects.count()
    _load()
    assert Notification.objects.count() == before
