"""The policy check before publishing (issue 10, "A policy check before publishing").

Sample cases are synthetic fact snapshots; `dead_ends` reads decisions in the stored JSON shape of
docs/rules-as-data.md. These tests build decisions by hand (the expected sentences come from the
dead ends the issue lists), so they do not depend on the evaluator; the councils' tests run the check
on real meeting types through `policy_engine.policy_evaluate`.
"""

from __future__ import annotations

from datetime import date

import pytest

from workflows.conditions import condition_matches
from workflows.facts import FACTS, VOCABULARIES
from workflows.policy_check import CouncilContext, dead_ends, policy_check
from workflows.policy_check_words import timing_words
from workflows.policy_samples import sample_cases

EVERYONE = CouncilContext(
    people=(
        ("team_manager", "children_social_work"),
        ("team_manager", "fostering"),
        ("social_worker", "children_social_work"),
        ("supervising_social_worker", "fostering"),
        ("iro", "iro_service"),
        ("quality_review_manager", "quality_review"),
    )
)
CASE = "agency fostering, long-term, ended unplanned, marked complex"


def Policy(**lists) -> dict:
    """A meeting type as a format-2 pack holds it: a name and rule lists of JSON entries."""
    return {"code": "TM", "name": "Test meeting", **lists}


def sound(**changes) -> dict:
    """A decision with nothing wrong: a deadline, a chair an IRO holds, an approver, invitees who can be
    found for what the minutes and reports need."""
    decision = {
        "version": 1,
        "eligible": True,
        "refusals": [],
        "timing": {"anchor": "placement_ended", "earliest": 28, "latest": 42, "unit": "calendar"},
        "gates": [
            {
                "name": "Request approval",
                "approvers": [{"role": "team_manager", "relationship": "child_team_manager"}],
                "need": "any",
                "count": 1,
                "different_people": True,
            }
        ],
        "chair": {"roles": ["iro"], "team_kinds": [], "exclude": ["not_childs_iro"]},
        "invitees": [
            {"role": "social_worker", "requirement": "required"},
            {"role": "iro", "requirement": "required"},
        ],
        "reports": [
            {"form_key": "sw-report", "label": "Social worker's report", "author_role": "social_worker"}
        ],
        "circulation": [{"role": "social_worker"}, {"role": "iro"}],
        "not_held": None,
    }
    decision.update(changes)
    return decision


# --------------------------------------------------------------------------------------------------
# Sample cases
# --------------------------------------------------------------------------------------------------


def test_the_full_matrix_is_every_type_purpose_ending_flag_permanence_length_and_history():
    cases, held = sample_cases(None, Policy(), full=True)
    types = len(VOCABULARIES["placement_type"])
    purposes = len(VOCABULARIES["placement_purpose"]) + 1  # and "not recorded"
    flags = len(VOCABULARIES["request_flag"]) + 1  # and none
    assert len(cases) == types * purposes * 3 * flags * 2 * 2 * 2
    assert held == {}
    assert len({c.description for c in cases}) == len(cases), "every case has its own description"
    case = next(
        c
        for c in cases
        if (c.placement_type, c.purpose, c.ending, c.flag, c.permanent, c.length, c.history)
        == ("agency_fostering", "long_term", "unplanned", "complex", False, "long", "settled")
    )
    assert case.description.startswith(
        "agency fostering (IFA), long-term, not ratified as permanent, ended unplanned"
    )
    assert "marked complex" in case.description and "lasted 3 years 6 months" in case.description
    placement = case.snapshot["placement"]
    assert placement["type"] == "agency_fostering" and placement["is_agency"] is True
    assert placement["ended_unplanned"] is True and placement["has_ended"] is True
    assert placement["length_years"] == 3 and placement["length_months"] == 42
    assert case.snapshot["request"]["flags"] == ["complex"]


def test_every_catalogue_fact_is_in_a_sample_snapshot_so_any_condition_can_be_evaluated():
    cases, _ = sample_cases(None, Policy(), full=True)
    snapshot = cases[0].snapshot
    for key, fact in FACTS.items():
        group, name = key.split(".", 1)
        assert name in snapshot[group], key
        if fact.per_months:
            assert "last_12_months" in snapshot[group][name], key


def test_a_dimension_no_condition_reads_is_held_still_and_one_that_is_read_varies():
    reads_length = Policy(
        eligibility=[{"when": {"and": [{">=": [{"var": "placement.length_months"}, 12]}]}, "explanation": ""}]
    )
    cases, held = sample_cases(None, reads_length)
    assert {c.length for c in cases} == {"long", "short"}
    assert {c.purpose for c in cases} == {None}
    assert set(held) == {"purpose", "flag", "permanent", "history"}
    lengths = {c.length: c.snapshot["placement"]["length_months"] for c in cases}
    assert lengths["long"] >= 12 > lengths["short"], "the two lengths fall either side of a 12-month rule"


