"""A timing entry that marks requests late needs an approval step for late requests (D3). Whether a gate
is one is read from its condition's structure, not by searching the condition's text (issue 15)."""

import copy
import json
from pathlib import Path

from workflows.conditions import condition_names
from workflows.policy_validation import rule_list_problems

KESTREL_BAY = Path(__file__).resolve().parent.parent / "councils" / "kestrel_bay" / "pack.json"
LATE = {"===": [{"var": "meeting.requested_late"}, True]}
AGENCY = {"===": [{"var": "placement.agency"}, True]}


def kestrel_dm() -> dict:
    data = json.loads(KESTREL_BAY.read_text())
    return copy.deepcopy(next(mt for mt in data["meeting_types"] if mt["code"] == "KBDM"))


def late_gate_problems(mt: dict) -> list[str]:
    return [p for p in rule_list_problems(mt).get("timing", []) if "count as late" in p]


def test_the_shipped_late_gate_satisfies_the_late_timing_d3():
    assert late_gate_problems(kestrel_dm()) == []


def test_a_late_gate_inside_an_any_of_group_still_counts_d3():
    mt = kestrel_dm()
    mt["gates"][1]["when"] = {"or": [LATE, AGENCY]}
    assert late_gate_problems(mt) == []


def test_without_a_late_gate_the_late_timing_is_refused_d3():
    mt = kestrel_dm()
    mt["gates"][1]["when"] = {"and": [AGENCY]}
    assert late_gate_problems(mt) == [
        "When, entry 1: Requests after day 1 count as late: add an approval step for late requests "
        "(applies when the meeting was requested late)."
    ]


def test_the_fact_named_only_as_text_is_not_a_late_gate():
    """The old text search counted any condition whose JSON merely contained the words."""
    text_only = {"===": [{"var": "placement.reason_for_change"}, "meeting.requested_late"]}
    assert condition_names(text_only, "meeting.requested_late") is False
    assert condition_names({"or": [AGENCY, LATE]}, "meeting.requested_late") is True
    mt = kestrel_dm()
    mt["gates"][1]["when"] = {"and": [text_only]}
    assert len(late_gate_problems(mt)) == 1
