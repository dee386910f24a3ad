"""Issue 10: one evaluator for the rule lists, the timing arithmetic, and the old wide record converted.

Hand-worked dates (England):
- 31 Jan 2027 + 1 calendar month = Sun 28 Feb 2027 (month-end rule); rolled to the next working day,
  Mon 1 Mar 2027. 31 Jan 2028 + 1 month = Tue 29 Feb 2028 (leap year).
- Sat 28 Nov 2026 + 28 calendar days = Sat 26 Dec 2026 (Boxing Day, on a weekend); Mon 28 Dec 2026 is
  its substitute bank holiday, so the next working day is Tue 29 Dec 2026; the previous one is
  Thu 24 Dec 2026 (Fri 25 Dec is Christmas Day).
- 4 weeks after Sat 28 Nov 2026 is also Sat 26 Dec 2026.
- Papers due 5 working days before a panel on Mon 1 Feb 2027: Mon 25 Jan 2027.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from workflows.deadlines import bound_compute, bound_deadline
from workflows.fact_snapshot import blank_snapshot
from workflows.policy_engine import PolicyDecision, policy_evaluate
from workflows.rules_legacy import legacy_to_rules

PERMANENT = {"and": [{"===": [{"var": "placement.is_permanent"}, True]}]}
PACKS = Path(__file__).resolve().parents[2] / "fixtures" / "packs"


@pytest.mark.parametrize(
    ("anchor", "n", "unit", "roll", "direction", "expected"),
    [
        (date(2027, 1, 31), 1, "months", "none", "after", date(2027, 2, 28)),
        (date(2027, 1, 31), 1, "months", "next_working_day", "after", date(2027, 3, 1)),
        (date(2028, 1, 31), 1, "months", "none", "after", date(2028, 2, 29)),
        (date(2027, 3, 31), 1, "months", "none", "before", date(2027, 2, 28)),
        (date(2026, 11, 28), 28, "calendar", "none", "after", date(2026, 12, 26)),
        (date(2026, 11, 28), 28, "calendar", "next_working_day", "after", date(2026, 12, 29)),
        (date(2026, 11, 28), 28, "calendar", "previous_working_day", "after", date(2026, 12, 24)),
        (date(2026, 11, 28), 4, "weeks", "next_working_day", "after", date(2026, 12, 29)),
        (date(2027, 2, 1), 5, "working", "none", "before", date(2027, 1, 25)),
        (date(2027, 2, 1), 5, "working", "next_working_day", "before", date(2027, 1, 25)),
    ],
)
def test_bound_compute_hand_worked__issue10_G2(anchor, n, unit, roll, direction, expected):
    assert bound_compute(anchor, n, unit, calendar="ENG", direction=direction, roll=roll) == expected


def test_a_rolled_bound_says_why__issue10():
    words = bound_deadline(date(2026, 11, 28), 28, "calendar", roll="next_working_day").explain()
    assert "Sat 26 Dec 2026 is a weekend" in words and words.endswith("Tue 29 Dec 2026.")
    words = bound_deadline(date(2027, 1, 31), 1, "months").explain()
    assert "last day of a shorter month" in words and "Sun 28 Feb 2027" in words


def test_bound_refuses_an_unknown_unit_or_roll__issue10():
    with pytest.raises(ValueError, match="unit"):
        bound_compute(date(2027, 1, 1), 1, "fortnights")
    with pytest.raises(ValueError, match="roll"):
        bound_compute(date(2027, 1, 2), 1, "calendar", roll="sideways")


def _dm() -> dict:
    data = json.loads((PACKS / "county" / "pack.json").read_text())
    entry = next(t for t in data["meeting_types"] if t["code"] == "DM")
    return entry if "timing" in entry else legacy_to_rules(entry)


def _case(**placement) -> dict:
    snapshot = blank_snapshot()
    snapshot["placement"].update(placement)
    return snapshot


def test_first_match_for_timing_every_match_for_invitees__issue10():
    mt = {
        "code": "X",
        "timing": [
            {
                "when": {"and": [{"===": [{"var": "placement.is_permanent"}, True]}]},
                "latest": 3,
                "unit": "months",
            },
            {"when": None, "latest": 20, "unit": "working", "rule": "T2"},
        ],
        "invitees": [
            {"when": None, "role": "iro", "requirement": "optional"},
            {"when": PERMANENT, "role": "iro"},
            {"when": None, "role": "social_worker", "requirement": "required"},
        ],
    }
    permanent = policy_evaluate(mt, _case(is_permanent=True))
    assert permanent.timing["latest"] == 3 and permanent.timing["unit"] == "months"
    assert permanent.timing["because"] == "when the placement was ratified as permanent"
    assert [(i["role"], i["requirement"]) for i in permanent.invitees] == [
        ("iro", "required"),
        ("social_worker", "required"),
    ]
    other = policy_evaluate(mt, _case(is_permanent=False))
    assert other.timing["latest"] == 20 and other.timing["rule"] == "T2" and other.timing["because"] == ""
    assert [(i["role"], i["requirement"]) for i in other.invitees] == [
        ("iro", "optional"),
        ("social_worker", "required"),
    ]


def test_dm_converted_keeps_its_eligibility_messages_and_late_gate__D1_D3():
    dm = _dm()
    eligible = _case(type="agency_fostering", is_permanent=True, has_ended=True, ended_unplanned=True)
    decision = policy_evaluate(dm, eligible)
    assert decision.eligible and decision.gates == []
    late = json.loads(json.dumps(eligible))
    late["meeting"]["requested_late"] = True
    gates = policy_evaluate(dm, late).gates
    assert [g["name"] for g in gates] == ["Late request approval"] and gates[0]["need"] == "all"
    assert {a["role"] for a in gates[0]["approvers"]} == {"team_manager", "quality_review_manager"}
    connected = policy_evaluate(dm, _case(type="connected_person", is_permanent=True, has_ended=True))
    assert not connected.eligible
    assert connected.refusals[0]["message"].startswith(
        "A disruption meeting is not held when a placement with"
    )
    not_permanent = policy_evaluate(
        dm, _case(type="agency_fostering", is_permanent=False, has_ended=True, ended_unplanned=True)
    )
    assert not_permanent.refusal_messages == [
        "A placement disruption meeting is held only for placements ratified as permanent."
    ]
    other = policy_evaluate(dm, _case(type="other"))
    assert other.refusal_messages == [
        "A placement disruption meeting is not held for this type of placement (other placement)."
    ]


def test_decision_round_trips_through_json__issue10():
    decision = policy_evaluate(_dm(), _case(type="agency_fostering", is_permanent=True, has_ended=True))
    stored = json.loads(json.dumps(decision.as_json()))
    assert stored["version"] == 1 and PolicyDecision.from_json(stored) == decision
    with pytest.raises(ValueError, match="version 2"):
        PolicyDecision.from_json({**stored, "version": 2})


# --------------------------------------------------------------------------------------------------
# One definition of the rule lists (issue 15): rule_blocks.RULE_LISTS
# --------------------------------------------------------------------------------------------------


def test_a_list_added_to_rule_lists_reaches_the_engine__issue15(monkeypatch):
    """The engine reads the lists from `rule_blocks.RULE_LISTS`, not from the frozen copy
    `rules_legacy.RULE_LIST_NAMES` kept for migration 0008: a list added to the one definition is read."""
    from workflows import rule_blocks
    from workflows.policy_engine import rule_lists
    from workflows.rules_legacy import RULE_LIST_NAMES

    monkeypatch.setitem(
        rule_blocks.RULE_LISTS, "reviews", ("review", rule_blocks.RecurrenceEntry, False, "Every entry.")
    )
    assert "reviews" not in RULE_LIST_NAMES
    lists = rule_lists({"code": "X", "reviews": [{"when": None, "every": 6, "unit": "weeks"}]})
    assert lists["reviews"] == [{"when": None, "every": 6, "unit": "weeks"}]
    assert list(lists) == list(rule_blocks.RULE_LISTS)


# How each list reaches the stored decision when its name is not the decision's field.
DECIDED_AS = {"eligibility": "eligible", "exclusions": "refusals", "chairs": "chair"}


def test_the_engine_and_the_rule_lists_agree__issue15():
    """Each list of RULE_LISTS has the engine's payload (the block's fields bar `when` and `rule`), a
    field of the stored decision, and the first-match lists are the ones RULE_LISTS marks; the frozen
    names of migration 0008 are all still lists."""
    from dataclasses import fields

    from workflows import policy_engine
    from workflows.rule_blocks import RULE_LISTS
    from workflows.rules_legacy import RULE_LIST_NAMES

    assert list(policy_engine.PAYLOADS) == list(RULE_LISTS)
    for name, (_child, block, _first, _help) in RULE_LISTS.items():
        assert set(block.base_blocks) - {"when", "rule"} == set(policy_engine.PAYLOADS[name]), name
    decided = {f.name for f in fields(PolicyDecision)}
    assert {DECIDED_AS.get(name, name) for name in RULE_LISTS} <= decided
    first_match = {"requirement", "timing", "chairs", "not_held", "recurrence"}  # docs/rules-as-data.md
    assert first_match == policy_engine.FIRST_MATCH
    assert set(RULE_LIST_NAMES) <= set(RULE_LISTS)
