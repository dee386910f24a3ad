"""At the request (issue 10): whether the meeting is required, offered or at the team's discretion, and
prerequisites (another meeting that must have been held first, within N months), read from the policy
decision the one evaluator makes from pack entries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from workflows.choices import MeetingState
from workflows.models import Meeting
from workflows.paths import prerequisite_refusals, requirement_sentence
from workflows.rules import RuleRefusal

from .decisions import council, evaluated
from .factories import at, meeting_type, psm_request
from .test_dm import dm_request, ended_placement

AGENCY = {"and": [{"===": [{"var": "placement.is_agency"}, True]}]}
PSM_FIRST = {
    "when": None,
    "rule": "PR1",
    "meeting_type_code": "PSM",
    "within_months": 3,
    "message": "Hold a placement stability meeting first: the procedure asks for one in the last 3 months.",
}


def _held(meeting: Meeting, on: date) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.CLOSED, held_at=at(on))


def test_prerequisite_met_only_by_a_held_meeting_within_the_months__issue10(people, county):
    """Issue 10: a PSM held 4 Feb 2026 counts for a request on 4 Mar 2026 (within 3 months); one held
    3 Nov 2025 does not (4 Mar 2026 - 3 months = 4 Dec 2025); a PSM never held does not."""
    meeting = evaluated(psm_request(people, county), prerequisites=[PSM_FIRST])
    entries = meeting.decision["prerequisites"]
    assert [e["rule"] for e in entries] == ["PR1"]
    on = date(2026, 3, 4)
    child, pack_id = meeting.child, county.pk
    refused = prerequisite_refusals(prerequisites=entries, child=child, pack_id=pack_id, on=on)
    assert [r.message for r in refused] == [PSM_FIRST["message"]]  # the requested PSM was never held
    _held(meeting, date(2025, 11, 3))
    assert prerequisite_refusals(prerequisites=entries, child=child, pack_id=pack_id, on=on)
    _held(meeting, date(2026, 2, 4))
    assert prerequisite_refusals(prerequisites=entries, child=child, pack_id=pack_id, on=on) == []
    Meeting.objects.filter(pk=meeting.pk).update(state=MeetingState.CANCELLED)
    assert prerequisite_refusals(prerequisites=entries, child=child, pack_id=pack_id, on=on)


def test_prerequisite_applies_only_when_its_condition_holds__issue10(people, county):
    """Issue 10: an entry "when the placement is with an agency" names nothing for an in-house placement."""
    in_house = evaluated(psm_request(people, county), prerequisites=[{**PSM_FIRST, "when": AGENCY}])
    assert in_house.decision["prerequisites"] == []
    child = people.child()
    agency = evaluated(
        psm_request(people, county, child=child, placement=people.placement(child, agency_fostering=True)),
        prerequisites=[{**PSM_FIRST, "when": AGENCY}],
    )
    assert [e["because"] for e in agency.decision["prerequisites"]] == [
        "when the placement is with an agency"
    ]


def test_request_refused_until_the_prerequisite_is_held__issue10(people, db):
    """Issue 10: a council whose disruption meeting needs a stability meeting held in the last 3 months
    (pack data only): the request service refuses with the entry's message, then accepts once a PSM was
    held in the window."""
    pack = council("priorshire", {"DM": {"prerequisites": [PSM_FIRST]}})
    placement = ended_placement(people)
    earlier = psm_request(people, pack, child=placement.child, placement=placement, raised=date(2026, 2, 2))
    with pytest.raises(RuleRefusal) as refused:
        dm_request(people, pack, placement)
    assert refused.value.message == PSM_FIRST["message"]
    assert refused.value.rule == "PR1"
    assert not Meeting.objects.filter(meeting_type__code="DM").exists()
    _held(earlier, date(2026, 2, 4))
    meeting = dm_request(people, pack, placement)
    assert meeting.decision["prerequisites"][0]["meeting_type_code"] == "PSM"


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ("required", ""),
        ("offered", "The procedure offers this meeting"),
        ("discretion", "This meeting is at the team's discretion"),
    ],
)
def test_requirement_sentence__issue10(level, expected):
    """Issue 10: offered and discretionary meetings say so; a required one says nothing extra."""
    sentence = requirement_sentence({"level": level, "rule": "", "because": ""})
    assert sentence.startswith(expected) if expected else sentence == ""


def test_request_screen_says_the_meeting_is_at_the_teams_discretion__issue10(client, people, db):
    """Issue 10: a council where the PSM is at the team's discretion while the placement goes on: the
    request screen says so, with the condition in words; the county's (required) says nothing."""
    discretion = [
        {
            "when": {"and": [{"===": [{"var": "placement.has_ended"}, False]}]},
            "rule": "RQ1",
            "level": "discretion",
        }
    ]
    pack = council("choiceshire", {"PSM": {"requirement": discretion}})
    child = people.child()
    people.placement(child, start_date=date.today() - timedelta(days=100))
    client.force_login(people.social_worker)
    url = reverse("workflows:meeting_request", args=[child.pk]) + f"?type={meeting_type(pack, 'PSM').pk}"
    page = client.get(url).content.decode()
    assert "This meeting is at the team&#x27;s discretion" in page
    assert "Applies when the placement is still going on" in page
    county = council("plainshire", {})
    url = reverse("workflows:meeting_request", args=[child.pk]) + f"?type={meeting_type(county, 'PSM').pk}"
    assert "requirement-note" not in client.get(url).content.decode()
