"""EXPLAIN (ANALYZE, BUFFERS) of the page-ids query of the meetings pages paged inside their branches
(issue 12, helper Q), before (the plain `pk IN (UNION ALL ...)` sort) and after, on a seeded bench
database. Writes bench/plans/<page>-paged-in-branches-<form>.txt.

    .venv/bin/python bench/plans_branches.py postgres://postgres@127.0.0.1:5432/bench_q 0.1
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    url, scale = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "0.1"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from portal import paging
    from portal.models import User

    def user(prefix: str, role: str) -> User:
        return User.objects.filter(username__startswith=f"bench-{prefix}-", role=role).order_by("pk").first()

    meetings, worker_list = reverse("dashboards:meetings"), reverse("workflows:meeting_list")
    pages = {
        "manager-meetings": (user("tm", "team_manager"), meetings),
        "manager-overdue-meetings-page-3": (user("tm", "team_manager"), meetings + "?overdue=yes&page=3"),
        "iro-meetings": (user("iro", "iro"), meetings),
        "social-worker-meeting-list": (user("sw", "social_worker"), worker_list),
    }
    plain = paging._union_scope
    client = Client()
    for name, (who, page) in pages.items():
        client.force_login(who)
        for form in ("before", "after"):
            paging._union_scope = plain if form == "after" else (lambda qs: None)
            seen: list[tuple[str, tuple]] = []

            def keep(ex, sql, params, many, context, seen=seen):
                seen.append((sql, params))
                return ex(sql, params, many, context)

            with connection.execute_wrapper(keep):
                client.get(page)
            sql, params = next(
                (s, p) for s, p in seen if "LIMIT" in s and ("UNION" in s) and "COUNT" not in s
            )
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            out = ROOT / "bench" / "plans" / f"{name}-paged-in-branches-{form}-scale-{scale}.txt"
            out.write_text(f"-- {page} as {who.username} ({form})\n{sql}\n\n{plan}\n")
            print(out.name, plan.splitlines()[-1])
    paging._union_scope = plain


if __name__ == "__main__":
    main()
