"""Two people acting on one meeting at the same moment: one transition, a clear message for the other."""

import threading

import pytest
from django.db import connection, connections, transaction

from portal.choices import Role
from tests.factories import UserFactory
from workflows import services
from workflows.choices import MeetingState
from workflows.models import Meeting, MeetingApproval, MeetingTransition
from workflows.rules import RuleRefusal
from workflows.transitions import run_transition

from .factories import People, load_pack, psm_request, submit_with_reports


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_managers_approving_at_once_make_one_transition__P2():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (select_for_update) need PostgreSQL.")
    county = load_pack("county")
    people = People()
    second_manager = UserFactory(username="tm-b", role=Role.TEAM_MANAGER, team=people.cs_team)
    meeting = submit_with_reports(psm_request(people, county), people)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def approve(user):
        try:
            barrier.wait(timeout=10)
            results[user.username] = services.meeting_approve(
                meeting=Meeting.objects.get(pk=meeting.pk), by=user
            )
        except RuleRefusal as refusal:
            results[user.username] = refusal
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (people.team_manager, second_manager)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    refusals = [r for r in results.values() if isinstance(r, RuleRefusal)]
    winners = [r for r in results.values() if isinstance(r, Meeting)]
    assert len(winners) == 1 and len(refusals) == 1, results
    assert refusals[0].rule == "G7"
    assert refusals[0].message.startswith("This meeting is approved (approved by ")
    assert refusals[0].message.endswith("so it cannot be approved now.")
    assert MeetingTransition.objects.filter(meeting_id=meeting.pk, name="approve").count() == 1
    assert MeetingApproval.objects.filter(meeting_id=meeting.pk).count() == 1
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.APPROVED


def test_stale_copy_cannot_overwrite_a_newer_state__G7(county, people):
    meeting = submit_with_reports(psm_request(people, county), people)
    stale = Meeting.objects.get(pk=meeting.pk)
    services.meeting_approve(meeting=meeting, by=people.team_manager)
    stale.cancel_reason = "Placement settled"
    with pytest.raises(RuleRefusal) as refused, transaction.atomic():
        run_transition(stale, "cancel", by=people.social_worker)
    assert refused.value.message == "Someone else changed this meeting at the same moment. Reload the page."
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.APPROVED


def test_second_approval_after_the_first_is_refused_with_who_approved__P2(county, people):
    meeting = submit_with_reports(psm_request(people, county), people)
    services.meeting_approve(meeting=meeting, by=people.team_manager)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert f"approved by {people.team_manager}" in refused.value.message
