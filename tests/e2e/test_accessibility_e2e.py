"""In Chromium, with the demo council loaded: every role's pages pass axe-core's WCAG 2.2 A and AA rules.

Each role signs in and walks its own site from the home page, following the links it is shown (one
page per kind of URL, so forty children's pages count once), and every page is checked with
axe-core (pinned in package.json). Pages with an error summary are checked too: a refused request
and a refused login. The CMS is Wagtail's own and is not crawled here.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from demo import people as demo_people

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES_PER_ROLE = 14
SERVICE_TITLE = " – Placement stability portal"
# Not pages to check: signing out, the CMS, downloads and file responses.
SKIP = re.compile(r"^/(logout|cms|documents|static|media)/|format=xlsx|/files/|/health/")


def _axe_violations(page) -> list[str]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, not added as an inline <script>, which the
        # site's Content-Security-Policy refuses.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    found = []
    for violation in result["violations"]:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
        found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return found


def _pattern(path: str) -> str:
    """One check per kind of page: /children/12/ and /children/40/ are the same template."""
    return re.sub(r"/\d+/", "/N/", urlsplit(path).path)


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], nav a[href], main a[href]", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h for h in hrefs if h.startswith("/") and not SKIP.search(h)]


def _crawl(page, start: str = "/") -> dict[str, list[str]]:
    """Visit up to PAGES_PER_ROLE kinds of page reachable from `start`; axe findings per URL."""
    queue, seen, findings = [start], set(), {}
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if _pattern(url) in seen:
            continue
        seen.add(_pattern(url))
        response = page.goto(url)
        assert response.status < 500, f"{url} answered {response.status}"
        findings[url] = _axe_violations(page)
        title = page.title()
        named = title.endswith(SERVICE_TITLE) and not title.startswith(SERVICE_TITLE.lstrip())
        if "/print/" not in url and not named:  # the print view is a document titled by form and child
            findings[url].append(f"page title {title!r} does not name the page and the service (WCAG 2.4.2)")
        queue.extend(_links(page))
    return findings


@pytest.fixture
def demo(db):
    call_command("load_packs", stdout=StringIO())
    call_command("load_demo", "--force", stdout=StringIO())
    return demo_people.first_of_each_role()


def test_every_roles_pages_meet_wcag_22_aa(page, live_server, demo):
    failures: list[str] = []
    checked = 0
    page.goto("/login/")
    failures += [f"/login/: {v}" for v in _axe_violations(page)]
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    failures += [f"/login/ (refused): {v}" for v in _axe_violations(page)]

    for role, username in demo.items():
        page.context.clear_cookies()
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", demo_people.DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert "/login/" not in page.url, f"demo login for {role} failed"
        for url, found in _crawl(page).items():
            print(role, url)
            checked += 1
            failures += [f"{role} {url}: {v}" for v in found]
        # an error summary: a meeting request sent empty
        if role == "social_worker":
            page.goto("/children/")
            page.locator("main table a[href^='/children/']").first.click()
            page.wait_for_load_state()
            page.locator("a[href^='/meetings/request/']").first.click()
            page.wait_for_load_state()
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
            assert page.locator(".govuk-error-summary").is_visible(), page.url
            failures += [f"{role} meeting type not chosen: {v}" for v in _axe_violations(page)]
            page.locator("main input[type=radio]").first.check()
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
            page.get_by_role("button", name="Request the meeting").click()
            page.wait_for_load_state()
            assert page.locator(".govuk-error-summary").is_visible(), page.url
            failures += [f"{role} request with errors: {v}" for v in _axe_violations(page)]

    assert checked >= 3 * len(demo), f"only {checked} pages were checked"
    assert not failures, "axe-core found WCAG 2.2 A/AA failures:\n" + "\n".join(failures)
