"""Who sees which meetings, and which procedure and policy versions a meeting keeps."""

from io import StringIO

from django.core.management import call_command

from workflows import services
from workflows.models import MeetingType, ProcedurePack
from workflows.selectors import meetings_for_user

from .factories import People, psm_request, submit_with_reports


def test_meetings_visible_to_the_people_involved_and_their_managers(county, people):
    meeting = submit_with_reports(psm_request(people, county), people)
    assert meeting in meetings_for_user(people.social_worker)
    assert meeting in meetings_for_user(people.team_manager)
    assert meeting in meetings_for_user(people.iro)
    assert meeting in meetings_for_user(people.auditor)
    assert meeting not in meetings_for_user(people.other_manager)
    assert meeting not in meetings_for_user(people.buyer)
    assert meeting not in meetings_for_user(people.independent_iro)
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    from datetime import date

    from .factories import schedule

    schedule(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 5))
    assert meeting in meetings_for_user(people.fostering_manager)


def test_meeting_keeps_the_procedure_revision_in_force_when_requested(db):
    call_command("load_packs", stdout=StringIO())
    county = ProcedurePack.objects.get(slug="county")
    psm = MeetingType.objects.get(pack=county, code="PSM")
    assert psm.procedure_page_id, "load_packs links the pack's procedure page to its meeting type"
    people = People()
    meeting = psm_request(people, county)
    page = psm.procedure_page.specific
    assert meeting.procedure_revision_id == page.live_revision_id
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.live_revision_id != meeting.procedure_revision_id
    assert psm_request(people, county).procedure_revision_id == page.live_revision_id


def test_meeting_finds_its_procedure_by_pack_and_code_when_the_type_is_not_linked(county, people):
    """A policy owner who forgot to link the procedure page still gets it recorded on new meetings."""
    from workflows.procedures.packs import procedures_load
    from workflows.procedures.selectors import procedure_live_revision

    from .factories import PACKS

    procedures_load(PACKS / "county", county)
    assert not MeetingType.objects.get(pack=county, code="PSM").procedure_page_id
    expected = procedure_live_revision(meeting_code="PSM", pack_slug="county")
    assert expected is not None
    assert psm_request(people, county).procedure_revision_id == expected.pk


def test_policy_owners_do_not_see_childrens_meetings_auditors_do__G3(county, people):
    from tests.factories import UserFactory

    meeting = psm_request(people, county)
    owner = UserFactory(username="policy-owner", role="policy_owner")
    assert meeting not in meetings_for_user(owner)
    assert meeting in meetings_for_user(people.auditor)


def test_meetings_for_user_lists_each_meeting_once_however_the_user_is_linked__G3(
    county, people, django_assert_max_num_queries
):
    from workflows.models import Invitee

    meeting = submit_with_reports(psm_request(people, county), people)
    other = psm_request(people, county)
    iro = people.independent_iro  # not the child's IRO: sees the meeting only as an invitee
    assert not meetings_for_user(iro).exists()
    for role in ("supervising_social_worker", "iro"):  # invited twice, in two capacities
        Invitee.objects.create(meeting=meeting, user=iro, name=str(iro), role=role)
    assert list(meetings_for_user(iro)) == [meeting]
    assert meetings_for_user(iro).count() == 1 and other not in meetings_for_user(iro)
    Invitee.objects.create(meeting=meeting, user=people.team_manager, name="TM", role="chair")
    manager_rows = list(meetings_for_user(people.team_manager).values_list("pk", flat=True))
    assert sorted(manager_rows) == sorted([meeting.pk, other.pk])
    with django_assert_max_num_queries(2):  # meeting types, then the meetings
        list(meetings_for_user(people.team_manager))


# --------------------------------------------------------------------------------------------------
# Approvers see the requests of the types they decide on, read from each gate's condition (issue 15)
# --------------------------------------------------------------------------------------------------

LATE = {"var": "meeting.requested_late"}
AGENCY = {"in": [{"var": "placement.type"}, ["agency_fostering", "agency_residential"]]}


def _county_with_review_gate(when: dict) -> ProcedurePack:
    """The county pack whose PSM adds a gate, under `when`, at which a quality and review manager
    approves."""
    import copy

    from workflows.packs import pack_load

    from .factories import pack_data

    data = copy.deepcopy(pack_data("county"))
    data |= {"slug": "fernley", "name": "Fernley meetings", "council_name": "Fernley Council"}
    psm = next(t for t in data["meeting_types"] if t["code"] == "PSM")
    psm["gates"].append(
        {
            "when": when,
            "rule": "D3",
            "name": "Review approval",
            "approvers": [{"role": "quality_review_manager", "relationship": "any"}],
            "need": "any",
            "count": 1,
            "different_people": True,
            "decline_needs_reason": True,
        }
    )
    return pack_load(data)


def test_a_gate_for_late_or_agency_requests_reaches_an_approver_of_a_request_in_time__issue15_D3(people):
    """The gate applies "when requested late or the placement is with an agency": an agency request made
    in time needs the quality and review manager, who sees it in their queue (reading the condition's
    text as "only late requests" hid it from them)."""
    from workflows.policy_engine import rule_list
    from workflows.selectors import approval_queue_for_user, gate_lateness

    pack = _county_with_review_gate({"or": [{"===": [LATE, True]}, AGENCY]})
    psm = MeetingType.objects.get(pack=pack, code="PSM")
    assert [gate_lateness(psm, g) for g in rule_list(psm, "gates")] == [None, None]
    child = people.child()
    meeting = submit_with_reports(
        psm_request(people, pack, child=child, placement=people.placement(child, agency_fostering=True)),
        people,
    )
    assert not meeting.is_late
    assert [g["name"] for g in meeting.decision["gates"]] == ["Request approval", "Review approval"]
    assert meeting in meetings_for_user(people.qr_manager)
    assert approval_queue_for_user(people.qr_manager) == [meeting]


def test_a_gate_for_requests_made_in_time_is_not_a_late_gate__issue15_D3(people):
    """The gate applies "when requested late is no": the quality and review manager sees the requests
    made in time (the text search took it for a late-request gate and showed them only late ones)."""
    from workflows.models import Meeting
    from workflows.policy_engine import rule_list
    from workflows.selectors import approval_queue_for_user, gate_lateness

    pack = _county_with_review_gate({"and": [{"===": [LATE, False]}]})
    psm = MeetingType.objects.get(pack=pack, code="PSM")
    assert [gate_lateness(psm, g) for g in rule_list(psm, "gates")] == [None, False]
    meeting = submit_with_reports(psm_request(people, pack), people)
    assert not meeting.is_late and len(meeting.decision["gates"]) == 2
    assert approval_queue_for_user(people.qr_manager) == [meeting]
    Meeting.objects.filter(pk=meeting.pk).update(is_late=True)  # a late request of the type
    assert meeting not in meetings_for_user(people.qr_manager)