def test_a_history_window_a_condition_names_is_in_the_snapshot():
    condition = {"and": [{">=": [{"var": "history.carer_unplanned_endings.last_24_months"}, 2]}]}
    cases, _ = sample_cases(None, Policy(eligibility=[{"when": condition}]))
    outcomes = {c.history: condition_matches(condition, c.snapshot) for c in cases}
    assert outcomes == {"settled": False, "unsettled": True}


def test_the_pack_vocabulary_decides_the_purposes_tried():
    vocabularies = {"placement_purpose": [("staying_put", "Staying put")]}
    condition = {"and": [{"==": [{"var": "placement.purpose"}, "staying_put"]}]}
    cases, _ = sample_cases(vocabularies, Policy(timing=[{"when": condition}]))
    assert {c.purpose for c in cases} == {"staying_put", None}
    assert any("staying put" in c.description for c in cases)


# --------------------------------------------------------------------------------------------------
# Dead ends, each a sentence naming the case
# --------------------------------------------------------------------------------------------------


def test_a_sound_decision_has_no_dead_end():
    assert dead_ends(sound(), CASE, EVERYONE) == []


def test_a_case_that_is_not_eligible_has_no_dead_end():
    assert dead_ends(sound(eligible=False, timing=None, chair=None), CASE, EVERYONE) == []


def test_eligible_but_no_timing_entry_matches():
    assert dead_ends(sound(timing=None), CASE, EVERYONE) == [
        f"For {CASE}: the meeting can be requested but no timing rule matches, so it would have no deadline."
    ]


def test_no_chair_entry_matches():
    (problem,) = dead_ends(sound(chair=None), CASE, EVERYONE)
    assert problem == f"For {CASE}: no chair rule matches, so nobody could chair the meeting."


def test_a_chair_entry_nobody_in_the_council_could_fill():
    decision = sound(chair={"roles": ["head_of_service"], "team_kinds": []})
    (problem,) = dead_ends(decision, CASE, EVERYONE)
    assert problem.startswith(f"For {CASE}: the chair must be a head of service")
    assert "nobody in the council holds that role" in problem
    # A role held only outside the chair's team kinds does not fill it either.
    decision = sound(chair={"roles": ["team_manager"], "team_kinds": ["residential"]})
    assert dead_ends(decision, CASE, EVERYONE)
    decision = sound(chair={"roles": ["team_manager"], "team_kinds": ["fostering"]})
    assert dead_ends(decision, CASE, EVERYONE) == []


def test_a_gate_whose_approver_role_nobody_holds():
    gate = {
        "name": "Head of service agrees",
        "approvers": [{"role": "team_manager"}, {"role": "head_of_service"}],
        "need": "all",
        "different_people": True,
    }
    (problem,) = dead_ends(sound(gates=[gate]), CASE, EVERYONE)
    assert problem == (
        f"For {CASE}: the gate “Head of service agrees” needs a head of service, and nobody in the "
        "council holds that role."
    )
    # "Any of" is stuck only when no approver role is held.
    assert dead_ends(sound(gates=[gate | {"need": "any"}]), CASE, EVERYONE) == []


def test_a_two_person_gate_needs_two_people():
    gate = {
        "name": "Two managers",
        "approvers": [{"role": "quality_review_manager"}],
        "need": "count",
        "count": 2,
    }
    (problem,) = dead_ends(sound(gates=[gate]), CASE, EVERYONE)
    assert "needs 2 different people, and only 1 hold those roles" in problem


def test_a_circulation_role_no_invitee_entry_fills_for_the_case():
    decision = sound(circulation=[{"role": "foster_carer"}])
    (problem,) = dead_ends(decision, CASE, EVERYONE)
    assert problem == (
        f"For {CASE}: the minutes must go to the foster carers, but no invitee rule invites them, so the "
        "minutes could never be circulated."
    )


def test_a_report_whose_author_is_not_invited_or_whose_role_nobody_holds():
    decision = sound(reports=[{"label": "Home's report", "author_role": "home_manager"}])
    (problem,) = dead_ends(decision, CASE, EVERYONE)
    assert (
        problem
        == f"For {CASE}: “Home's report” is written by the home manager, who is not invited to this meeting."
    )
    invited = decision | {
        "invitees": [*decision["invitees"], {"role": "home_manager", "requirement": "required"}]
    }
    (problem,) = dead_ends(invited, CASE, EVERYONE)
    assert (
        problem == f"For {CASE}: “Home's report” is written by the home manager, and nobody holds that role."
    )


def test_a_not_held_path_whose_deciders_nobody_holds():
    decision = sound(not_held={"decided_by_roles": ["head_of_service"], "reason_required": True})
    (problem,) = dead_ends(decision, CASE, EVERYONE)
    assert "the decision not to hold the meeting is taken by a head of service, and nobody holds" in problem
    decision = sound(not_held={"decided_by_roles": ["team_manager"], "reason_required": True})
    assert dead_ends(decision, CASE, EVERYONE) == []


