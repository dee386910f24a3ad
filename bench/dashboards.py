"""Dashboards and Excel returns at a large council's size, on PostgreSQL. Prints figures; asserts nothing.

    .venv/bin/python bench/dashboards.py              # 100,000 children, 500,000 meetings, 2M actions
    .venv/bin/python bench/dashboards.py --scale 0.1  # a tenth of that, for a quick look

Uses its own database (default postgres://postgres@127.0.0.1:5432/bench, created if missing) and seeds it
once with bulk inserts; later runs reuse the rows. For each page it prints the wall time, the number of
SQL queries and the process's peak memory, so a regression in query count or memory shows at once.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def batched(iterable, size: int = 5000):  # noqa: ANN001, ANN201
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def seed(children: int, meetings: int, actions: int) -> None:
    from django.core.management import call_command

    from portal.choices import Role, TeamKind
    from portal.models import Child, Placement, Team, User
    from workflows.choices import MeetingState
    from workflows.models import Action, Meeting, MeetingType

    if Child.objects.count() >= children:
        print(
            f"seed: reusing {Child.objects.count():,} children, {Meeting.objects.count():,} meetings, "
            f"{Action.objects.count():,} actions"
        )
        return
    started = time.perf_counter()
    call_command("load_packs", verbosity=0)
    psm = MeetingType.objects.get(pack__slug="county", code="PSM")
    teams = [
        Team.objects.get_or_create(name=f"Bench team {i:03d}", kind=TeamKind.CHILDREN_SOCIAL_WORK)[0]
        for i in range(50)
    ]
    managers = []
    for team in teams:
        manager, _ = User.objects.get_or_create(
            username=f"bench-tm-{team.pk}", defaults={"role": Role.TEAM_MANAGER, "team": team}
        )
        team.manager = manager
        team.save(update_fields=["manager"])
        managers.append(manager)
    workers = [
        User.objects.get_or_create(
            username=f"bench-sw-{i}", defaults={"role": Role.SOCIAL_WORKER, "team": teams[i % 50]}
        )[0]
        for i in range(1000)
    ]
    iros = [
        User.objects.get_or_create(username=f"bench-iro-{i}", defaults={"role": Role.IRO})[0]
        for i in range(200)
    ]
    User.objects.get_or_create(username="bench-auditor", defaults={"role": Role.AUDITOR})

    def child_rows():
        for i in range(children):
            worker = workers[i % len(workers)]
            yield Child(
                first_name=f"Child{i}",
                last_name=f"Bench{i % 977}",
                date_of_birth=date(2010, 1, 1) + timedelta(days=i % 3000),
                gender="F" if i % 2 else "M",
                local_reference=f"BN{i:08d}",
                legal_status="C2",
                area=f"Area {i % 7}",
                social_worker=worker,
                team_id=worker.team_id,
                iro=iros[i % len(iros)],
            )

    for batch in batched(child_rows()):
        Child.objects.bulk_create(batch)
    child_ids = list(Child.objects.order_by("pk").values_list("pk", "social_worker_id"))
    for batch in batched(
        Placement(child_id=pk, placement_type="U4", provider_code="PR1", start_date=date(2024, 1, 1))
        for pk, _ in child_ids
    ):
        Placement.objects.bulk_create(batch)
    placements = dict(Placement.objects.values_list("child_id", "pk"))
    states = [
        MeetingState.AWAITING_APPROVAL,
        MeetingState.SCHEDULED,
        MeetingState.HELD,
        MeetingState.CIRCULATED,
        MeetingState.CLOSED,
    ]
    london = ZoneInfo("Europe/London")
    revision_id = psm.live_revision_id

    def meeting_rows():
        for i in range(meetings):
            child_id, worker_id = child_ids[i % len(child_ids)]
            requested = date(2023, 1, 2) + timedelta(days=i % 1400)
            yield Meeting(
                reference=f"PSM-{i + 1:07d}",
                meeting_type=psm,
                policy_revision_id=revision_id,
                state=states[i % len(states)],
                child_id=child_id,
                placement_id=placements[child_id],
                requested_by_id=worker_id,
                requested_at=datetime(2023, 1, 2, 10, tzinfo=london) + timedelta(days=i % 1400),
                anchor_on=requested,
                due_on=requested + timedelta(days=7),
                minutes_due_on=requested + timedelta(days=14),
            )

    for batch in batched(meeting_rows()):
        Meeting.objects.bulk_create(batch)
    meeting_ids = list(Meeting.objects.order_by("pk").values_list("pk", "child_id"))

    def action_rows():
        for i in range(actions):
            meeting_id, child_id = meeting_ids[i % len(meeting_ids)]
            yield Action(
                meeting_id=meeting_id,
                child_id=child_id,
                description=f"Action {i}",
                owner_id=workers[i % len(workers)].pk,
                due_on=date(2023, 2, 1) + timedelta(days=i % 1400),
                evaluation="Reviewed at supervision",
                status="open" if i % 3 else "done",
            )

    for batch in batched(action_rows()):
        Action.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seed: {children:,} children, {meetings:,} meetings, {actions:,} actions "
        f"in {time.perf_counter() - started:.0f} s"
    )


def measure(client, label: str, url: str) -> None:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = time.perf_counter() - started
    print(
        f"{label:<48} {response.status_code}  {elapsed:7.2f} s  {len(queries):3d} queries  "
        f"{len(body) / 1024:9.0f} KiB  peak {peak_mib():6.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--export-all", action="store_true", help="also export every meeting as an auditor")
    args = parser.parse_args()
    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from portal.models import User

    call_command("migrate", verbosity=0)
    seed(int(100_000 * args.scale), int(500_000 * args.scale), int(2_000_000 * args.scale))
    client = Client()
    manager = User.objects.filter(username__startswith="bench-tm-").order_by("pk").first()
    iro = User.objects.filter(username__startswith="bench-iro-").order_by("pk").first()
    auditor = User.objects.get(username="bench-auditor")
    print(f"{'page':<48} code     time      SQL         size       memory")
    client.force_login(manager)
    measure(client, "manager: meetings, first page", "/dashboards/")
    measure(client, "manager: overdue meetings, page 3", "/dashboards/?overdue=yes&page=3")
    measure(client, "manager: actions, first page", "/dashboards/actions/")
    measure(client, "manager: export team's meetings (xlsx)", "/dashboards/?format=xlsx")
    client.force_login(iro)
    measure(client, "IRO: overdue actions, first page", "/dashboards/actions/?overdue=yes")
    client.force_login(auditor)
    measure(client, "auditor: meetings, first page", "/dashboards/")
    measure(
        client,
        "auditor: overdue meetings sorted by child, page 10",
        "/dashboards/?overdue=yes&sort=child&page=10",
    )
    measure(client, "auditor: actions, first page", "/dashboards/actions/")
    if args.export_all:
        measure(client, "auditor: export every meeting (xlsx)", "/dashboards/?format=xlsx")


if __name__ == "__main__":
    main()
