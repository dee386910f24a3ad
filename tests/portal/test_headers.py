"""Content-Security-Policy and Permissions-Policy on the worker site and the CMS (issue 11).

The worker site's policy allows no inline script or style, so no template may contain any: the last
test reads every template and names each inline script, style block, style attribute or on* handler.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from portal.choices import Role
from tests.factories import UserFactory
from tests.portal.test_settings import GOOD_ENV, _run

ROOT = Path(__file__).resolve().parents[2]


def _directives(header: str) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def _assert_strict(header: str) -> None:
    policy = _directives(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in header and "'unsafe-inline'" not in header


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/login/", "/children/"])
def test_worker_pages_send_a_strict_content_security_policy_and_a_permissions_policy(client, path):
    client.force_login(UserFactory(role=Role.SOCIAL_WORKER))
    response = client.get(path)
    assert response.status_code in {200, 302}
    _assert_strict(response["Content-Security-Policy"])
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


@pytest.mark.django_db
def test_the_child_page_is_strict_and_takes_the_timeline_style_from_a_static_file(client):
    from tests.factories import ChildFactory

    worker = UserFactory(role=Role.SOCIAL_WORKER)
    child = ChildFactory(social_worker=worker)
    client.force_login(worker)
    response = client.get(reverse("child_detail", args=[child.pk]))
    assert response.status_code == 200
    _assert_strict(response["Content-Security-Policy"])
    assert "portal/timeline.css" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/cms/login/", "/cms/"])
def test_the_cms_gets_its_own_policy_that_allows_wagtails_inline_code_only(client, path):
    if path != "/cms/login/":
        client.force_login(UserFactory(role=Role.POLICY_OWNER))
    response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_production_settings_send_both_headers():
    script = (
        "import json; from django.conf import settings; print(json.dumps({"
        "'middleware': settings.MIDDLEWARE, "
        "'csp': settings.CONTENT_SECURITY_POLICY['DIRECTIVES'], "
        "'permissions': settings.PERMISSIONS_POLICY}))"
    )
    result = _run(GOOD_ENV, "shell", "-c", script)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert "portal.middleware.ContentSecurityPolicyMiddleware" in found["middleware"]
    assert "django_permissions_policy.PermissionsPolicyMiddleware" in found["middleware"]
    assert found["csp"]["script-src"] == ["'self'"] and found["csp"]["style-src"] == ["'self'"]
    assert found["permissions"]["camera"] == []


# --- no inline script or style in any template ----------------------------------------------------

TEMPLATE_DIRS = [ROOT / "templates", *sorted(ROOT.glob("*/templates"))]
INLINE = [
    ("an inline <script> (give it a src)", re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)),
    ("a <style> block", re.compile(r"<style\b", re.I)),
    ("a style attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)),
    ("an inline event handler", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)),
    ("a javascript: URL", re.compile(r"javascript:", re.I)),
]


def _inline_code(text: str) -> list[str]:
    return [what for what, pattern in INLINE if pattern.search(text)]


def test_the_check_finds_each_kind_of_inline_code():
    assert _inline_code("<script>alert(1)</script>") == ["an inline <script> (give it a src)"]
    assert _inline_code('<script type="module" src="/a.js"></script>') == []
    assert _inline_code("<style>p{}</style>") == ["a <style> block"]
    assert _inline_code('<p class="x" style="color:red">') == ["a style attribute"]
    assert _inline_code('<button type="button" onclick="window.print()">') == ["an inline event handler"]
    assert _inline_code('<form\n  onsubmit="return false">') == ["an inline event handler"]
    assert _inline_code('<a href="javascript:void(0)">') == ["a javascript: URL"]
    assert _inline_code('<button data-print-page class="govuk-button">') == []


def test_no_template_contains_inline_script_or_style():
    templates = [path for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")]
    assert len(templates) > 20
    found = {
        str(path.relative_to(ROOT)): kinds
        for path in templates
        if (kinds := _inline_code(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "Move these into static files (the Content-Security-Policy refuses them)"
