"""Under the strict Content-Security-Policy the worker site still runs its scripts and styles (issue 11)."""

import pytest

from portal.choices import Role
from tests.factories import ChildFactory, PlacementFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_page_loads_with_no_content_security_policy_violation(page, login_as):
    worker = UserFactory(username="csp-sw", role=Role.SOCIAL_WORKER)
    child = ChildFactory(social_worker=worker)
    PlacementFactory(child=child)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login_as(worker)
    response = page.goto(f"/children/{child.pk}/")
    page.wait_for_load_state("networkidle")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    # js-enabled.js ran (GOV.UK Frontend's body classes) and the timeline's stylesheet applied.
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert page.locator(".portal-timeline").evaluate("el => getComputedStyle(el).listStyleType") == "none"
    assert errors == []
