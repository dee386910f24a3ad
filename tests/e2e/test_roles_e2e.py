"""In Chromium: every role signs in and reaches its home page; a social worker finds a child's placement
history; an auditor reads case records in the CMS with no way to edit them (SPEC Roles, G1)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.choices import Role
from tests.factories import ChildFactory, PlacementFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def case(db):
    today = timezone.localdate()
    team = TeamFactory(name="Northbrook children in care team")
    worker = UserFactory(
        username="e2e-sw", role=Role.SOCIAL_WORKER, team=team, first_name="Sophie", last_name="Wren"
    )
    child = ChildFactory(first_name="Zara", last_name="Hebden", team=team, social_worker=worker)
    PlacementFactory(
        child=child,
        placement_type="U4",
        start_date=today - timedelta(days=900),
        end_date=today - timedelta(days=30),
        ended_unplanned=True,
        reason_for_change="CREQB",
        is_permanent=True,
        ratified_permanent_on=today - timedelta(days=700),
    )
    PlacementFactory(child=child, agency_fostering=True, start_date=today - timedelta(days=30))
    other = ChildFactory(first_name="Hidden", last_name="Elsewhere")
    return {"worker": worker, "child": child, "other": other}


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_role_signs_in_and_reaches_its_home_page__Roles(login_as, role):
    user = UserFactory(username=f"e2e-{role}", role=role, first_name="Alex")
    page = login_as(user)
    assert page.url.endswith("/") and page.url.count("/") == 3, page.url  # the site root: the home page
    heading = page.locator("h1")
    assert heading.inner_text() == "Hello, Alex"
    assert Role(role).label in page.locator("main").inner_text()
    assert page.locator("#children-count").is_visible()


def test_social_worker_opens_my_children_and_a_childs_timeline__G1(login_as, case):
    page = login_as(case["worker"])
    page.get_by_role("link", name="My children").first.click()
    page.wait_for_load_state()
    table = page.locator("table#my-children")
    assert "Zara Hebden" in table.inner_text()
    assert "Hidden Elsewhere" not in page.content()
    assert "Agency fostering (IFA)" in table.inner_text()

    page.fill("#id_q", "hebden")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "1 child matching" in page.locator("caption").inner_text()

    page.get_by_role("link", name="Zara Hebden").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Zara Hebden"
    timeline = page.locator("ol.portal-timeline")
    items = timeline.locator("> li")
    assert items.count() == 2
    newest = items.nth(0).inner_text()
    assert "Current" in newest and "Contract notice period" in newest
    older = items.nth(1).inner_text()
    assert "Ended unplanned" in older and "Permanent" in older
    assert "Carer requests placement end due to child's behaviour" in older
    assert timeline.locator("time").count() >= 3

    response = page.goto(f"/children/{case['other'].pk}/")
    assert response.status == 404


def test_auditor_reads_case_records_in_the_cms_without_an_edit_button__Roles(login_as, case):
    auditor = UserFactory(username="e2e-auditor", role=Role.AUDITOR)
    page = login_as(auditor)
    page.goto(reverse("case_children:index"))
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text().strip().lower().startswith("children")
    assert "Zara Hebden" in page.content()
    assert page.get_by_role("link", name=re.compile(r"^Add child", re.I)).count() == 0

    page.goto(reverse("case_children:inspect", args=[case["child"].pk]))
    page.wait_for_load_state()
    assert case["child"].local_reference in page.content()
    assert page.get_by_role("link", name=re.compile(r"^Edit", re.I)).count() == 0
    edit_url = reverse("case_children:edit", args=[case["child"].pk])
    assert page.locator(f"a[href='{edit_url}']").count() == 0

    response = page.goto(edit_url)
    assert page.url.endswith(edit_url) is False or response.status == 403
