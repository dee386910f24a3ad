"""Six fictional councils, each written purely as pack files (issue 10, "Done when").

Each folder under tests/councils holds a format-2 pack.json and its forms, nothing else: no council needs
code. Each leans on a different family of rule:

| folder | council | family |
| --- | --- | --- |
| ashbourne_vale | Ashbourne Vale | conditions on placement length and purpose |
| kestrel_bay | Kestrel Bay | calendar months (month-end rule, rolled to a working day) |
| harrowfield | Harrowfield | a two-person gate (team manager AND head of service) |
| millbrook | Millbrook | a not-held path |
| saltmarsh | Saltmarsh | a history trigger for a carer household (in its pack.json) |
| wyecombe | Wyecombe | linked two-stage meetings |

Expected values come from the pack files and hand-worked dates, never from the engine's output.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from tests.factories import UserFactory
from tests.workflows.factories import at, hold_and_minute, schedule
from workflows import services
from workflows.choices import MeetingState
from workflows.deadlines import bound_compute
from workflows.fact_snapshot import RequestFacts, fact_snapshot
from workflows.models import Meeting, MeetingType, ProcedurePack
from workflows.policy_check import CouncilContext, policy_check
from workflows.policy_engine import all_conditions, policy_evaluate
from workflows.rules import RuleRefusal

COUNCILS = Path(__file__).parent
FOLDERS = ("ashbourne_vale", "kestrel_bay", "harrowfield", "millbrook", "saltmarsh", "wyecombe")
# A council with someone in every role these packs use (head of service is Harrowfield's own role).
STAFFED = CouncilContext(
    people=(
        ("team_manager", "children_social_work"),
        ("team_manager", "fostering"),
        ("team_manager", "residential"),
        ("social_worker", "children_social_work"),
        ("supervising_social_worker", "fostering"),
        ("home_manager", "residential"),
        ("iro", "iro_service"),
        ("quality_review_manager", "quality_review"),
        ("head_of_service", "children_social_work"),
    )
)


def council(folder: str) -> dict:
    return json.loads((COUNCILS / folder / "pack.json").read_text(encoding="utf-8"))


def meeting_type(folder: str, code: str) -> dict:
    return next(mt for mt in council(folder)["meeting_types"] if mt["code"] == code)


def context_for(folder: str) -> CouncilContext:
    codes = frozenset(mt["code"] for mt in council(folder)["meeting_types"])
    return CouncilContext(people=STAFFED.people, meeting_type_codes=codes)


ALL_TYPES = [(folder, mt["code"]) for folder in FOLDERS for mt in council(folder)["meeting_types"]]


# --------------------------------------------------------------------------------------------------
# Pack files only, each sound under the policy check
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder", FOLDERS)
def test_a_council_is_only_pack_files(folder):
    """Issue 10: no council needs code: a format-2 pack.json (Saltmarsh's case trigger included), its
    procedures and forms."""
    files = {
        p.relative_to(COUNCILS / folder).as_posix() for p in (COUNCILS / folder).rglob("*") if p.is_file()
    }
    assert "pack.json" in files
    assert all(f in ("pack.json", "procedures.json") or f.startswith("forms/") for f in files)
    assert all(f.endswith(".json") for f in files)
    data = council(folder)
    assert data["format"] == 2
    minutes_keys = {mt["minutes_form_key"] for mt in data["meeting_types"]}
    assert {f"forms/{key}.json" for key in minutes_keys} <= files


@pytest.mark.parametrize(("folder", "code"), ALL_TYPES)
def test_every_council_meeting_type_passes_the_policy_check(folder, code):
    """Issue 10: a sound policy publishes: no sample case is a dead end."""
    report = policy_check(meeting_type(folder, code), context=context_for(folder))
    assert report.problems == []
    assert report.eligible_count > 0


def test_a_dead_end_variant_of_a_council_is_refused_naming_the_case():
    """Issue 10: Ashbourne Vale without its default timing entry gives long-term placements no deadline;
    the check says so, naming the first such case (in-house fostering is the first placement type,
    long-term the first purpose, an unplanned ending of the long placement the only eligible one)."""
    mt = meeting_type("ashbourne_vale", "AVDM")
    mt["timing"] = [entry for entry in mt["timing"] if entry["when"]]  # only the permanent-placement entry
    report = policy_check(mt, context=context_for("ashbourne_vale"))
    assert report.refusal_sentence().startswith(
        "Ending review meeting cannot be published: For in-house fostering, long-term, ended unplanned, "
        "lasted 3 years 6 months: the meeting can be requested but no timing rule matches, so it would "
        "have no deadline."
    )
    stuck = {r.case.purpose for r in report.results if r.problems}
    assert stuck == {"long_term"}


def test_a_council_missing_the_role_its_gate_needs_is_refused():
    """Issue 10: Harrowfield's gate needs the head of service's role; a council where nobody holds it is a
    dead end."""
    without = CouncilContext(people=tuple(p for p in STAFFED.people if p[0] != "quality_review_manager"))
    report = policy_check(meeting_type("harrowfield", "HFSM"), context=without)
    assert not report.ok
    assert (
        "the gate “Team manager and head of service agree” needs a quality and review manager, and nobody"
        in report.problems[0]
    )


# --------------------------------------------------------------------------------------------------
# What each council decides for real case records (fact snapshots from the database)
# --------------------------------------------------------------------------------------------------


def decide(folder: str, code: str, placement, *, anchor_on: date, **request) -> dict:
    mt = meeting_type(folder, code)
    snapshot = fact_snapshot(
        child=placement.child,
        placement=placement,
        anchor_on=anchor_on,
        request=RequestFacts(**request),
        conditions=all_conditions(mt),
    )
    return policy_evaluate(mt, snapshot).as_json()


ENDED = date(2026, 3, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("purpose", "months", "unplanned", "eligible", "latest"),
    [
        ("long_term", 12, True, True, 25),  # exactly 12 months: the default 25 working days
        ("permanent", 30, True, True, 15),  # permanent: its own 15 working days
        ("long_term", 11, True, False, None),  # 11 months is short of the year
        ("short_term", 30, True, False, None),  # not long-term or permanent
        ("long_term", 30, False, False, None),  # ended as planned
    ],
)
def test_ashbourne_vale_holds_it_only_after_a_year_of_a_long_term_or_permanent_placement(
    people, purpose, months, unplanned, eligible, latest
):
    """Issue 10 family 1 (AV1, AV2): eligibility on length and purpose; the deadline on purpose."""
    child = people.child()
    placement = people.placement(
        child,
        start_date=ENDED - relativedelta(months=months),
        end_date=ENDED,
        ended_unplanned=unplanned,
        purpose=purpose,
        is_permanent=purpose == "permanent",
        ratified_permanent_on=ENDED - relativedelta(months=months) if purpose == "permanent" else None,
    )
    decision = decide("ashbourne_vale", "AVDM", placement, anchor_on=ENDED)
    assert decision["eligible"] is eligible
    if eligible:
        assert decision["timing"]["latest"] == latest and decision["timing"]["unit"] == "working"
    else:
        assert decision["refusals"][0]["message"] == (
            "Ashbourne Vale holds an ending review meeting only when a long-term or permanent placement "
            "that lasted at least 12 months ends unplanned."
        )


def test_kestrel_bay_counts_two_calendar_months_with_the_month_end_rule_and_rolls():
    """Issue 10 family 2 (KB2): 31 December 2026 + 2 calendar months is 28 February 2027 (February has no
    31st), a Sunday, so the deadline moves to Monday 1 March 2027."""
    timing = meeting_type("kestrel_bay", "KBDM")["timing"][0]
    assert (timing["unit"], timing["latest"], timing["roll"]) == ("months", 2, "next_working_day")
    due = bound_compute(date(2026, 12, 31), timing["latest"], timing["unit"], roll=timing["roll"])
    assert date(2027, 2, 28).weekday() == 6
    assert due == date(2027, 3, 1)
    # A month from 30 November is 30 December (a Wednesday, a working day): nothing to roll.
    assert bound_compute(date(2026, 10, 30), 2, "months", roll="next_working_day") == date(2026, 12, 30)


@pytest.mark.django_db
def test_kestrel_bay_adds_the_late_gate_only_to_a_late_request(people):
    """Issue 10 family 2 (KB3): a request more than a month after the ending needs the Q&R manager too."""
    child = people.child()
    placement = people.placement(
        child,
        start_date=date(2022, 1, 10),
        end_date=ENDED,
        ended_unplanned=True,
        is_permanent=True,
        ratified_permanent_on=date(2022, 6, 1),
    )
    on_time = decide("kestrel_bay", "KBDM", placement, anchor_on=ENDED, requested_late=False)
    late = decide("kestrel_bay", "KBDM", placement, anchor_on=ENDED, requested_late=True)
    assert [g["name"] for g in on_time["gates"]] == ["Request approval"]
    assert [g["name"] for g in late["gates"]] == ["Request approval", "Late request approval"]


@pytest.mark.django_db
def test_harrowfield_needs_the_team_manager_and_the_head_of_service(people):
    """Issue 10 family 3 (HF1): one gate, all of two approvers, different people."""
    placement = people.placement(people.child())
    (gate,) = decide("harrowfield", "HFSM", placement, anchor_on=ENDED)["gates"]
    assert gate["need"] == "all" and gate["different_people"] is True
    assert [(a["role"], a["relationship"], a.get("council_role", "")) for a in gate["approvers"]] == [
        ("team_manager", "child_team_manager", ""),
        ("quality_review_manager", "any", "head_of_service"),
    ]


@pytest.mark.django_db
def test_millbrook_offers_a_not_held_path_decided_by_the_team_manager(people):
    """Issue 10 family 4 (MB4)."""
    placement = people.placement(people.child())
    not_held = decide("millbrook", "MBSM", placement, anchor_on=ENDED)["not_held"]
    assert not_held["decided_by_roles"] == ["team_manager"] and not_held["reason_required"] is True


@pytest.mark.django_db
def test_saltmarshs_trigger_counts_unplanned_endings_with_the_carer_household(people):
    """Issue 10 family 5: two unplanned endings with the same carers in the last 12 months (any child)
    make the trigger's condition true; one does not."""
    from workflows.conditions import condition_matches

    (trigger,) = council("saltmarsh")["case_triggers"]
    first = people.placement(
        people.child(), start_date=date(2025, 1, 6), end_date=date(2025, 6, 2), ended_unplanned=True
    )
    household = first.carer_household
    current = people.placement(people.child(), start_date=date(2025, 9, 1), carer_household=household)

    def fires(anchor_on: date) -> bool:
        snapshot = fact_snapshot(
            child=current.child, placement=current, anchor_on=anchor_on, conditions=[trigger["when"]]
        )
        return condition_matches(trigger["when"], snapshot)

    assert not fires(ENDED)
    people.placement(
        people.child(),
        start_date=date(2025, 3, 3),
        end_date=date(2026, 1, 12),
        ended_unplanned=True,
        carer_household=household,
    )
    assert fires(ENDED)
    assert not fires(date(2026, 6, 3)), "2 June 2025 has left the 12-month window by 3 June 2026"


@pytest.mark.django_db
def test_wyecombe_first_stage_starts_the_second_when_it_closes(people):
    """Issue 10 family 6 (WY5)."""
    placement = people.placement(
        people.child(),
        start_date=date(2022, 1, 10),
        end_date=ENDED,
        ended_unplanned=True,
        is_permanent=True,
        ratified_permanent_on=date(2022, 6, 1),
    )
    decision = decide("wyecombe", "WYD1", placement, anchor_on=ENDED)
    assert [(link["meeting_type_code"], link["on_event"]) for link in decision["linked_meetings"]] == [
        ("WYD2", "closed")
    ]
    assert decide("wyecombe", "WYD2", placement, anchor_on=ENDED)["linked_meetings"] == []


# --------------------------------------------------------------------------------------------------
# Driving a meeting through each council with the engine's services
# --------------------------------------------------------------------------------------------------


def load_council(folder: str, tmp_path) -> ProcedurePack:
    """`load_packs` on this council's folder alone: its pack and its forms, as an installation loads them."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / folder).symlink_to(COUNCILS / folder)
    call_command("load_packs", "--dir", str(packs), stdout=StringIO())
    return ProcedurePack.objects.get(slug=council(folder)["slug"])


def ended_permanent(people, **kwargs):
    values = {
        "start_date": date(2022, 1, 10),
        "end_date": ENDED,
        "ended_unplanned": True,
        "is_permanent": True,
        "ratified_permanent_on": date(2022, 6, 1),
    }
    return people.placement(people.child(), **{**values, **kwargs})


def request(pack, code: str, placement, by, day: date, **kwargs):
    return services.meeting_request(
        meeting_type=MeetingType.objects.get(pack=pack, code=code),
        child=placement.child,
        placement=placement,
        by=by,
        requested_at=at(day),
        send=True,
        **kwargs,
    )


def through_to_closed(meeting, people, *, chair, day: date):
    """Schedule with the policy's invitees, hold, minute, approve, circulate and close."""
    meeting = schedule(meeting, people, chair=chair, day=day)
    meeting = hold_and_minute(meeting, people)
    meeting = services.minutes_approve(meeting=meeting, by=chair)
    meeting = services.minutes_circulate(meeting=meeting, by=chair)
    return services.meeting_close(meeting=meeting, by=chair)


@pytest.mark.django_db
def test_ashbourne_vale_meeting_runs_from_request_to_close(people, tmp_path):
    """Family 1: a long-term placement of 14 months ends unplanned on Mon 2 Mar 2026. AV2's default entry:
    25 working days, skipping Good Friday (3 Apr) and Easter Monday (6 Apr 2026): Wed 8 Apr 2026."""
    pack = load_council("ashbourne_vale", tmp_path)
    placement = people.placement(
        people.child(), start_date=date(2025, 1, 2), end_date=ENDED, ended_unplanned=True, purpose="long_term"
    )
    meeting = request(pack, "AVDM", placement, people.social_worker, date(2026, 3, 4))
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    assert meeting.due_on == date(2026, 4, 8)
    assert "Good Friday" in meeting.deadline_explanation and "Easter Monday" in meeting.deadline_explanation
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = through_to_closed(meeting, people, chair=people.independent_iro, day=date(2026, 3, 30))
    assert meeting.state == MeetingState.CLOSED

    short = people.placement(
        people.child(), start_date=date(2025, 6, 2), end_date=ENDED, ended_unplanned=True, purpose="long_term"
    )
    with pytest.raises(RuleRefusal, match="lasted at least 12 months"):
        request(pack, "AVDM", short, people.social_worker, date(2026, 3, 4))


@pytest.mark.django_db
def test_kestrel_bay_meeting_is_due_two_calendar_months_after_the_ending_rolled_to_a_working_day(
    people, tmp_path
):
    """Family 2: ended Wed 31 Dec 2025; two calendar months is Sat 28 Feb 2026 (month-end rule), which
    rolls to Mon 2 Mar 2026."""
    pack = load_council("kestrel_bay", tmp_path)
    placement = ended_permanent(people, end_date=date(2025, 12, 31))
    meeting = request(pack, "KBDM", placement, people.social_worker, date(2026, 1, 5))
    assert date(2026, 2, 28).weekday() == 5
    assert meeting.due_on == date(2026, 3, 2)
    assert not meeting.is_late
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = through_to_closed(meeting, people, chair=people.independent_iro, day=date(2026, 2, 16))
    assert meeting.state == MeetingState.CLOSED


@pytest.mark.django_db
def test_harrowfield_meeting_needs_the_team_manager_and_a_different_head_of_service(people, tmp_path):
    """Family 3 (HF1): one gate needing the child's team manager AND the head of service (the approver
    names the pack's council role head_of_service, mapped onto quality and review manager); the team
    manager alone leaves it waiting and cannot approve a second time; a quality and review manager who
    is not the head of service is refused with a sentence naming the council role."""
    pack = load_council("harrowfield", tmp_path)
    head = UserFactory(
        username="hos", role="quality_review_manager", council_role="head_of_service", team=people.cs_team
    )
    reviewer = UserFactory(username="qrm", role="quality_review_manager", team=people.cs_team)
    meeting = request(pack, "HFSM", people.placement(people.child()), people.social_worker, date(2026, 3, 2))
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    with pytest.raises(RuleRefusal):
        services.meeting_approve(meeting=meeting, by=people.team_manager)
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=reviewer)
    assert "Only someone whose council role is head of service can decide this request" in str(refused.value)
    meeting = services.meeting_approve(meeting=meeting, by=head)
    assert meeting.state == MeetingState.APPROVED
    meeting = through_to_closed(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 9))
    assert meeting.state == MeetingState.CLOSED


