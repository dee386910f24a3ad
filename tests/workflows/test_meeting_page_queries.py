"""The meeting page reads a fixed number of queries, whatever the meeting holds (issue 12): its reports,
invitees and the child's involvements are read once for every report's link and button, the linked
meetings only when there are some, the change history's people once per kind, and the scope once."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.choices import InvolvementRole
from tests.factories import InvolvementFactory, UserFactory
from workflows.choices import ParticipantRole, ReportTiming
from workflows.models import Action, Invitee, MeetingReport

from .factories import hold_and_minute, schedule
from .test_views import NEXT_WORKING_DAY, _approved

pytestmark = pytest.mark.django_db

BUDGET = 25  # session, user; the scope (types, meeting); 3 read once; 11 for the panels; 7 of history


def _grow(meeting, people, n: int, start: int = 0) -> None:
    """n more of everything the page lists: invitees with accounts, actions, reports for the
    supervising social worker, involvements of the child, and chair changes in the history."""
    for i in range(start, start + n):
        person = UserFactory(username=f"guest{i}", role="supervising_social_worker")
        Invitee.objects.create(
            meeting=meeting, user=person, role=ParticipantRole.SUPERVISING_SOCIAL_WORKER, name=f"Guest {i}"
        )
        InvolvementFactory(
            child=meeting.child,
            user=person,
            role=InvolvementRole.SUPERVISING_SOCIAL_WORKER,
            start_date=date(2025, 1, 1),
        )
        Action.objects.create(
            meeting=meeting,
            child_id=meeting.child_id,
            description=f"Extra action {i}",
            owner=person,
            due_on=date(2026, 5, 1),
        )
        MeetingReport.objects.create(
            meeting=meeting,
            form_key=f"extra-report-{i}",
            label=f"Extra report {i}",
            author_role=ParticipantRole.SUPERVISING_SOCIAL_WORKER,
            timing=ReportTiming.WITH_REQUEST,
            due_on=date(2026, 5, 1),
        )
        meeting.refresh_from_db()
        meeting.chair = person if i % 2 else people.fostering_manager
        meeting.save()  # a history row naming a person, for the change history


@pytest.mark.parametrize("who", ["social_worker", "team_manager", "ssw"])
def test_meeting_page_queries_do_not_grow_with_what_the_meeting_holds__issue12(
    client, people, county, who, django_assert_max_num_queries
):
    meeting = schedule(
        _approved(people, county), people, chair=people.fostering_manager, day=NEXT_WORKING_DAY
    )
    meeting = hold_and_minute(meeting, people)
    url = reverse("workflows:meeting_detail", args=[meeting.pk])
    client.force_login(getattr(people, who))
    client.get(url)  # the process's first read of the policy revision (parsed once per process)
    with django_assert_max_num_queries(BUDGET) as small:
        page = client.get(url)
    assert page.status_code == 200
    _grow(meeting, people, 6)
    with django_assert_max_num_queries(BUDGET) as large:
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Extra action 5" in html and "Guest 5" in html
    assert len(large) == len(small), [q["sql"][:80] for q in large]


def test_a_request_awaiting_approval_reads_its_approvals_once__issue12(
    client, people, county, django_assert_max_num_queries
):
    """The page's approvals, the still-missing approvals (one check per gate) and the buttons read the
    approvals prefetched once, however many there are."""
    from workflows.models import MeetingApproval

    from .factories import psm_request, submit_with_reports

    meeting = submit_with_reports(psm_request(people, county), people)
    _grow(meeting, people, 1)  # a report the carers' supervising social worker writes
    url = reverse("workflows:meeting_detail", args=[meeting.pk])
    client.force_login(people.social_worker)
    client.get(url)
    with django_assert_max_num_queries(BUDGET) as small:
        assert client.get(url).status_code == 200
    _grow(meeting, people, 4, start=1)
    MeetingApproval.objects.bulk_create(
        MeetingApproval(
            meeting=meeting,
            gate="extra",
            role="buyer",
            by=people.buyer,
            decision="declined",
            at=timezone.now(),
        )
        for _ in range(3)
    )
    with django_assert_max_num_queries(BUDGET) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small), [q["sql"][:80] for q in large]
