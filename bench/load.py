"""A bounded load test: N simulated users doing a worker's and a manager's round against a running server.

    # against the benchmark database (make bench seeds it), with gunicorn on 127.0.0.1:8100:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench DJANGO_SETTINGS_MODULE=portal.settings.test \\
        .venv/bin/gunicorn portal.wsgi:application -b 127.0.0.1:8100 -w 5 &
    .venv/bin/python bench/load.py --users 50 --seconds 120 --base http://127.0.0.1:8100

Each simulated user signs in through the login form as one of the benchmark's social workers or team
managers (password bench-pass-2026), then repeats its round with no think time until the time is up.
Prints one JSON object: requests, throughput, p50/p95 in ms and errors (any status other than 200).
Users and time are capped (200 users, 600 s) so it can never run away on a shared machine.

Beyond one machine (issue 12): `--processes 2` starts two gunicorn processes itself (ports 8100, 8101)
on one PostgreSQL database, and a qcluster on the Redis broker (Q_BROKER=redis, settings
bench/load_settings.py). Each user signs in on one process and then sends its requests to both in
turn, so a session made by one process must work on the other. While the users run, the script queues
e-mails through the outbox (some of them twice, as a retried request would) and afterwards waits for
the queue to drain and compares the outbox rows and the e-mails written with what it queued: nothing
lost, nothing sent twice. The processes are stopped at the end.

    .venv/bin/python bench/load.py --processes 2 --users 50 --seconds 120 \
        --database-url postgres://postgres@127.0.0.1:5432/bench
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PASSWORD = "bench-pass-2026"
ROUNDS = {
    "social_worker": ["/", "/children/", "/meetings/", "/meetings/?page=2", "/meetings/actions/"],
    "manager": [
        "/",
        "/dashboards/",
        "/dashboards/?overdue=yes",
        "/dashboards/actions/",
        "/meetings/approvals/",
    ],
}


def sign_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(
        base + "/login/", data=data.encode(), headers={"Referer": base + "/login/"}
    )
    opener.open(request).read()
    return opener


def simulate(
    bases: list[str], first: int, username: str, round_: list[str], until: float, times: list, errors: list,
    served: Counter,
) -> None:  # fmt: skip
    """Sign in on bases[first], then send each request to the next process in turn."""
    try:
        opener = sign_in(bases[first], username)
    except Exception as exc:
        errors.append(f"{username}: sign-in failed: {exc}")
        return
    n = first
    while time.monotonic() < until:
        for path in round_:
            n += 1
            base = bases[n % len(bases)]
            started = time.perf_counter()
            try:
                with opener.open(base + path, timeout=30) as response:
                    response.read()
                    if response.status != 200 or response.url.rstrip("/").endswith("/login"):
                        errors.append(f"{base}{path}: {response.status} {response.url}")
                    served[base] += 1
            except Exception as exc:
                errors.append(f"{base}{path}: {exc}")
            times.append((time.perf_counter() - started) * 1000)
            if time.monotonic() >= until:
                return


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except Exception:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


@contextlib.contextmanager
def servers(args, mail_dir: str):
    """Two (or more) gunicorn processes and a qcluster on Redis, all on one database; stopped after."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.load_settings",
        "DATABASE_URL": args.database_url,
        "Q_BROKER": "redis",
        "REDIS_URL": args.redis_url,
        "EMAIL_FILE_PATH": mail_dir,
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update({k: env[k] for k in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "Q_BROKER", "REDIS_URL",
                                            "EMAIL_FILE_PATH")})  # fmt: skip
    bin_dir = Path(sys.executable).parent
    ports = [args.first_port + i for i in range(args.processes)]
    started = [
        subprocess.Popen(
            [
                str(bin_dir / "gunicorn"),
                "portal.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(args.workers),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for port in ports
    ]
    started.append(
        subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
    )
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait_for(base + "/health/", 90)
        yield bases
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def feed_outbox(run: str, count: int, until: float, queued: list) -> None:
    """Queue `count` e-mails through the outbox over the run; every fifth is queued twice (a retried
    request): the second must add nothing."""
    from django.db import connection, transaction

    from outbox import services

    spacing = max((until - time.monotonic()) / max(count, 1), 0.01)
    for i in range(count):
        for _ in range(2 if i % 5 == 0 else 1):
            with transaction.atomic():
                services.message_queue(
                    topic="bench.load", event=f"{run}-{i}", to=[f"load{i}@example.org"],
                    subject=f"Load test {run} #{i}", body="One e-mail of the load test.",
                )  # fmt: skip
        queued.append(i)
        time.sleep(spacing)
    connection.close()


def outbox_result(run: str, queued: list, mail_dir: str, wait: float) -> dict:
    """Wait for the queue to drain, then compare rows and e-mails written with what was queued."""
    from outbox.models import MessageStatus, OutboxMessage

    rows = OutboxMessage.objects.filter(topic="bench.load", dedupe_key__contains=f":{run}-")
    deadline = time.monotonic() + wait
    while rows.filter(status__in=[MessageStatus.PENDING, MessageStatus.SENDING]).exists():
        if time.monotonic() > deadline:
            break
        time.sleep(1)
    statuses = Counter(rows.values_list("status", flat=True))
    subjects = Counter()
    for path in Path(mail_dir).glob("*"):
        subjects.update(re.findall(rf"^Subject: Load test {re.escape(run)} #(\d+)$", path.read_text(), re.M))
    return {
        "queued": len(queued),
        "queued_twice": sum(1 for i in queued if i % 5 == 0),
        "rows": sum(statuses.values()),
        "rows_by_status": dict(statuses),
        "emails_written": sum(subjects.values()),
        "lost": len(set(map(str, queued)) - set(subjects)),
        "sent_twice": sum(1 for n in subjects.values() if n > 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default="http://127.0.0.1:8100", help="a running server (no --processes)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--processes", type=int, default=0, help="start this many gunicorn processes (2+)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per process")
    parser.add_argument("--first-port", type=int, default=8100)
    default_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    parser.add_argument("--database-url", default=default_url)
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--messages", type=int, default=200, help="e-mails queued during the run")
    args = parser.parse_args()
    users, seconds = min(args.users, 200), min(args.seconds, 600)
    processes = min(args.processes, 4)
    times: list[float] = []
    errors: list[str] = []
    served: Counter = Counter()
    result: dict = {}
    with contextlib.ExitStack() as stack:
        if processes:
            mail_dir = stack.enter_context(tempfile.TemporaryDirectory(prefix="portal-load-mail-"))
            bases = stack.enter_context(servers(args, mail_dir))
            sys.path.insert(0, str(ROOT))
            import django

            django.setup()
        else:
            bases = [args.base.rstrip("/")]
        run = uuid.uuid4().hex[:8]
        started = time.monotonic()
        until = started + seconds
        threads = []
        for i in range(users):
            role = "manager" if i % 5 == 0 else "social_worker"
            username = f"bench-tm-{i % 50}" if role == "manager" else f"bench-sw-{i % 1000}"
            threads.append(
                threading.Thread(
                    target=simulate,
                    args=(bases, i % len(bases), username, ROUNDS[role], until, times, errors, served),
                )
            )
        queued: list[int] = []
        if processes:
            threads.append(threading.Thread(target=feed_outbox, args=(run, args.messages, until, queued)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        if processes:
            result["outbox"] = outbox_result(run, queued, mail_dir, wait=120)
    ordered = sorted(times)
    print(
        json.dumps(
            {
                "users": users,
                "processes": bases,
                "seconds": round(elapsed, 1),
                "requests": len(times),
                "requests_by_process": dict(served),
                "throughput_per_second": round(len(times) / elapsed, 1) if elapsed else 0,
                "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
                "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1) if ordered else None,
                "errors": len(errors),
                "first_errors": errors[:5],
                **result,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
