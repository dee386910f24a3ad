"""A/B of the two issue-12 changes on a seeded bench database, interleaved so both forms run under the
same load (the machine is shared): the buyer's and Q&R's meetings read as a narrow scope (ids) or a
wide one (page order), and the manager's actions paged plainly or inside the union's branches.

    .venv/bin/python bench/ab_pages.py postgres://postgres@127.0.0.1:5432/bench_s_full 20

Prints one JSON object (p50/p95 ms and queries per page and form). Leaves the users' flags as the
nightly check sets them (portal.access.wide_scopes_mark). Asserts nothing; does not seed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    url, requests = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from bench.ab import interleaved
    from portal import paging
    from portal.access import wide_scopes_mark
    from portal.models import User

    def user(prefix: str, role: str) -> User:
        return User.objects.filter(username__startswith=f"bench-{prefix}-", role=role).order_by("pk").first()

    meetings, actions = reverse("dashboards:meetings"), reverse("dashboards:actions")
    plain_union_scope = paging._union_scope
    forms = {
        "buyer: meetings": (user("buyer", "buyer"), meetings, "wide"),
        "quality_review: meetings": (user("qr", "quality_review_manager"), meetings, "wide"),
        "manager: actions": (user("tm", "team_manager"), actions, "branches"),
        "manager: overdue actions": (user("tm", "team_manager"), actions + "?overdue=yes", "branches"),
        "manager: meetings": (user("tm", "team_manager"), meetings, "branches"),
    }
    result: dict = {"database": url.rsplit("/", 1)[1], "load_average_at_start": os.getloadavg()}

    def switch(kind: str, form: str, who: User) -> None:
        if kind == "wide":
            User.objects.filter(pk=who.pk).update(has_wide_scope=form == "after")
        else:
            paging._union_scope = plain_union_scope if form == "after" else (lambda qs: None)

    result.update(interleaved(Client(), forms, requests, switch))
    paging._union_scope = plain_union_scope
    result["wide_scope_users"] = wide_scopes_mark()
    result["load_average_at_end"] = os.getloadavg()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
