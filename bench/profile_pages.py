"""Where a page's CPU goes: cProfile over repeated requests through the Django test client (issue 12).

    .venv/bin/python bench/profile_pages.py --database-url postgres://postgres@127.0.0.1:5432/bench \\
        --requests 20 --out bench/plans

Profiles the manager's home page, and a social worker's child page and meeting page, on the benchmark
database (seed it first with bench/dashboards.py). For each page it writes the 30 functions with the
most time of their own and the 30 with the most cumulative time to <out>/profile-<page>.txt, and prints
a JSON summary: CPU milliseconds and queries per request without the profiler, then milliseconds per
request under it, the share spent waiting for PostgreSQL (time inside the database driver's execute)
and the share in template rendering.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def share(stats: pstats.Stats, needle: str, total: float) -> float:
    """Cumulative time of the outermost functions whose name or file contains `needle`, as a share."""
    seconds = max(
        (cum for (file, _line, name), (_cc, _nc, _tt, cum, _callers) in stats.stats.items()
         if needle in f"{file}:{name}"),
        default=0.0,
    )  # fmt: skip
    return round(seconds / total, 3) if total else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--database-url", default=default_url)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--out", default=str(ROOT / "bench" / "plans"))
    parser.add_argument("--label", default="", help="added to the file names (e.g. before, after)")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from portal.models import Child, User
    from workflows.models import Meeting

    manager = (
        User.objects.filter(username__startswith="bench-tm-", role="team_manager").order_by("pk").first()
    )
    worker = (
        User.objects.filter(username__startswith="bench-sw-", role="social_worker").order_by("pk").first()
    )
    child = Child.objects.filter(social_worker=worker).order_by("pk").first()
    meeting = Meeting.objects.filter(child__social_worker=worker).order_by("pk").first()
    pages = [
        ("home", manager, reverse("home")),
        ("child", worker, reverse("child_detail", args=[child.pk])),
        ("meeting", worker, reverse("workflows:meeting_detail", args=[meeting.pk])),
    ]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name, user, url in pages:
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200  # warm-up
        # without the profiler: this process's CPU per request (not the time waiting for PostgreSQL,
        # so a busy shared machine changes it less than wall time) and the queries per request
        queries = []  # counted by a wrapper: each request clears Django's own query log

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            cpu = time.process_time()
            for _ in range(args.requests):
                client.get(url)
            cpu = time.process_time() - cpu
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.requests):
            client.get(url)
        profiler.disable()
        elapsed = time.perf_counter() - started
        stats = pstats.Stats(profiler)
        total = stats.total_tt
        text = io.StringIO()
        report = pstats.Stats(profiler, stream=text)
        report.strip_dirs().sort_stats("tottime").print_stats(30)
        report.sort_stats("cumulative").print_stats(30)
        suffix = f"-{args.label}" if args.label else ""
        (out / f"profile-{name}{suffix}.txt").write_text(
            f"-- {name}: {url}, {args.requests} requests\n" + text.getvalue()
        )
        summary[name] = {
            "cpu_ms_per_request": round(cpu * 1000 / args.requests, 1),
            "queries_per_request": len(queries) // args.requests,
            "ms_per_request_profiled": round(elapsed * 1000 / args.requests, 1),
            "database_share": share(stats, "cursor.py:execute", total),
            "template_share": share(stats, "base.py:render", total),
        }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
