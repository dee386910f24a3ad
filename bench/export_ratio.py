"""The team export against XlsxWriter alone writing the same rows, interleaved (issue 12, helper Q).

    .venv/bin/python bench/export_ratio.py postgres://postgres@127.0.0.1:5432/bench_q 7

bench/dashboards.py measures each once; on a shared machine one run is noise, so this repeats the
pair (the export through the view, then xlsx_write on the rows already read) and prints the medians
and their ratio as JSON. Asserts nothing; does not seed.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    url, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from dashboards.exports import MEETING_COLUMNS, xlsx_write
    from dashboards.listings import _meeting_rows
    from dashboards.selectors import meetings_dashboard
    from portal.models import User

    who = User.objects.filter(username__startswith="bench-tm-", role="team_manager").order_by("pk").first()
    client = Client()
    client.force_login(who)
    page = reverse("dashboards:meetings") + "?format=xlsx"
    rows = list(_meeting_rows(meetings_dashboard(who).order_by("due_on", "pk")))
    view, alone = [], []
    for n in range(rounds + 1):
        started = time.perf_counter()
        response = client.get(page)
        size = sum(len(chunk) for chunk in response.streaming_content)
        elapsed = time.perf_counter() - started
        with tempfile.TemporaryFile() as spool:
            started = time.perf_counter()
            xlsx_write(spool, title="Bench", headers=MEETING_COLUMNS, rows=rows)
            by_itself = time.perf_counter() - started
        if n:  # the first round warms the process
            view.append(elapsed)
            alone.append(by_itself)
    result = {
        "database": url.rsplit("/", 1)[1],
        "rows": len(rows),
        "kib": round(size / 1024),
        "export_median_s": round(statistics.median(view), 3),
        "xlsxwriter_alone_median_s": round(statistics.median(alone), 3),
        "ratio_of_medians": round(statistics.median(view) / statistics.median(alone), 2),
        "rounds": rounds,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
