"""The approval queue is paged (issue 12): at a large council a manager has thousands of requests
waiting, and the page read and judged every one (12 s at full scale). Whether the user may decide a
request is the policy's rule (P2), so candidates are read in batches by keyset and judged until the page
is full; the pages together are exactly the unpaged queue, oldest first, with no repeat or gap when
requests share a time."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from workflows import selectors
from workflows.models import Meeting
from workflows.selectors import approval_queue_for_user, approval_queue_page

from .factories import psm_request, submit_with_reports

SAME_TIME = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/London"))


def _waiting(people, county, n: int) -> list[Meeting]:
    meetings = [submit_with_reports(psm_request(people, county), people) for _ in range(n)]
    # four share one request time: the order falls back to the id
    Meeting.objects.filter(pk__in=[m.pk for m in meetings[1:5]]).update(requested_at=SAME_TIME)
    return meetings


def _all_pages(user, per_page: int) -> tuple[list[Meeting], int]:
    paged, after, pages = [], None, 0
    while True:
        page = approval_queue_page(user, after=after, per_page=per_page)
        paged += page.meetings
        pages += 1
        if page.next_after is None:
            return paged, pages
        after = page.next_after


def test_pages_together_are_the_whole_queue_in_order_with_ties__P2(people, county, monkeypatch):
    _waiting(people, county, 7)
    monkeypatch.setattr(selectors, "QUEUE_BATCH", 2)  # several batches, some cut inside the tie
    whole = approval_queue_for_user(people.team_manager)
    assert len(whole) == 7
    paged, pages = _all_pages(people.team_manager, per_page=3)
    assert pages == 3
    assert [m.pk for m in paged] == [m.pk for m in whole]


def test_the_requester_and_people_who_may_not_decide_see_no_page__P2(people, county):
    _waiting(people, county, 2)
    assert approval_queue_page(people.social_worker).meetings == []  # they made the requests
    assert approval_queue_page(people.other_manager).meetings == []


def test_a_page_judges_at_most_its_share_then_offers_to_look_further(people, county, monkeypatch):
    """Someone who may decide few of the many requests they see: each page judges at most
    QUEUE_READ_MOST and links on from the last one judged, so nothing is skipped."""
    _waiting(people, county, 5)
    monkeypatch.setattr(selectors, "QUEUE_BATCH", 2)
    monkeypatch.setattr(selectors, "QUEUE_READ_MOST", 2)
    page = approval_queue_page(people.team_manager, per_page=3)
    assert len(page.meetings) == 2 and page.stopped_early and page.next_after is not None
    paged, _ = _all_pages(people.team_manager, per_page=3)
    assert [m.pk for m in paged] == [m.pk for m in approval_queue_for_user(people.team_manager)]


def test_the_queue_page_shows_one_page_and_a_next_link(client, people, county, monkeypatch):
    import re

    from workflows.views import lists

    _waiting(people, county, 4)
    monkeypatch.setattr(lists, "PER_PAGE", 3)
    client.force_login(people.team_manager)
    url = reverse("workflows:approval_queue")
    first = client.get(url).content.decode()
    assert first.count('class="govuk-table__row"') == 4  # the header and three requests
    later = re.search(r'href="\?after=([^"]+)" rel="next"', first).group(1)
    second = client.get(url + "?after=" + later).content.decode()
    assert second.count('class="govuk-table__row"') == 2 and 'rel="next"' not in second
    assert "Oldest requests" in second
    for nonsense in ["nonsense", "2026-01-01_x", "2026-01-01T10:00:00_5"]:  # the last is not aware
        assert client.get(url + "?after=" + nonsense).content.decode().count('class="govuk-table__row"') == 4
