"""A child's page gathers the case record (portal) and the child's meetings (workflows), so it lives in
home, above both, like the start page (issue 15: the case records never depend on the meetings)."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from tests.workflows.factories import psm_request

pytestmark = pytest.mark.django_db


def test_the_child_page_lives_outside_the_case_records__issue15():
    import portal.views

    assert resolve(reverse("child_detail", args=[1])).func.__module__ == "home.views"
    assert not hasattr(portal.views, "child_detail")


def test_the_child_page_lists_the_childs_meetings_to_those_who_may_see_the_child(client, people, county):
    meeting = psm_request(people, county)
    url = reverse("child_detail", args=[meeting.child_id])
    link = f'href="{reverse("workflows:meeting_detail", args=[meeting.pk])}"'
    request_button = f'href="{reverse("workflows:meeting_request", args=[meeting.child_id])}"'

    client.force_login(people.social_worker)  # the allocated worker: the meeting and the way to ask for one
    response = client.get(url)
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "home/child_detail.html"
    assert meeting.child.full_name in html and link in html and request_button in html

    client.force_login(people.auditor)  # sees everything, changes nothing: no request button
    html = client.get(url).content.decode()
    assert link in html and request_button not in html

    client.force_login(people.other_manager)  # another team's manager: not their child
    assert client.get(url).status_code == 404
