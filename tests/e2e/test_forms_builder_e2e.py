"""In the browser: a policy owner adds a conditional question to the PSM report and publishes it;
a worker sees it appear only when the condition holds, and the autosave keeps what they type.

Uses the shared e2e fixtures (``page``, ``login_as``) when tests/e2e/conftest.py provides them,
otherwise a small local Chromium launcher with the same contract.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pass-word-123"


@pytest.fixture
def browser_page(request, live_server):
    """The shared ``page`` fixture if there is one, else our own Chromium page."""
    try:
        yield request.getfixturevalue("page")
        return
    except pytest.FixtureLookupError:
        pass
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def sign_in(request, browser_page, live_server):
    """Log a user in through the login page (or the shared ``login_as``)."""
    try:
        shared = request.getfixturevalue("login_as")
    except pytest.FixtureLookupError:
        shared = None

    def do(user):
        if shared is not None:
            try:
                return shared(user)
            except TypeError:
                pass  # a different contract: log in through the page ourselves
        browser_page.context.clear_cookies()
        browser_page.goto(f"{live_server.url}/login/")
        browser_page.fill("input[name=username]", user.username)
        browser_page.fill("input[name=password]", PASSWORD)
        browser_page.locator("form button[type=submit], form input[type=submit]").last.click()
        browser_page.wait_for_load_state()
        return browser_page

    return do


def test_policy_owner_adds_conditional_question_worker_sees_it_only_when_condition_holds(
    browser_page, sign_in, live_server
):
    from forms_builder.models import FormDefinition, FormSubmission
    from tests.factories import InvolvementFactory, PlacementFactory, UserFactory
    from workflows.form_packs import forms_load

    forms_load(Path(settings.BASE_DIR) / "fixtures" / "packs" / "county")
    definition = FormDefinition.objects.get(key="psm-report")
    old_revision = definition.live_revision_id
    owner = UserFactory(username="policy.owner", role="policy_owner", is_staff=True, is_superuser=True)
    placement = PlacementFactory()
    child = placement.child
    worker = UserFactory(username="ssw.worker", role="supervising_social_worker")
    InvolvementFactory(child=child, user=worker, role="supervising_social_worker")

    page = browser_page
    sign_in(owner)
    page.goto(f"{live_server.url}/cms/snippets/forms_builder/formdefinition/edit/{definition.pk}/")
    page.wait_for_selector("text=Sections and questions")
    fields = page.locator('div[data-contentpath="fields"]').filter(
        has=page.locator('input[name="body-6-value-fields-count"]')
    )
    assert page.locator("#body-6-value-heading").input_value() == "Support offered"

    # A yes/no question, then a long-text question shown only when it is answered "yes", after the
    # section's existing questions.
    n = int(page.locator('input[name="body-6-value-fields-count"]').input_value())
    fields.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name="Yes or no").click()
    page.fill(f"#body-6-value-fields-{n}-value-key", "safety_plan_needed")
    page.fill(f"#body-6-value-fields-{n}-value-label", "Is a safety plan needed?")
    fields.locator(".c-sf-add-button").last.click()
    page.get_by_role("option", name="Long text").click()
    page.fill(f"#body-6-value-fields-{n + 1}-value-key", "safety_plan")
    page.fill(f"#body-6-value-fields-{n + 1}-value-label", "Describe the safety plan")
    page.check(f"#body-6-value-fields-{n + 1}-value-required")
    page.fill(f"#body-6-value-fields-{n + 1}-value-condition_field", "safety_plan_needed")
    page.fill(f"#body-6-value-fields-{n + 1}-value-condition_value", "yes")
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_load_state()
    definition.refresh_from_db()
    assert definition.live_revision_id != old_revision, page.content()[:2000]
    assert definition.spec.field_map()["safety_plan"].condition_field == "safety_plan_needed"

    # The worker starts the report: the new question is hidden until the answer is "yes".
    sign_in(worker)
    page.goto(f"{live_server.url}/forms/start/psm-report/?child={child.pk}&placement={placement.pk}")
    question = page.locator("#field-safety_plan")
    assert question.is_hidden()
    page.check("#id_safety_plan_needed")  # "Yes"
    question.wait_for(state="visible")
    page.fill("#id_safety_plan", "Agreed bedtime routine and a call to the duty worker after 9pm.")
    page.locator("#fb-autosave-status").filter(has_text="Draft saved").wait_for()
    page.check("#id_safety_plan_needed-2")  # "No"
    question.wait_for(state="hidden")

    submission = FormSubmission.objects.get(author=worker, definition=definition)
    assert submission.revision_id == definition.live_revision_id
    assert submission.data["safety_plan"].startswith("Agreed bedtime routine")

    # A reload returns to the saved draft.
    page.reload()
    assert page.locator("#id_safety_plan").input_value().startswith("Agreed bedtime routine")
