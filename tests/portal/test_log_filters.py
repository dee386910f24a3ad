"""A refused request is logged as one line with its reason; a server error keeps its traceback."""

from __future__ import annotations

import logging

import pytest

from portal.log_filters import OneLineRefusals
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_refused_request_is_logged_as_one_line_with_its_reason(client, caplog):
    client.force_login(UserFactory(role="social_worker"))
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/dashboards/")
    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage() == (
        "Forbidden (Permission denied): /dashboards/: "
        "Dashboards are for managers, IROs, quality and review and auditors."
    )
    assert "Traceback" not in caplog.text


def test_other_errors_keep_their_traceback():
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server error", (), exc_info)
    record.status_code = 500
    assert OneLineRefusals().filter(record)
    assert record.exc_info is exc_info
