"""The worker site's GOV.UK Frontend CSS, fonts and JavaScript load from our own static files."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_govuk_frontend_styles_fonts_and_scripts_load_locally(page, live_server):
    failed, errors, fonts = [], [], []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    def record(response):
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")
        if "/assets/fonts/" in response.url:
            fonts.append((response.status, response.url))

    page.on("response", record)
    page.goto(f"{live_server.url}/login/")
    page.wait_for_load_state("networkidle")

    font_family = page.evaluate("getComputedStyle(document.querySelector('.govuk-label')).fontFamily")
    assert "GDS Transport" in font_family or "arial" in font_family.lower()
    assert page.evaluate("document.fonts.check('19px \"GDS Transport\"')") or fonts
    assert fonts and all(status == 200 and url.startswith(live_server.url) for status, url in fonts)
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    # The button module from govuk-frontend.min.js initialised (it marks the element).
    assert page.locator("[data-module='govuk-button']").first.get_attribute("data-govuk-button-init") == ""
    assert failed == [] and errors == []
