# ruff: noqa: E501, B905 - seed rows read best one per line
"""Every list and export at a large council's size, on PostgreSQL. Prints ONE JSON object; asserts nothing.

    make bench                                        # 100,000 children, 500,000 meetings, 2M actions
    .venv/bin/python bench/dashboards.py --scale 0.1  # a tenth of that, for a quick look

Uses its own database (default postgres://postgres@127.0.0.1:5432/bench, created if missing, with the
settings this workload needs: JIT off, work_mem 64MB, autovacuum on). Seeds it once, deterministically,
with bulk inserts: teams and their managers, social workers, supervising social workers, residential
workers and IROs; carers' households and homes; children with a previous and a current placement
(some agency, some residential, some permanent and disrupted), previous allocations ended and several
involvements each; meetings with chairs, invitees and history; actions with owners. Then it rebuilds
the access table (portal.access) and runs VACUUM ANALYZE. A different --scale drops and reseeds.

For each page and role it reports p50 and p95 over --requests requests through the Django test client
and the query count; for each export its seconds, the memory it added (peak RSS during the export minus
RSS before), and the same rows written by XlsxWriter alone, as a ratio. The plans of the manager's and
the IRO's page queries go to bench/plans/ (EXPLAIN ANALYZE, BUFFERS).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench"
SEED_VERSION = "2"
DATABASE_SETTINGS = {"jit": "off", "work_mem": "'64MB'", "random_page_cost": "1.1", "autovacuum": None}
BATCH = 10_000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_database(url: str, marker: str) -> bool:
    """Create the database if missing (dropping it when seeded at another scale); True if seeded."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        seeded = False
        if exists:
            with psycopg.connect(url, autocommit=True) as db:
                row = db.execute("SELECT to_regclass('bench_seed')").fetchone()[0]
                seeded = bool(row) and db.execute("SELECT marker FROM bench_seed").fetchone() == (marker,)
            if not seeded:
                log(f"bench: dropping {name} (seeded at another scale or not at all)")
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = False
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
        for setting, value in DATABASE_SETTINGS.items():
            if value is not None:
                conn.execute(f'ALTER DATABASE "{name}" SET {setting} = {value}')
    return seeded


def bulk(model, rows) -> list:
    """bulk_create in big batches; returns the created objects (with their ids, on PostgreSQL)."""
    created, batch = [], []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            created += model.objects.bulk_create(batch)
            batch = []
    if batch:
        created += model.objects.bulk_create(batch)
    return created


SEED_TABLES = [
    "portal_child",
    "portal_placement",
    "portal_involvement",
    "workflows_meeting",
    "workflows_invitee",
    "workflows_meetingtransition",
    "workflows_action",
]