@pytest.mark.django_db
def test_harrowfield_request_waits_for_the_head_of_service_whose_holders_alone_see_it__P2(
    people, tmp_path, client
):
    """Issue 15 (HF1): the approver naming Harrowfield's council role is called by it, "head of
    service", in the waiting words, the refusals and the pages; the request is in the queue of the head
    of service and of the child's team manager only, not of a plain quality and review manager (the
    built-in role head of service maps onto), who does not see the meeting at all, nor of another team's
    manager, who is refused."""
    from django.urls import reverse

    from workflows import policy as rules_of
    from workflows.selectors import approval_queue_for_user, meetings_for_user

    pack = load_council("harrowfield", tmp_path)
    head = UserFactory(username="hos", role="quality_review_manager", council_role="head_of_service")
    reviewer = UserFactory(username="qrm", role="quality_review_manager")
    meeting = request(pack, "HFSM", people.placement(people.child()), people.social_worker, date(2026, 3, 2))
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    assert rules_of.waiting_for(meeting) == "team manager and head of service"
    assert approval_queue_for_user(head) == [meeting]
    assert approval_queue_for_user(people.team_manager) == [meeting]
    assert approval_queue_for_user(reviewer) == [] and meeting not in meetings_for_user(reviewer)
    assert approval_queue_for_user(people.other_manager) == []
    refused = rules_of.approver_refusal(meeting, people.other_manager)
    assert refused.message == "Only a manager of the child's own team can decide this request."

    services.meeting_approve(meeting=meeting, by=people.team_manager)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert rules_of.waiting_for(meeting) == "head of service"
    assert approval_queue_for_user(people.team_manager) == []
    assert rules_of.approver_refusal(meeting, people.team_manager).message == (
        "You have already approved this request (team manager and head of service agree); "
        "the head of service must be someone else."
    )
    client.force_login(people.team_manager)
    page = client.get(reverse("workflows:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Still to approve: head of service" in page
    client.force_login(head)
    queue = client.get(reverse("workflows:approval_queue")).content.decode()
    assert meeting.reference in queue and "head of service" in queue
    client.force_login(reviewer)
    assert meeting.reference not in client.get(reverse("workflows:approval_queue")).content.decode()


@pytest.mark.django_db
def test_a_head_of_service_slot_is_filled_only_by_the_head_when_a_plain_slot_shares_its_role__P2(people):
    """Issue 15: a Harrowfield variant whose gate needs all of a quality and review manager and the head
    of service (who carries that built-in role). A plain reviewer's approval fills the plain slot only;
    a second plain reviewer is refused naming the head of service; the head's approval completes it."""
    import copy

    from workflows import policy as rules_of
    from workflows.packs import pack_load

    data = copy.deepcopy(council("harrowfield"))
    data |= {"slug": "harrowfield-two", "name": "Harrowfield two reviewers"}
    (gate,) = data["meeting_types"][0]["gates"]
    gate["approvers"] = [
        {"role": "quality_review_manager", "relationship": "any"},
        {"role": "quality_review_manager", "relationship": "any", "council_role": "head_of_service"},
    ]
    pack = pack_load(data)
    head = UserFactory(username="hos", role="quality_review_manager", council_role="head_of_service")
    first = UserFactory(username="qrm1", role="quality_review_manager")
    second = UserFactory(username="qrm2", role="quality_review_manager")
    meeting = request(pack, "HFSM", people.placement(people.child()), people.social_worker, date(2026, 3, 2))
    assert rules_of.waiting_for(meeting) == "quality and review manager and head of service"
    meeting = services.meeting_approve(meeting=meeting, by=first)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.state == MeetingState.AWAITING_APPROVAL
    assert rules_of.waiting_for(meeting) == "head of service"
    with pytest.raises(RuleRefusal) as refused:
        services.meeting_approve(meeting=meeting, by=second)
    assert refused.value.message == (
        "Only someone whose council role is head of service can decide this request; yours is not."
    )
    assert services.meeting_approve(meeting=meeting, by=head).state == MeetingState.APPROVED


@pytest.mark.django_db
@pytest.mark.skipif(
    importlib.util.find_spec("workflows.paths") is None,
    reason="the not-held path's service (workflows.paths, branch h/T) is not merged yet",
)
def test_millbrook_meeting_ends_by_the_team_managers_recorded_decision_not_to_hold_it(people, tmp_path):
    """Family 4 (MB4): the team manager records, with a reason, that the meeting will not be held."""
    from workflows.paths import meeting_not_held

    pack = load_council("millbrook", tmp_path)
    meeting = request(pack, "MBSM", people.placement(people.child()), people.social_worker, date(2026, 3, 2))
    meeting = services.meeting_approve(meeting=meeting, by=people.team_manager)
    with pytest.raises(RuleRefusal):
        meeting_not_held(meeting=meeting, by=people.team_manager, reason="")
    meeting = meeting_not_held(
        meeting=meeting, by=people.team_manager, reason="The carers' worries were resolved at supervision."
    )
    assert meeting.state == "not_held"


@pytest.mark.django_db
@pytest.mark.skipif(
    importlib.util.find_spec("workflows.case_triggers") is None,
    reason="CaseTrigger (workflows.case_triggers, branch h/T) is not merged yet",
)
def test_saltmarsh_trigger_gives_a_task_and_the_review_runs(people, tmp_path):
    """Family 5: the second unplanned ending with one household in 12 months gives the carers'
    supervising team manager a task; they decide to hold the review, which runs to its close."""
    from workflows.case_triggers import consider_task_decide, trigger_evaluate
    from workflows.models import CaseTrigger

    pack = load_council("saltmarsh", tmp_path)
    (spec,) = council("saltmarsh")["case_triggers"]
    trigger = CaseTrigger.objects.get(pack=pack)  # loaded by load_packs from the pack file
    assert (trigger.meeting_type.code, trigger.name, trigger.task_role, trigger.due_days) == (
        spec["meeting_type"],
        spec["name"],
        spec["task_role"],
        spec["due_days"],
    )
    people.fostering.manager = people.fostering_manager  # the supervising social worker's team manager
    people.fostering.save()
    first = people.placement(
        people.child(), start_date=date(2025, 1, 6), end_date=date(2025, 6, 2), ended_unplanned=True
    )
    second = people.placement(
        people.child(),
        start_date=date(2025, 3, 3),
        end_date=date(2026, 1, 12),
        ended_unplanned=True,
        carer_household=first.carer_household,
    )
    task = trigger_evaluate(trigger, second, today=date(2026, 1, 13))
    assert task is not None and task.assignee == people.fostering_manager
    consider_task_decide(task=task, by=people.fostering_manager, decision="hold")
    current = people.placement(
        people.child(), start_date=date(2026, 1, 19), carer_household=first.carer_household
    )
    meeting = request(pack, "SMCR", current, people.social_worker, date(2026, 3, 2))
    meeting = services.meeting_approve(meeting=meeting, by=people.fostering_manager)
    meeting = through_to_closed(meeting, people, chair=people.fostering_manager, day=date(2026, 3, 16))
    assert meeting.state == MeetingState.CLOSED


@pytest.mark.django_db
@pytest.mark.skipif(
    importlib.util.find_spec("workflows.paths") is None,
    reason="linked meetings (workflows.paths, branch h/T) are not merged yet",
)
def test_wyecombe_first_stage_closing_starts_the_second_stage(
    people, tmp_path, django_capture_on_commit_callbacks
):
    """Family 6 (WY5): closing the first stage starts the second through meeting_request, linked (the
    start is a durable task run after the closing commits)."""
    pack = load_council("wyecombe", tmp_path)
    placement = ended_permanent(people)
    first = request(pack, "WYD1", placement, people.social_worker, date(2026, 3, 4))
    first = services.meeting_approve(meeting=first, by=people.team_manager)
    with django_capture_on_commit_callbacks(execute=True):
        first = through_to_closed(first, people, chair=people.independent_iro, day=date(2026, 3, 16))
    assert first.state == MeetingState.CLOSED
    second = Meeting.objects.get(linked_from=first)
    assert second.meeting_type.code == "WYD2" and second.child_id == placement.child_id
