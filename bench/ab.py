"""The interleaved A/B loop shared by bench/ab_pages.py and bench/ab_branches.py: each page is requested
in its "before" and "after" form in turn, so both run under the same load on a shared machine."""

from __future__ import annotations

import time
from collections.abc import Callable


def interleaved(client, forms: dict, requests: int, switch: Callable[[str, str, object], None]) -> dict:
    """p50/p95 ms and queries per page and form. `forms` maps a label to (user, url, kind); `switch(kind,
    form, user)` puts the code in the "before" or "after" form before each request. The first round of
    each page warms the process and is not timed."""
    from django.db import connection

    from bench.dashboards import percentile

    result: dict = {}
    for label, (who, page, kind) in forms.items():
        client.force_login(who)
        times: dict[str, list[float]] = {"before": [], "after": []}
        queries: dict[str, int] = {}
        for n in range(requests + 1):
            for form in ("before", "after"):
                switch(kind, form, who)
                seen: list[str] = []

                def count(ex, sql, params, many, context, seen=seen):
                    seen.append(sql)
                    return ex(sql, params, many, context)

                started = time.perf_counter()
                with connection.execute_wrapper(count):
                    response = client.get(page)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (label, response.status_code)
                if n:
                    times[form].append(elapsed)
                queries[form] = len(seen)
        result[label] = {
            form: {
                "p50_ms": round(percentile(times[form], 0.5), 1),
                "p95_ms": round(percentile(times[form], 0.95), 1),
                "queries": queries[form],
                "requests": requests,
            }
            for form in times
        }
    return result