def secondary_indexes_drop(tables: list[str]) -> list[str]:
    """Drop the seeded tables' indexes that back no constraint; returns their definitions to recreate.

    Building an index once after the rows are in is several times cheaper than maintaining it row by
    row through millions of inserts (PostgreSQL's own advice for bulk loads)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [tables],
        )
        found = cursor.fetchall()
        for name, _definition in found:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in found]


def indexes_create(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)


def seed(scale: float, marker: str) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from portal.access import access_rebuild
    from portal.choices import Role, TeamKind, placement_category_for
    from portal.models import CarerHousehold, Child, Home, Involvement, Placement, Provider, Team, User
    from workflows.choices import ActionStatus, MeetingState
    from workflows.models import Action, Invitee, Meeting, MeetingTransition, MeetingType

    started = time.perf_counter()
    n_children, n_meetings, n_actions = int(100_000 * scale), int(500_000 * scale), int(2_000_000 * scale)
    call_command("load_packs", verbosity=0)
    psm = MeetingType.objects.get(pack__slug="county", code="PSM")
    bpm = MeetingType.objects.get(pack__slug="regional", code="BPM")
    password = make_password("bench-pass-2026")
    london = ZoneInfo("Europe/London")
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")  # a lost seed is reseeded; no need to wait on disk
    dropped = secondary_indexes_drop(SEED_TABLES)

    def team(name: str, kind: str) -> Team:
        return Team.objects.create(name=name, kind=kind, area=f"Area {len(name) % 7}")

    def people(prefix: str, n: int, role: str, teams: list[Team | None]) -> list[User]:
        return bulk(
            User,
            (
                User(
                    username=f"bench-{prefix}-{i}",
                    first_name=prefix.upper(),
                    last_name=f"Worker {i}",
                    role=role,
                    team=teams[i % len(teams)],
                    password=password,
                )
                for i in range(n)
            ),
        )

    cs_teams = [team(f"Bench children's team {i:03d}", TeamKind.CHILDREN_SOCIAL_WORK) for i in range(50)]
    fostering = [team(f"Bench fostering {i}", TeamKind.FOSTERING) for i in range(5)]
    residential = [team(f"Bench residential {i}", TeamKind.RESIDENTIAL) for i in range(2)]
    iro_service = team("Bench IRO service", TeamKind.IRO_SERVICE)
    managers = people("tm", 50, Role.TEAM_MANAGER, cs_teams)
    people("atm", 50, Role.ASSISTANT_TEAM_MANAGER, cs_teams)
    fostering_managers = people("ftm", 5, Role.TEAM_MANAGER, fostering)
    residential_managers = people("rtm", 2, Role.TEAM_MANAGER, residential)
    iro_manager = people("iro-tm", 1, Role.TEAM_MANAGER, [iro_service])
    for t, m in [*zip(cs_teams, managers), *zip(fostering, fostering_managers), *zip(residential, residential_managers),
                 (iro_service, iro_manager[0])]:  # fmt: skip
        t.manager = m
    Team.objects.bulk_update([*cs_teams, *fostering, *residential, iro_service], ["manager"])
    workers = people("sw", 1000, Role.SOCIAL_WORKER, cs_teams)
    ssws = people("ssw", 150, Role.SUPERVISING_SOCIAL_WORKER, fostering)
    residential_workers = people("rw", 100, Role.RESIDENTIAL_WORKER, residential)
    iros = people("iro", 200, Role.IRO, [iro_service])
    people("qr", 2, Role.QUALITY_REVIEW_MANAGER, [None])
    people("buyer", 3, Role.BUYER, [None])
    people("pdm", 2, Role.PRACTICE_DEVELOPMENT_MANAGER, [None])
    people("auditor", 1, Role.AUDITOR, [None])
    providers = bulk(
        Provider, (Provider(name=f"Bench agency {i}", kind="fostering_agency") for i in range(20))
    )
    homes = bulk(
        Home,
        (
            Home(
                name=f"Bench home {i}",
                provider=providers[i % len(providers)] if i % 2 else None,
                area="Area 1",
            )
            for i in range(40)
        ),
    )
    n_households = max(200, int(6000 * scale))
    households = bulk(
        CarerHousehold,
        (
            CarerHousehold(
                name=f"Bench carers {i}",
                kind="agency_foster" if i % 5 == 0 else "in_house_foster",
                local_reference=f"BFC{i:07d}",
                supervising_social_worker=ssws[i % len(ssws)],
                provider=providers[i % len(providers)] if i % 5 == 0 else None,
            )
            for i in range(n_households)
        ),
    )
    log(f"seed: people and carers in {time.perf_counter() - started:.0f} s")

    children = bulk(
        Child,
        (
            Child(
                first_name=f"Child{i}",
                last_name=f"Bench{i % 977}",
                date_of_birth=date(2010, 1, 1) + timedelta(days=i % 3000),
                gender="2" if i % 2 else "1",
                local_reference=f"BN{i:08d}",
                legal_status="C2",
                area=f"Area {i % 7}",
                social_worker=workers[i % len(workers)],
                team_id=workers[i % len(workers)].team_id,
                iro=iros[i % len(iros)],
            )
            for i in range(n_children)
        ),
    )

    def placements():
        for i, child in enumerate(children):
            first_start = date(2021, 1, 4) + timedelta(days=i % 400)
            first_end = first_start + timedelta(days=300 + i % 200)
            permanent = i % 11 == 0
            yield Placement(
                child=child,
                placement_type="U4",
                provider_code="PR1",
                category=placement_category_for("U4", "PR1"),
                carer_household=households[(i * 7) % len(households)],
                start_date=first_start,
                end_date=first_end,
                reason_for_change="STAND" if i % 7 == 0 else "CARPL",
                ended_unplanned=i % 7 == 0,
                is_permanent=permanent,
                ratified_permanent_on=first_start + timedelta(days=60) if permanent else None,
            )
            start = first_end + timedelta(days=1)
            if i % 5 == 0:  # a children's home
                home = homes[i % len(homes)]
                code = "PR4" if home.provider_id else "PR1"
                yield Placement(
                    child=child, placement_type="K2", provider_code=code, category=placement_category_for("K2", code),
                    home=home, provider=home.provider, start_date=start, notice_period_days=28 if home.provider_id else None,
                    has_contingency_plan=True if home.provider_id else None,
                )  # fmt: skip
            else:
                household = households[i % len(households)]
                code = "PR4" if household.provider_id else "PR1"
                yield Placement(
                    child=child, placement_type="U4", provider_code=code, category=placement_category_for("U4", code),
                    carer_household=household, provider=household.provider, start_date=start,
                    notice_period_days=28 if household.provider_id else None,
                    has_contingency_plan=True if household.provider_id else None,
                )  # fmt: skip

    placement_rows = bulk(Placement, placements())
    current = {p.child_id: p for p in placement_rows if p.end_date is None}

    def involvements():
        for i, child in enumerate(children):
            placement = current[child.pk]
            # the social worker before this one: allocations change over time
            yield Involvement(child=child, user=workers[(i + 7) % len(workers)], role="social_worker",
                              start_date=date(2021, 1, 4), end_date=date(2023, 12, 31))  # fmt: skip
            yield Involvement(child=child, user=iros[(i + 3) % len(iros)], role="iro",
                              start_date=date(2021, 1, 4), end_date=date(2024, 6, 30))  # fmt: skip
            if placement.home_id:
                yield Involvement(child=child, user=residential_workers[i % len(residential_workers)],
                                  role="key_worker", start_date=placement.start_date)  # fmt: skip
            else:
                yield Involvement(child=child, user=ssws[(i * 3) % len(ssws)], role="supervising_social_worker",
                                  start_date=placement.start_date)  # fmt: skip

    bulk(Involvement, involvements())
    log(f"seed: {n_children:,} children, placements, involvements in {time.perf_counter() - started:.0f} s")

    states = [
        MeetingState.AWAITING_APPROVAL,
        MeetingState.SCHEDULED,
        MeetingState.HELD,
        MeetingState.CIRCULATED,
        MeetingState.CLOSED,
    ]

    def meetings():
        for i in range(n_meetings):
            child = children[i % n_children]
            placement = current[child.pk]
            kind = bpm if i % 10 == 9 else psm
            requested = date(2023, 1, 2) + timedelta(days=i % 1400)
            state = states[i % len(states)]
            chaired = state != MeetingState.AWAITING_APPROVAL
            yield Meeting(
                reference=f"{kind.code}-{i + 1:07d}",
                meeting_type=kind,
                policy_revision_id=kind.live_revision_id,
                state=state,
                child=child,
                placement=placement,
                requested_by_id=child.social_worker_id,
                requested_at=datetime(2023, 1, 2, 10, tzinfo=london) + timedelta(days=i % 1400),
                anchor_on=requested,
                due_on=requested + timedelta(days=7),
                minutes_due_on=requested + timedelta(days=14),
                chair=fostering_managers[i % len(fostering_managers)] if chaired else None,
                scheduled_for=datetime(2023, 1, 5, 14, tzinfo=london) + timedelta(days=i % 1400)
                if chaired
                else None,
            )

    meeting_rows = bulk(Meeting, meetings())
    log(f"seed: {n_meetings:,} meetings in {time.perf_counter() - started:.0f} s")

    def invitees():
        for m in meeting_rows:
            ssw = ssws[m.pk % len(ssws)]
            yield Invitee(
                meeting_id=m.pk, user_id=m.requested_by_id, name="Social worker", role="social_worker"
            )
            yield Invitee(
                meeting_id=m.pk, user=ssw, name="Supervising social worker", role="supervising_social_worker"
            )
            yield Invitee(meeting_id=m.pk, user=None, name="The carers", role="foster_carer")

    bulk(Invitee, invitees())

    def history():
        for m in meeting_rows:
            at = m.requested_at
            yield MeetingTransition(meeting_id=m.pk, name="submit", source="requested", target="awaiting_approval",
                                    by_id=m.requested_by_id, at=at + timedelta(hours=2))  # fmt: skip
            if m.state != MeetingState.AWAITING_APPROVAL:
                yield MeetingTransition(meeting_id=m.pk, name="approve", source="awaiting_approval", target="approved",
                                        by_id=managers[m.pk % len(managers)].pk, at=at + timedelta(days=1))  # fmt: skip

    bulk(MeetingTransition, history())
    log(f"seed: invitees and history in {time.perf_counter() - started:.0f} s")

    def actions():
        for i in range(n_actions):
            m = meeting_rows[i % len(meeting_rows)]
            owner = None if i % 4 == 3 else (ssws[i % len(ssws)] if i % 2 else workers[i % len(workers)])
            yield Action(
                meeting_id=m.pk,
                child_id=m.child_id,
                description=f"Action {i}",
                owner=owner,
                owner_name="" if owner else "Supervising social worker",
                due_on=date(2023, 2, 1) + timedelta(days=i % 1400),
                evaluation="Reviewed at supervision",
                status=ActionStatus.OPEN if i % 3 else ActionStatus.DONE,
            )

    bulk(Action, actions())
    log(f"seed: {n_actions:,} actions in {time.perf_counter() - started:.0f} s")
    indexes_create(dropped)
    log(f"seed: {len(dropped)} indexes rebuilt in {time.perf_counter() - started:.0f} s")
    diff = access_rebuild()
    log(f"seed: access table, {diff.missing:,} rows, in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_seed (marker text)")
        cursor.execute("INSERT INTO bench_seed VALUES (%s)", [marker])
    return {"seconds": round(time.perf_counter() - started, 1), "access_rows": diff.missing}


def vacuum_analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return round(time.perf_counter() - started, 1)


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """Samples the process's RSS every 5 ms while the block runs: memory added = peak - before."""

    def __enter__(self) -> PeakRss:
        self.before = self.peak = rss_mib()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())

    @property
    def added(self) -> float:
        return round(self.peak - self.before, 1)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p * len(ordered) + 0.5) - 1))]


