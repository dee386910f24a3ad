"""In Chromium, with the demo council loaded: at 390 px (a phone) no page is wider than the screen and
the service navigation folds under a Menu button; at 1280 px every role's navigation is one row.

One browser page signs in as each role in turn and reuses itself, so the walk stays short.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from demo import people as demo_people

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# what overflows, when something does: the elements poking out past the right edge of the screen
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => !el.closest('.portal-table-scroll') && el.getBoundingClientRect().right > width + 1)
    .slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + String(el.className).slice(0, 40));
}"""


@pytest.fixture
def demo(db):
    call_command("load_packs", stdout=StringIO())
    call_command("load_demo", "--force", stdout=StringIO())
    return demo_people.first_of_each_role()


def _sign_in(page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", demo_people.DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/login/" not in page.url, f"demo login for {username} failed"


def _too_wide(page, what: str) -> list[str]:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return []
    return [f"{what} {page.url}: {width} px wide ({', '.join(page.evaluate(OVERFLOW))})"]


def _first_link(page, selector: str) -> str | None:
    link = page.locator(selector).first
    return link.get_attribute("href") if link.count() else None


def test_no_page_is_wider_than_a_phone_and_navigation_is_one_row_on_a_laptop(page, live_server, demo):
    from workflows.choices import MeetingState
    from workflows.models import Meeting

    failures: list[str] = []
    for role, username in demo.items():
        page.set_viewport_size(DESKTOP)
        _sign_in(page, username)
        rows = page.eval_on_selector_all(
            ".govuk-service-navigation__service-name, .govuk-service-navigation__item",
            "els => new Set(els.map(e => Math.round(e.getBoundingClientRect().top))).size",
        )
        if rows > 1:
            failures.append(f"{role}: the navigation takes {rows} rows at 1280 px")

        page.set_viewport_size(PHONE)
        page.goto("/")
        toggle = page.locator(".govuk-service-navigation__toggle")
        if page.locator(".govuk-service-navigation__item").count():
            if not toggle.is_visible() or page.locator("#navigation").is_visible():
                failures.append(f"{role}: at 390 px the navigation is not folded under a Menu button")
            else:
                toggle.click()
                if not page.locator("#navigation").is_visible():
                    failures.append(f"{role}: the Menu button does not open the navigation")
        failures += _too_wide(page, f"{role} home")
        pages = ["/children/", "/meetings/"]
        if page.locator("a[href^='/dashboards/']").count():
            pages += ["/dashboards/", "/dashboards/actions/", "/dashboards/disruptions/"]
        for path in pages:
            page.goto(path)
            failures += _too_wide(page, role)
        page.goto("/children/")
        child = _first_link(page, "main table a[href^='/children/']")
        page.goto("/meetings/")
        meeting = _first_link(page, "main table a[href^='/meetings/']")
        for url in filter(None, (child, meeting)):
            page.goto(url)
            failures += _too_wide(page, role)
        if child and role == "social_worker":  # the request form, both steps
            page.goto(child)
            page.locator("a[href^='/meetings/request/']").first.click()
            page.wait_for_load_state()
            failures += _too_wide(page, "request form")
            page.locator("main input[type=radio]").first.check()
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state()
            failures += _too_wide(page, "request form")

    held = Meeting.objects.filter(state=MeetingState.HELD).select_related("chair").first()
    assert held is not None, "the demo has a held meeting waiting for its minutes"
    _sign_in(page, held.chair.username)
    page.goto(f"/meetings/{held.pk}/")
    page.get_by_role("link", name="Write the minutes").click()
    page.wait_for_load_state()
    assert "/forms/" in page.url
    failures += _too_wide(page, "minutes form")
    assert not failures, "\n".join(failures)