def test_a_deadline_from_the_placement_end_for_a_placement_still_going_on():
    from workflows.policy_samples import SampleCase

    ongoing = SampleCase(
        "agency_fostering",
        None,
        "ongoing",
        None,
        False,
        "long",
        "settled",
        "agency fostering, still going on",
        {},
    )
    (problem,) = dead_ends(sound(), ongoing, EVERYONE)
    assert problem.startswith("For agency fostering, still going on: the meeting can be requested while")
    assert dead_ends(sound(timing=sound()["timing"] | {"anchor": "requested"}), ongoing, EVERYONE) == []


def test_a_linked_meeting_or_prerequisite_of_a_type_the_pack_lacks():
    context = CouncilContext(people=EVERYONE.people, meeting_type_codes=frozenset({"DM"}))
    decision = sound(linked_meetings=[{"meeting_type_code": "DM2", "on_event": "closed"}])
    (problem,) = dead_ends(decision, CASE, context)
    assert "this pack has no meeting type DM2" in problem


def test_timing_words():
    assert timing_words(sound()["timing"]) == (
        "Between 28 and 42 calendar days after the placement ended (a hard limit)"
    )
    timing = {
        "anchor": "placement_ended",
        "latest": 2,
        "unit": "months",
        "hard": False,
        "roll": "next_working_day",
    }
    assert timing_words(timing) == (
        "Within 2 calendar months after the placement ended (a target: later is flagged late), moved to the "
        "next working day"
    )


# --------------------------------------------------------------------------------------------------
# The check over the matrix (an evaluator given in the test: first matching timing entry)
# --------------------------------------------------------------------------------------------------


def first_match_timing(policy, snapshot) -> dict:
    timing = next((e for e in policy["timing"] if condition_matches(e.get("when"), snapshot)), None)
    return sound(timing=timing)


def test_the_check_names_the_cases_a_first_match_list_misses():
    long_only = {"and": [{">=": [{"var": "placement.length_months"}, 12]}]}
    policy = Policy(timing=[{"when": long_only, "anchor": "requested", "latest": 20, "unit": "working"}])
    report = policy_check(policy, context=EVERYONE, evaluate=first_match_timing, anchor_on=date(2026, 3, 2))
    assert not report.ok
    stuck = {r.case.length for r in report.results if r.problems}
    assert stuck == {"short"}, "only the short placements have no deadline"
    assert report.refusal_sentence().startswith(
        "Test meeting cannot be published: For in-house fostering, still going on, lasted 6 weeks: the "
        "meeting can be requested but no timing rule matches"
    )
    groups = report.groups()
    assert groups[0].reasons and not groups[-1].reasons, "problems come first"
    assert sum(len(g.results) for g in groups) == len(report.results)

    policy["timing"].append({"when": None, "anchor": "requested", "latest": 30, "unit": "working"})
    report = policy_check(policy, context=EVERYONE, evaluate=first_match_timing)
    assert report.ok and report.refusal_sentence() == ""


@pytest.mark.parametrize("full", [False, True])
def test_holding_unread_dimensions_still_finds_the_same_problems(full):
    purpose = {"and": [{"==": [{"var": "placement.purpose"}, "permanent"]}]}
    policy = Policy(timing=[{"when": purpose, "anchor": "requested", "latest": 5, "unit": "working"}])
    report = policy_check(policy, context=EVERYONE, evaluate=first_match_timing, full=full)
    assert {r.case.purpose for r in report.results if not r.problems} == {"permanent"}


def test_before_any_staff_account_exists_who_holds_a_role_is_not_checked():
    """Policy owners load the policy before staff accounts exist: roles nobody holds yet are no dead end,
    but the structure still is (no deadline)."""
    unstaffed = CouncilContext(people=(("policy_owner", "policy"),))
    assert not unstaffed.staffed and EVERYONE.staffed
    decision = sound(chair={"roles": ["head_of_service"], "team_kinds": []})
    assert dead_ends(decision, CASE, unstaffed) == []
    assert dead_ends(decision, CASE, EVERYONE)
    assert dead_ends(sound(timing=None), CASE, unstaffed)


def test_a_chair_from_the_service_looking_after_the_placement_needs_such_a_service():
    """A chair from the placement's service (P4's in-house rule) is a dead end for a placement no fostering
    or residential service looks after, and where that service has nobody in the chair's role."""
    from workflows.policy_samples import SampleCase

    chair = {"roles": ["team_manager"], "team_kinds": [], "team_scope": "service_team"}
    other = SampleCase("other", None, "unplanned", None, False, "long", "settled", "other placement", {})
    (problem,) = dead_ends(sound(chair=chair), other, EVERYONE)
    assert problem == (
        "For other placement: the chair must come from the fostering or residential service looking after "
        "the placement, and this kind of placement has neither, so nobody could chair."
    )
    home = SampleCase("in_house_residential", None, "unplanned", None, False, "long", "settled", "a home", {})
    (problem,) = dead_ends(sound(chair=chair), home, EVERYONE)
    assert problem == (
        "For a home: the chair must be a team manager from the residential service, and nobody there holds "
        "that role."
    )
    fostering = SampleCase("agency_fostering", None, "unplanned", None, False, "long", "settled", "IFA", {})
    assert dead_ends(sound(chair=chair), fostering, EVERYONE) == []