def measure_page(client, url: str, requests: int) -> dict:
    from django.db import connection

    queries = []  # counted by a wrapper: the query log is reset at each request's start

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    client.get(url)  # warm-up: a process reads each published revision once (workflows.revisions)
    with connection.execute_wrapper(count):
        response = client.get(url)  # the query count of a request in a warm process
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "queries": len(queries),
        "requests": requests,
    }


def measure_export(client, url: str, rows_of) -> dict:
    """The export through the view, then the same rows written by XlsxWriter alone (and openpyxl)."""
    from openpyxl import Workbook

    from dashboards.exports import xlsx_write

    # warm-up, as for the pages: the first request of a process imports and reads the published
    # revisions once (about a second), which is not the export's cost
    sum(len(chunk) for chunk in client.get(url).streaming_content)
    with PeakRss() as memory:
        started = time.perf_counter()
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.streaming_content)
        seconds = time.perf_counter() - started
    headers, rows = rows_of()
    with tempfile.TemporaryFile() as spool:
        started = time.perf_counter()
        xlsx_write(spool, title="Bench", headers=headers, rows=rows)
        xlsxwriter_seconds = time.perf_counter() - started
    result = {
        "status": response.status_code,
        "rows": len(rows),
        "seconds": round(seconds, 2),
        "memory_added_mib": memory.added,
        "xlsxwriter_alone_seconds": round(xlsxwriter_seconds, 2),
        "ratio_to_xlsxwriter": round(seconds / xlsxwriter_seconds, 2) if xlsxwriter_seconds else None,
        "kib": round(size / 1024),
    }
    if len(rows) <= 20_000:  # openpyxl write-only (with lxml) on the same rows, for the comparison
        started = time.perf_counter()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Bench")
        for row in rows:  # openpyxl refuses aware datetimes; XlsxWriter's path converts them too
            sheet.append([v.replace(tzinfo=None) if isinstance(v, datetime) else v for v in row])
        with tempfile.TemporaryFile() as spool:
            workbook.save(spool)
        result["openpyxl_write_only_seconds"] = round(time.perf_counter() - started, 2)
    return result


