"""A bounded load test: N simulated users doing a worker's and a manager's round against a running server.

    # against the benchmark database (make bench seeds it), with gunicorn on 127.0.0.1:8100:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench DJANGO_SETTINGS_MODULE=portal.settings.test \\
        .venv/bin/gunicorn portal.wsgi:application -b 127.0.0.1:8100 -w 5 &
    .venv/bin/python bench/load.py --users 50 --seconds 120 --base http://127.0.0.1:8100

Each simulated user signs in through the login form as one of the benchmark's social workers or team
managers (password bench-pass-2026), then repeats its round with no think time until the time is up.
Prints one JSON object: requests, throughput, p50/p95 in ms and errors (any status other than 200).
Users and time are capped (200 users, 600 s) so it can never run away on a shared machine.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import statistics
import threading
import time
import urllib.parse
import urllib.request

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


def simulate(base: str, username: str, round_: list[str], until: float, times: list, errors: list) -> None:
    try:
        opener = sign_in(base, username)
    except Exception as exc:
        errors.append(f"{username}: sign-in failed: {exc}")
        return
    while time.monotonic() < until:
        for path in round_:
            started = time.perf_counter()
            try:
                with opener.open(base + path, timeout=30) as response:
                    response.read()
                    if response.status != 200 or response.url.rstrip("/").endswith("/login"):
                        errors.append(f"{path}: {response.status} {response.url}")
            except Exception as exc:
                errors.append(f"{path}: {exc}")
            times.append((time.perf_counter() - started) * 1000)
            if time.monotonic() >= until:
                return


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default="http://127.0.0.1:8100")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    args = parser.parse_args()
    users, seconds = min(args.users, 200), min(args.seconds, 600)
    times: list[float] = []
    errors: list[str] = []
    started = time.monotonic()
    until = started + seconds
    threads = []
    for i in range(users):
        role = "manager" if i % 5 == 0 else "social_worker"
        username = f"bench-tm-{i % 50}" if role == "manager" else f"bench-sw-{i % 1000}"
        base = args.base.rstrip("/")
        threads.append(
            threading.Thread(target=simulate, args=(base, username, ROUNDS[role], until, times, errors))
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ordered = sorted(times)
    print(
        json.dumps(
            {
                "users": users,
                "seconds": round(elapsed, 1),
                "requests": len(times),
                "throughput_per_second": round(len(times) / elapsed, 1) if elapsed else 0,
                "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
                "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1) if ordered else None,
                "errors": len(errors),
                "first_errors": errors[:5],
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
