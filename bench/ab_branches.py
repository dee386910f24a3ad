# ruff: noqa: E501 - one page per line
"""A/B of paging inside the scope's branches (issue 12, helper Q), interleaved on a seeded bench
database so both forms run under the same load (the machine is shared).

    .venv/bin/python bench/ab_branches.py postgres://postgres@127.0.0.1:5432/bench_q 20

- meetings: "before" reads the page as `pk IN (UNION ALL ...)` sorted (how every meetings list read
  while its invitee branch was another table's query); "after" pages inside the branches, each branch
  sorted and cut to the page's end.
- actions: "before" pages inside the branches without cutting each one (branch W); "after" cuts each.
- types (`--types`): "before" reads each row's meeting type whole (its ~20 rule lists parsed per row);
  "after" defers all but its id, code, name and pack (dashboards.selectors).

Prints one JSON object (p50/p95 ms and queries per page and form). Asserts nothing; does not seed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    url, requests = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20
    types_only = "--types" in sys.argv
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.ab import interleaved
    from dashboards import selectors
    from portal import paging
    from portal.models import User

    def user(prefix: str, role: str) -> User:
        return User.objects.filter(username__startswith=f"bench-{prefix}-", role=role).order_by("pk").first()

    meetings, actions = reverse("dashboards:meetings"), reverse("dashboards:actions")
    worker_list = reverse("workflows:meeting_list")
    plain_union_scope = paging._union_scope
    features = connection.features
    forms = {
        "manager: meetings": (user("tm", "team_manager"), meetings, "meetings"),
        "manager: overdue meetings, page 3": (user("tm", "team_manager"), meetings + "?overdue=yes&page=3", "meetings"),
        "manager: meetings by minutes due": (user("tm", "team_manager"), meetings + "?sort=-minutes_due_on", "meetings"),
        "manager: meeting list": (user("tm", "team_manager"), worker_list, "meetings"),
        "iro: meetings": (user("iro", "iro"), meetings, "meetings"),
        "social_worker: meeting list": (user("sw", "social_worker"), worker_list, "meetings"),
        "manager: actions": (user("tm", "team_manager"), actions, "actions"),
        "manager: overdue actions": (user("tm", "team_manager"), actions + "?overdue=yes", "actions"),
        "iro: overdue actions": (user("iro", "iro"), actions + "?overdue=yes", "actions"),
    }  # fmt: skip
    if types_only:
        forms = {
            "buyer: meetings": (user("buyer", "buyer"), meetings, "types"),
            "manager: meetings": (user("tm", "team_manager"), meetings, "types"),
            "manager: actions": (user("tm", "team_manager"), actions, "types"),
            "manager: overdue actions": (user("tm", "team_manager"), actions + "?overdue=yes", "types"),
            "iro: overdue actions": (user("iro", "iro"), actions + "?overdue=yes", "types"),
        }
    deferred = selectors.meeting_type_rules_deferred
    result: dict = {"database": url.rsplit("/", 1)[1], "load_average_at_start": os.getloadavg()}

    def switch(kind: str, form: str, who: User) -> None:
        if kind == "types":
            selectors.meeting_type_rules_deferred = deferred if form == "after" else (lambda prefix: [])
        elif kind == "meetings":
            paging._union_scope = plain_union_scope if form == "after" else (lambda qs: None)
        else:
            features.supports_slicing_ordering_in_compound = form == "after"

    result.update(interleaved(Client(), forms, requests, switch))
    paging._union_scope = plain_union_scope
    features.supports_slicing_ordering_in_compound = True
    selectors.meeting_type_rules_deferred = deferred
    result["load_average_at_end"] = os.getloadavg()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