def save_plans(client, plans_dir: Path, label: str, url: str) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the page's count and page-ids queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    wanted = [q["sql"] for q in queries if "LIMIT 25" in q["sql"] or "COUNT(*)" in q["sql"]]
    if not wanted:
        return []
    saved = []
    for n, sql in enumerate(wanted):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        path = plans_dir / f"{label}-{n + 1}.txt"
        path.write_text(f"-- {label}: {url}\n-- {sql}\n\n{plan}\n")
        saved.append(str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path))
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (at least 20)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--plans", default=str(ROOT / "bench" / "plans"), help="where EXPLAIN output goes")
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (if needed) and VACUUM ANALYZE, then stop"
    )
    parser.add_argument("--skip-exports", action="store_true", help="pages and plans only")
    args = parser.parse_args()
    marker = f"v{SEED_VERSION} scale={args.scale}"
    seeded = ensure_database(args.database_url, marker)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    import portal.wsgi  # the production process's set-up, its garbage-collector freeze included

    assert portal.wsgi.application
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from dashboards.listings import ACTION_COLUMNS, MEETING_COLUMNS, _action_rows, _meeting_rows
    from dashboards.selectors import actions_dashboard, meetings_dashboard
    from portal.models import Child, ChildAccess, User
    from workflows.models import Action, Invitee, Meeting

    call_command("migrate", verbosity=0)
    # Exports over EXPORT_BACKGROUND_ROWS are built by django-q2 and answered with a redirect (issue 14):
    # the bench measures the writer in the request, as before.
    settings.EXPORT_BACKGROUND_ROWS = 10**9
    result: dict = {"scale": args.scale, "database": args.database_url.rsplit("/", 1)[1]}
    result["load_average_at_start"] = [round(n, 1) for n in os.getloadavg()]  # a shared machine says so
    if not seeded:
        result["seed"] = seed(args.scale, marker)
        result["seed"]["vacuum_analyze_seconds"] = vacuum_analyze()
    from portal.access import wide_scopes_mark

    result["wide_scope_users"] = wide_scopes_mark()  # the nightly check's flag (a seed older than it)
    if args.seed_only:
        print(json.dumps(result, indent=1, default=str))
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        cursor.execute("SHOW work_mem")
        result["postgres"] = {"jit": jit, "work_mem": cursor.fetchone()[0]}
    result["rows"] = {
        "children": Child.objects.count(),
        "meetings": Meeting.objects.count(),
        "actions": Action.objects.count(),
        "invitees": Invitee.objects.count(),
        "access_rows": ChildAccess.objects.count(),
    }
    log(f"bench: {result['rows']}")

    def user(prefix: str, role: str) -> User:
        return User.objects.filter(username__startswith=f"bench-{prefix}-", role=role).order_by("pk").first()

    roles = {
        "manager": user("tm", "team_manager"),
        "iro": user("iro", "iro"),
        "iro_service_manager": user("iro-tm", "team_manager"),  # manages every IRO: sees every child
        "social_worker": user("sw", "social_worker"),
        "quality_review": user("qr", "quality_review_manager"),
        "buyer": user("buyer", "buyer"),
        "auditor": user("auditor", "auditor"),
    }
    meetings, actions = reverse("dashboards:meetings"), reverse("dashboards:actions")
    worker_list, home, children = reverse("workflows:meeting_list"), reverse("home"), reverse("my_children")
    approvals = reverse("workflows:approval_queue")
    worker = roles["social_worker"]
    child_page = reverse(
        "child_detail", args=[Child.objects.filter(social_worker=worker).order_by("pk")[0].pk]
    )
    meeting = Meeting.objects.filter(child__social_worker=worker).order_by("pk")[0]
    meeting_page = reverse("workflows:meeting_detail", args=[meeting.pk])
    pages = {
        "manager": {
            "meetings": meetings,
            "overdue meetings, page 3": meetings + "?overdue=yes&page=3",
            "actions": actions,
            "overdue actions": actions + "?overdue=yes",
            "meeting list": worker_list,
            "home": home,
            "approval queue": approvals,
        },
        "iro": {
            "meetings": meetings,
            "overdue actions": actions + "?overdue=yes",
            "meeting list": worker_list,
        },
        "social_worker": {
            "meeting list": worker_list,
            "meeting list, page 2": worker_list + "?page=2",
            "home": home,
            "my children": children,
            "child page": child_page,
            "meeting page": meeting_page,
        },
        "iro_service_manager": {"meetings": meetings, "actions": actions, "home": home},
        "quality_review": {"meetings": meetings, "approval queue": approvals},
        "buyer": {"meetings": meetings},
        "auditor": {
            "meetings": meetings,
            "overdue meetings by child, page 10": meetings + "?overdue=yes&sort=child&page=10",
            "actions": actions,
        },
    }
    client = Client()
    # exports first, in a process that has not yet grown with the pages
    span = 280  # meetings due in 280 days: 100,000 rows at full scale (500,000 over 1,400 days)
    due_to = date(2023, 1, 9) + timedelta(days=span - 1)
    result["exports"] = {}
    exports = [] if args.skip_exports else [
        ("manager: team's meetings", "manager", meetings + "?format=xlsx", meetings_dashboard, {},
         MEETING_COLUMNS, _meeting_rows),
        (f"auditor: meetings due in {span} days", "auditor",
         meetings + f"?due_from=2023-01-09&due_to={due_to}&format=xlsx", meetings_dashboard,
         {"due_on__gte": date(2023, 1, 9), "due_on__lte": due_to}, MEETING_COLUMNS, _meeting_rows),
        ("iro: actions", "iro", actions + "?format=xlsx", actions_dashboard, {}, ACTION_COLUMNS, _action_rows),
    ]  # fmt: skip
    for label, role, url, selector, filters, headers, rows_fn in exports:
        client.force_login(roles[role])
        log(f"bench: export {label}")
        who = roles[role]

        def rows_of(selector=selector, filters=filters, headers=headers, rows_fn=rows_fn, who=who):
            return headers, list(rows_fn(selector(who).filter(**filters).order_by("due_on", "pk")))

        result["exports"][label] = measure_export(client, url, rows_of)
    result["pages"] = {}
    for role, role_pages in pages.items():
        client.force_login(roles[role])
        for label, url in role_pages.items():
            log(f"bench: {role}: {label}")
            result["pages"][f"{role}: {label}"] = measure_page(client, url, max(args.requests, 20))
    plans_dir = Path(args.plans).resolve()
    plans_dir.mkdir(parents=True, exist_ok=True)
    result["plans"] = []
    for role, label, url in [
        ("manager", "manager-meetings", meetings),
        ("manager", "manager-actions", actions),
        ("iro", "iro-meetings", meetings),
        ("iro", "iro-overdue-actions", actions + "?overdue=yes"),
        ("iro_service_manager", "iro-service-manager-meetings", meetings),
        ("iro_service_manager", "iro-service-manager-actions", actions),
        ("buyer", "buyer-meetings", meetings),
    ]:
        client.force_login(roles[role])
        result["plans"] += save_plans(client, plans_dir, f"{label}-scale-{args.scale}", url)
    result["load_average_at_end"] = [round(n, 1) for n in os.getloadavg()]
    print(json.dumps(result, indent=1, default=str))


if __name__ == "__main__":
    main()
