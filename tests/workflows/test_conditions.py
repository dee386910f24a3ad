"""Conditions on the facts of a case (issue 10): format, validator, evaluator, words and the CMS block."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PlacementFactory
from workflows.condition_blocks import ConditionBlock, value_from_text
from workflows.condition_words import condition_words
from workflows.conditions import (
    COMPARISONS_FOR_TYPE,
    NO_VALUE,
    ConditionError,
    Group,
    Row,
    condition_matches,
    condition_problems,
    condition_requires,
    normalise_condition,
    referenced_windows,
    tree_to_condition,
)
from workflows.fact_snapshot import blank_snapshot, fact_snapshot
from workflows.facts import FACTS, OPEN_VOCABULARIES, VOCABULARIES, FactType, fact_path

ORDERED_CHOICES = (
    "is, is not, is less than (or before), is at most (or on or before), is more than (or after), "
    "is at least (or on or after), is not recorded or is recorded."
)


def var(key: str) -> dict:
    return {"var": key}


LASTED_3_YEARS_UNPLANNED = {
    "and": [
        {">=": [var("placement.length_years"), 3]},
        {"===": [var("placement.ended_unplanned"), True]},
    ]
}


def snapshot_with(**values) -> dict:
    """A blank snapshot with some facts set: `snapshot_with(**{"placement.type": "agency_fostering"})`."""
    snapshot = blank_snapshot([12])
    for path, value in values.items():
        node = snapshot
        *heads, last = path.split(".")
        for head in heads:
            node = node.setdefault(head, {})
        node[last] = value
    return snapshot


# --------------------------------------------------------------------------------------------------
# Evaluation, worked by hand
# --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_issue_example_on_real_placements():
    # 1 Feb 2022 to 31 Jan 2025 is 2 years 11 months; to 1 Feb 2025 it is 3 years.
    short = PlacementFactory(start_date=date(2022, 2, 1), end_date=date(2025, 1, 31), ended_unplanned=True)
    long = PlacementFactory(start_date=date(2022, 2, 1), end_date=date(2025, 2, 1), ended_unplanned=True)
    planned = PlacementFactory(start_date=date(2022, 2, 1), end_date=date(2025, 2, 1), ended_unplanned=False)
    anchor = date(2025, 3, 3)

    def matches(p) -> bool:
        return condition_matches(
            LASTED_3_YEARS_UNPLANNED, fact_snapshot(child=p.child, placement=p, anchor_on=anchor)
        )

    assert (matches(short), matches(long), matches(planned)) == (False, True, False)
    assert condition_words(LASTED_3_YEARS_UNPLANNED) == (
        "when the placement lasted at least 3 years and the placement ended unplanned"
    )


D1_ELIGIBLE = {
    "and": [
        {"===": [var("placement.is_permanent"), True]},
        {"===": [var("placement.ended_unplanned"), True]},
        {"===": [var("placement.is_connected_person"), False]},
    ]
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("traits", "permanent", "unplanned", "expected"),
    [
        ({}, True, True, True),
        ({"agency_fostering": True}, True, True, True),
        ({"agency_residential": True}, True, True, True),
        ({"connected_person": True}, True, True, False),
        ({}, False, True, False),
        ({}, True, False, False),
    ],
)
def test_disruption_meeting_eligibility_as_a_condition__D1(traits, permanent, unplanned, expected):
    placement = PlacementFactory(
        start_date=date(2023, 1, 1),
        end_date=date(2025, 6, 30),
        ended_unplanned=unplanned,
        is_permanent=permanent,
        ratified_permanent_on=date(2023, 6, 1) if permanent else None,
        **traits,
    )
    snapshot = fact_snapshot(child=placement.child, placement=placement, anchor_on=date(2025, 7, 1))
    assert condition_matches(D1_ELIGIBLE, snapshot) is expected
    assert condition_words(D1_ELIGIBLE) == (
        "when the placement was ratified as permanent, the placement ended unplanned and the placement is "
        "not with connected person carers"
    )


@pytest.mark.django_db
def test_agency_notice_period_as_a_condition__B9():
    condition = {
        "and": [{"===": [var("placement.is_agency"), True]}, {"<": [var("placement.notice_period_days"), 28]}]
    }
    short = PlacementFactory(agency_fostering=True, notice_period_days=14)
    enough = PlacementFactory(agency_fostering=True, notice_period_days=28)
    anchor = date(2026, 3, 2)
    results = [
        condition_matches(condition, fact_snapshot(child=p.child, placement=p, anchor_on=anchor))
        for p in (short, enough)
    ]
    assert results == [True, False]
    assert condition_words(condition) == (
        "when the placement is with an agency and the contract's notice period is less than 28 days"
    )


@pytest.mark.parametrize(
    ("condition", "facts", "expected"),
    [
        ({"==": [var("placement.type"), "agency_fostering"]}, {"placement.type": "agency_fostering"}, True),
        ({"==": [var("placement.type"), "agency_fostering"]}, {"placement.type": None}, False),
        ({"!=": [var("placement.type"), "agency_fostering"]}, {"placement.type": "connected_person"}, True),
        ({"!=": [var("placement.purpose"), "permanent"]}, {"placement.purpose": None}, True),
        (
            {"in": [var("placement.purpose"), ["long_term", "permanent"]]},
            {"placement.purpose": "permanent"},
            True,
        ),
        (
            {"in": [var("placement.purpose"), ["long_term", "permanent"]]},
            {"placement.purpose": "bridging"},
            False,
        ),
        ({"in": [var("placement.purpose"), ["long_term", "permanent"]]}, {"placement.purpose": None}, False),
        ({"<": [var("child.age_years"), 12]}, {"child.age_years": 11}, True),
        ({"<": [var("child.age_years"), 12]}, {"child.age_years": 12}, False),
        ({"<=": [var("child.age_years"), 12]}, {"child.age_years": 12}, True),
        ({">": [var("child.age_years"), 12]}, {"child.age_years": None}, False),
        ({"<": [var("child.age_years"), 12]}, {"child.age_years": None}, False),
        ({">=": [var("placement.length_months"), 6]}, {"placement.length_months": 6}, True),
        ({"==": [var("placement.length_months"), 6]}, {"placement.length_months": 7}, False),
        ({"<": [var("placement.start_date"), "2024-04-01"]}, {"placement.start_date": "2023-12-31"}, True),
        ({"<": [var("placement.start_date"), "2024-04-01"]}, {"placement.start_date": "2024-04-01"}, False),
        ({"<=": [var("placement.start_date"), "2024-04-01"]}, {"placement.start_date": "2024-04-01"}, True),
        ({">": [var("placement.end_date"), "2024-04-01"]}, {"placement.end_date": "2024-10-01"}, True),
        ({">=": [var("placement.end_date"), "2024-04-01"]}, {"placement.end_date": None}, False),
        ({"in": ["complex", var("request.flags")]}, {"request.flags": ["urgent", "complex"]}, True),
        ({"in": ["complex", var("request.flags")]}, {"request.flags": ["urgent"]}, False),
        ({"!": [var("request.flags")]}, {"request.flags": []}, True),
        ({"!!": [var("request.flags")]}, {"request.flags": ["urgent"]}, True),
        ({"===": [var("placement.ended_unplanned"), False]}, {"placement.ended_unplanned": None}, False),
        ({"===": [var("placement.ended_unplanned"), False]}, {"placement.ended_unplanned": False}, True),
        ({"===": [var("placement.ended_unplanned"), None]}, {"placement.ended_unplanned": None}, True),
        ({"===": [var("placement.ended_unplanned"), None]}, {"placement.ended_unplanned": False}, False),
        ({"!==": [var("child.age_years"), None]}, {"child.age_years": 0}, True),
        ({"==": [var("request.raised_by_kind"), "teacher"]}, {"request.raised_by_kind": "teacher"}, True),
        (
            {">=": [var("history.carer_unplanned_endings.last_12_months"), 2]},
            {"history.carer_unplanned_endings.last_12_months": 2},
            True,
        ),
        (
            {"or": [{"===": [var("placement.is_agency"), True]}, {">=": [var("child.age_years"), 16]}]},
            {"placement.is_agency": False, "child.age_years": 16},
            True,
        ),
        (
            {"and": [{"===": [var("placement.is_agency"), True]}, {">=": [var("child.age_years"), 16]}]},
            {"placement.is_agency": False, "child.age_years": 16},
            False,
        ),
        (None, {}, True),
        ({}, {}, True),
    ],
)
def test_comparisons_worked_by_hand(condition, facts, expected):
    assert condition_matches(condition, snapshot_with(**facts)) is expected


def test_an_invalid_condition_is_never_evaluated():
    with pytest.raises(ConditionError) as refused:
        condition_matches({"log": "hello"}, blank_snapshot())
    assert refused.value.problems == [
        "The condition uses “log”, which is not one of the comparisons the portal offers."
    ]


def test_a_snapshot_missing_a_window_the_condition_names_is_an_error():
    condition = {">=": [var("history.child_moves.last_24_months"), 2]}
    assert referenced_windows(condition) == {("history.child_moves", 24)}
    with pytest.raises(KeyError, match="history.child_moves.last_24_months"):
        condition_matches(condition, blank_snapshot([12]))
    assert condition_matches(condition, snapshot_with(**{"history.child_moves.last_24_months": 3})) is True


# --------------------------------------------------------------------------------------------------
# Validation: plain sentences
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "sentence"),
    [
        ({"==": [var("placement.colour"), "red"]}, "There is no fact called “placement.colour”."),
        (
            {"<": [var("placement.type"), "agency_fostering"]},
            "“Placement type” cannot use “is less than (or before)”: choose is, is not, is one of, is not "
            "recorded or is recorded.",
        ),
        (
            {"in": ["complex", var("child.age_years")]},
            "“Child's age” cannot use “includes”: choose " + ORDERED_CHOICES,
        ),
        ({">=": [var("child.age_years"), "twelve"]}, "“Child's age” needs a number, not “twelve”."),
        ({">=": [var("child.age_years"), True]}, "“Child's age” needs a number, not “True”."),
        ({">=": [var("child.age_years"), -1]}, "“Child's age” cannot be less than 0."),
        (
            {">=": [var("placement.length_years"), 2.5]},
            "“Placement length in years” needs a whole number of years, not “2.5”.",
        ),
        (
            {"<": [var("placement.start_date"), "1/4/2024"]},
            "“Placement start date” needs a date written like 2024-04-01, not “1/4/2024”.",
        ),
        (
            {"<": [var("placement.start_date"), "2024-02-30"]},
            "“Placement start date” needs a date written like 2024-04-01, not “2024-02-30”.",
        ),
        (
            {"==": [var("placement.purpose"), "forever"]},
            "“Placement purpose” has no option “forever”: choose from Long-term, Permanent, Short-term, "
            "Bridging, Emergency, Respite or short breaks.",
        ),
        ({"in": [var("placement.purpose"), []]}, "Give a value for “Placement purpose”."),
        (
            {"in": [var("placement.purpose"), "permanent"]},
            "“Placement purpose” is one of needs a list of options, not “permanent”.",
        ),
        (
            {"in": ["vip", var("request.flags")]},
            "“Request flags” has no option “vip”: choose from Complex, Urgent, Safeguarding.",
        ),
        (
            {"===": [var("placement.is_agency"), "yes"]},
            "“Agency placement” can only be compared with yes or no, not “yes”.",
        ),
        (
            {"===": [var("child.age_years"), True]},
            "“Child's age” cannot use “is yes”: choose " + ORDERED_CHOICES,
        ),
        (
            {"===": [var("child.age_years"), 5]},
            "“Child's age” needs “is” rather than a strict comparison (===) with a value.",
        ),
        (
            {">=": [var("history.child_moves"), 2]},
            "“Child's moves” needs the number of months to look back over.",
        ),
        (
            {">=": [var("history.child_moves.last_0_months"), 2]},
            "The months to look back over for “Child's moves” must be between 1 and 120.",
        ),
        ({"and": []}, "An “all of” or “any of” group must hold at least one row."),
        ({"log": [1]}, "The condition uses “log”, which is not one of the comparisons the portal offers."),
        ({"==": [1, 1]}, "A row must start with a fact of the case; “1” is not one."),
        (
            "placement.type",
            "Each part of a condition must be a group (all of, any of) or one row comparing a fact with a "
            "value; “placement.type” is neither.",
        ),
        (
            {"and": [{"or": [{"and": [{"===": [var("placement.is_agency"), True]}]}]}]},
            "Groups can hold rows and groups of rows, but no deeper, so the CMS can show them.",
        ),
        (
            {"in": ["Not a code!", var("request.triggers")]},
            "“Request triggers” needs a short code of small letters, digits and underscores, not "
            "“Not a code!”.",
        ),
    ],
)
def test_a_wrong_condition_gets_a_plain_sentence(condition, sentence):
    assert condition_problems(condition) == [sentence]


def test_a_meeting_types_own_triggers_are_checked_when_given():
    vocabularies = {
        **VOCABULARIES,
        "request_trigger": [("allegation", "An allegation or complaint has been made")],
    }
    assert condition_problems({"in": ["allegation", var("request.triggers")]}, vocabularies) == []
    assert condition_problems({"in": ["absconding", var("request.triggers")]}, vocabularies) == [
        "“Request triggers” has no option “absconding”: choose from An allegation or complaint has been made."
    ]
    assert condition_words({"in": ["allegation", var("request.triggers")]}, vocabularies) == (
        "when the request names the trigger “an allegation or complaint has been made”"
    )


def test_every_problem_in_a_condition_is_reported():
    condition = {"and": [{"==": [var("placement.colour"), 1]}, {">=": [var("child.age_years"), "x"]}]}
    assert condition_problems(condition) == [
        "There is no fact called “placement.colour”.",
        "“Child's age” needs a number, not “x”.",
    ]


# --------------------------------------------------------------------------------------------------
# Words and round trips
# --------------------------------------------------------------------------------------------------

WORDED = [
    (
        {
            "and": [
                {"==": [var("placement.type"), "agency_fostering"]},
                {
                    "or": [
                        {"in": ["complex", var("request.flags")]},
                        {">=": [var("history.child_moves.last_12_months"), 3]},
                    ]
                },
            ]
        },
        "when the placement type is agency fostering (IFA) and either the request is marked complex or the "
        "number of times the child moved placement in the last 12 months is at least 3",
    ),
    (
        {
            "or": [
                {
                    "and": [
                        {"===": [var("placement.is_permanent"), True]},
                        {">=": [var("placement.length_months"), 1]},
                    ]
                },
                {"<": [var("placement.ratified_permanent_on"), "2024-04-01"]},
            ]
        },
        "when both the placement was ratified as permanent and the placement lasted at least 1 month or the "
        "placement was ratified as permanent before 1 April 2024",
    ),
    (
        {"and": [{"in": [var("request.raised_by_kind"), ["teacher", "foster_carer"]]}]},
        "when the concern was raised by a teacher or other education professional or a foster carer",
    ),
    (
        {"and": [{"!=": [var("request.raised_by_kind"), "child"]}]},
        "when the concern was raised by someone other than the child",
    ),
    ({"and": [{"===": [var("placement.purpose"), None]}]}, "when “Placement purpose” is not recorded"),
    ({"and": [{"!!": [var("request.flags")]}]}, "when “Request flags” is recorded"),
    (
        {"and": [{"===": [var("placement.ended_unplanned"), False]}]},
        "when the placement ended in a planned way",
    ),
    (
        {"and": [{"==": [var("history.carer_unplanned_endings.last_1_months"), 0]}]},
        "when the number of placements with the carer household that ended unplanned in the last month is 0",
    ),
    (
        {"and": [{"in": [var("placement.type_code"), ["U1", "U4"]]}]},
        "when the placement's SSDA903 code is U1: Foster placement with relative or friend: long-term "
        "fostering or U4: Placement with other foster carer: long-term fostering",
    ),
    (
        {"and": [{"==": [var("placement.end_date"), "2025-12-25"]}]},
        "when the placement ended on 25 December 2025",
    ),
    (
        {"and": [{"!=": [var("request.requester_role"), "team_manager"]}]},
        "when the requester's role is not team manager",
    ),
    ({"and": [{"==": [var("meeting.stage"), "held"]}]}, "when the meeting's stage is held"),
]


@pytest.mark.parametrize(("condition", "words"), WORDED)
def test_a_condition_is_said_back_in_words_and_round_trips(condition, words):
    assert condition_problems(condition) == []
    assert condition_words(condition) == words
    assert normalise_condition(condition) == condition
    block = ConditionBlock()
    assert block.get_prep_value(block.to_python(condition)) == condition


def test_no_condition_means_always():
    assert condition_words(None) == "always"
    assert normalise_condition({}) is None
    block = ConditionBlock()
    assert block.get_prep_value(block.to_python(None)) is None


def test_loose_equality_with_nothing_is_read_as_not_recorded():
    # `false == null` is true in the Python library, so the stored form is always the strict one.
    assert normalise_condition({"==": [var("placement.ended_unplanned"), None]}) == {
        "and": [{"===": [var("placement.ended_unplanned"), None]}]
    }
    assert condition_matches({"==": [var("placement.ended_unplanned"), None]}, blank_snapshot()) is True
    snapshot = snapshot_with(**{"placement.ended_unplanned": False})
    assert condition_matches({"==": [var("placement.ended_unplanned"), None]}, snapshot) is False


def test_a_bare_row_is_read_as_a_group_of_one():
    row = {"===": [var("placement.is_agency"), True]}
    assert normalise_condition(row) == {"and": [row]}
    assert condition_words(row) == "when the placement is with an agency"


# --------------------------------------------------------------------------------------------------
# The CMS block
# --------------------------------------------------------------------------------------------------


def _block_value(items: list[dict], match: str = "all"):
    return ConditionBlock().to_python({"match": match, "items": items})


def _row(fact: str, comparison: str, value: str = "", months=None) -> dict:
    return {
        "type": "row",
        "value": {"fact": fact, "comparison": comparison, "value": value, "months": months},
    }


def test_block_rows_typed_in_words_become_the_stored_format():
    value = _block_value(
        [
            _row("placement.type", "in", "in-house fostering; Agency fostering (IFA)"),
            _row("placement.start_date", "ge", "1/4/2024"),
            _row("child.age_years", "lt", " 16 "),
            _row("placement.is_agency", "true", "ignored", months=3),
            {
                "type": "group",
                "value": {
                    "match": "any",
                    "rows": [
                        {
                            "fact": "history.child_unplanned_endings",
                            "comparison": "ge",
                            "value": "2",
                            "months": 12,
                        },
                        {"fact": "request.flags", "comparison": "contains", "value": "urgent"},
                    ],
                },
            },
        ]
    )
    block = ConditionBlock()
    assert block.clean(value) is not None
    assert block.get_prep_value(value) == {
        "and": [
            {"in": [var("placement.type"), ["in_house_fostering", "agency_fostering"]]},
            {">=": [var("placement.start_date"), "2024-04-01"]},
            {"<": [var("child.age_years"), 16]},
            {"===": [var("placement.is_agency"), True]},
            {
                "or": [
                    {">=": [var("history.child_unplanned_endings.last_12_months"), 2]},
                    {"in": ["urgent", var("request.flags")]},
                ]
            },
        ]
    }


@pytest.mark.parametrize(
    ("row", "sentence"),
    [
        (_row("child.age_years", "ge", "twelve"), "“Child's age” needs a number, not “twelve”."),
        (_row("child.age_years", "ge", ""), "Give a value for “Child's age”."),
        (
            _row("placement.type", "lt", "agency fostering"),
            "“Placement type” cannot use “is less than (or before)”",
        ),
        (_row("placement.purpose", "eq", "forever"), "“Placement purpose” has no option “forever”"),
        (
            _row("history.child_moves", "ge", "2"),
            "“Child's moves” needs the number of months to look back over.",
        ),
        (
            _row("placement.end_date", "lt", "31/2/2025"),
            "“Placement end date” needs a date written like 2024-04-01",
        ),
    ],
)
def test_an_invalid_block_row_gives_the_sentence(row, sentence):
    block = ConditionBlock()
    with pytest.raises(ValidationError) as refused:
        block.clean(_block_value([row]))
    messages = [e.message for e in refused.value.non_block_errors.as_data()]
    assert len(messages) == 1 and messages[0].startswith(sentence)


def test_an_empty_block_is_always():
    block = ConditionBlock()
    value = block.clean(_block_value([]))
    assert block.get_prep_value(value) is None


def test_block_inside_a_rule_list_stores_json_logic():
    from wagtail import blocks

    rules = blocks.StreamBlock(
        [("timing", blocks.StructBlock([("when", ConditionBlock()), ("days", blocks.IntegerBlock())]))]
    )
    stored = [{"type": "timing", "value": {"when": LASTED_3_YEARS_UNPLANNED, "days": 42}, "id": "a"}]
    value = rules.to_python(stored)
    assert rules.get_prep_value(value)[0]["value"] == {"when": LASTED_3_YEARS_UNPLANNED, "days": 42}


def test_value_from_text_reads_labels_codes_and_lists():
    assert value_from_text(FACTS["placement.type_code"], "in", "U1, U4") == ["U1", "U4"]
    assert value_from_text(FACTS["child.legal_status"], "eq", "c2") == "C2"
    assert value_from_text(FACTS["child.age_years"], "true", "7") is None


# --------------------------------------------------------------------------------------------------
# Hypothesis: any sound condition round-trips and evaluates as documented; any JSON gets sentences
# --------------------------------------------------------------------------------------------------


def _codes(fact) -> st.SearchStrategy:
    codes = [code for code, _label in VOCABULARIES[fact.vocabulary]]
    return st.sampled_from(codes) if codes else st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)


def _value(fact, op: str) -> st.SearchStrategy:
    if op in NO_VALUE:
        return st.none()
    if fact.type in {FactType.NUMBER, FactType.DURATION}:
        return st.integers(0, 400)
    if fact.type == FactType.DATE:
        return st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(date.isoformat)
    if op == "in":
        return st.lists(_codes(fact), min_size=1, max_size=4)
    return _codes(fact)


def _row_for(fact) -> st.SearchStrategy:
    months = st.integers(1, 120) if fact.per_months else st.none()
    ops = st.sampled_from(COMPARISONS_FOR_TYPE[fact.type])
    return st.tuples(months, ops).flatmap(
        lambda mo: _value(fact, mo[1]).map(lambda v: Row(fact, mo[0], mo[1], v))
    )


def _can_hold_a_value(fact) -> bool:
    """A fact whose list is closed and empty by default (the council roles, until a pack defines some)
    has no value to compare with: the validator refuses any, which the vocabulary tests cover."""
    vocabulary = fact.vocabulary
    return not vocabulary or bool(VOCABULARIES[vocabulary]) or vocabulary in OPEN_VOCABULARIES


rows = st.sampled_from([f for f in FACTS.values() if _can_hold_a_value(f)]).flatmap(_row_for)
inner_groups = st.builds(Group, st.sampled_from(["all", "any"]), st.lists(rows, min_size=1, max_size=3))
trees = st.builds(
    Group, st.sampled_from(["all", "any"]), st.lists(rows | inner_groups, min_size=1, max_size=4)
)


def _fact_value(fact) -> st.SearchStrategy:
    if fact.type == FactType.BOOL:
        return st.none() | st.booleans()
    if fact.type in {FactType.NUMBER, FactType.DURATION}:
        return st.none() | st.integers(0, 400)
    if fact.type == FactType.DATE:
        return st.none() | st.dates(date(1990, 1, 1), date(2040, 12, 31)).map(date.isoformat)
    if fact.type == FactType.FLAGS:
        return st.lists(_codes(fact), max_size=3)
    return st.none() | _codes(fact)


def _expected(node, snapshot: dict) -> bool:
    """The documented meaning of each comparison, written independently of the library."""
    if isinstance(node, Group):
        results = [_expected(item, snapshot) for item in node.items]
        return all(results) if node.match == "all" else any(results)
    value = snapshot
    for part in node.path.split("."):
        value = value[part]
    op, wanted = node.op, node.value
    if op == "empty":
        return not value if node.fact.type == FactType.FLAGS else value is None
    if op == "not_empty":
        return bool(value) if node.fact.type == FactType.FLAGS else value is not None
    if op in {"true", "false"}:
        return value is (op == "true")
    if op == "contains":
        return wanted in value
    if op == "ne":
        return value != wanted
    if value is None:
        return False
    return {
        "eq": lambda: value == wanted,
        "lt": lambda: value < wanted,
        "le": lambda: value <= wanted,
        "gt": lambda: value > wanted,
        "ge": lambda: value >= wanted,
        "in": lambda: value in wanted,
    }[op]()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees, data=st.data())
def test_any_sound_condition_validates_round_trips_and_evaluates_as_documented(tree, data):
    condition = tree_to_condition(tree)
    assert condition_problems(condition) == []
    assert normalise_condition(condition) == condition
    assert condition_words(condition).startswith("when ")
    block = ConditionBlock()
    assert block.get_prep_value(block.clean(block.to_python(condition))) == condition
    windows = sorted({months for _key, months in referenced_windows(condition)})
    snapshot = blank_snapshot(windows)
    for fact in FACTS.values():
        group, name = fact.key.split(".", 1)
        if fact.per_months:
            for months in windows:
                snapshot[group][name][f"last_{months}_months"] = data.draw(_fact_value(fact))
        else:
            snapshot[group][name] = data.draw(_fact_value(fact))
    assert condition_matches(condition, snapshot) is _expected(tree, snapshot)


OPERATOR_KEYS = st.sampled_from(
    ["and", "or", "==", "!=", "<", "<=", ">", ">=", "in", "===", "!", "!!", "var", "log"]
)
FACT_PATHS = st.sampled_from(
    [*FACTS, "history.child_moves.last_12_months", "history.child_moves.last_999_months"]
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | FACT_PATHS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(OPERATOR_KEYS | st.text(max_size=5), children, max_size=2)
        | st.builds(lambda path: {"var": path}, FACT_PATHS | st.text(max_size=10))
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_random_json_never_crashes_the_validator_and_gets_sentences(condition):
    problems = condition_problems(condition)
    assert isinstance(problems, list)
    assert all(isinstance(p, str) and p.endswith(".") for p in problems)
    assert isinstance(condition_words(condition), str)
    block = ConditionBlock()
    value = block.to_python(condition)
    with contextlib.suppress(ValidationError):
        block.clean(value)
    if problems:
        with pytest.raises(ConditionError):
            condition_matches(condition, blank_snapshot())


def test_every_fact_path_is_in_the_catalogue():
    for fact in FACTS.values():
        assert fact_path(fact.key, 12 if fact.per_months else None).startswith(fact.key)


def test_todays_category_filters_become_conditions_with_the_same_meaning__P4(county):
    """Every `categories` list of the shipped packs converts to a condition that picks the same types."""
    from portal.choices import PlacementCategory
    from workflows.conditions import condition_for_categories

    from .factories import legacy_pack_data

    checked = 0
    for meeting_type in legacy_pack_data("county")["meeting_types"]:
        for field in ("chair_rules", "invitees", "required_reports", "circulation", "outcome_questions"):
            for entry in meeting_type.get(field, []):
                categories = list(entry.get("categories") or [])
                condition = condition_for_categories(categories)
                assert condition_problems(condition) == []
                for category in PlacementCategory.values:
                    snapshot = snapshot_with(**{"placement.type": category})
                    applies = not categories or category in categories
                    assert condition_matches(condition, snapshot) is applies
                checked += 1
    assert checked > 10
    psm = next(t for t in legacy_pack_data("county")["meeting_types"] if t["code"] == "PSM")
    agency_chair = next(e for e in psm["chair_rules"] if "agency_fostering" in e["categories"])
    assert condition_words(condition_for_categories(agency_chair["categories"])).startswith(
        "when the placement type is agency fostering (IFA)"
    )


def _posted(prefix: str, fields: dict) -> dict:
    return {f"{prefix}-{key}": value for key, value in fields.items()}


def test_what_the_cms_form_posts_becomes_the_stored_format():
    """The admin's form data (StreamBlock and ListBlock field names) through to JsonLogic and back."""
    block = ConditionBlock()
    data = {
        "c-match": "any",
        "c-items-count": "2",
        **_posted("c-items-0", {"type": "row", "deleted": "", "order": "0", "id": "a"}),
        **_posted(
            "c-items-0-value", {"fact": "child.age_years", "comparison": "ge", "value": "16", "months": ""}
        ),
        **_posted("c-items-1", {"type": "group", "deleted": "", "order": "1", "id": "b"}),
        **_posted("c-items-1-value", {"match": "all", "rows-count": "1"}),
        **_posted("c-items-1-value-rows-0", {"deleted": "", "order": "0", "id": "c"}),
        **_posted(
            "c-items-1-value-rows-0-value",
            {"fact": "history.child_moves", "comparison": "ge", "value": "3", "months": "12"},
        ),
    }
    value = block.clean(block.value_from_datadict(data, {}, "c"))
    stored = {
        "or": [
            {">=": [var("child.age_years"), 16]},
            {"and": [{">=": [var("history.child_moves.last_12_months"), 3]}]},
        ]
    }
    assert block.get_prep_value(value) == stored
    assert condition_words(stored) == (
        "when the child's age is at least 16 or the number of times the child moved placement in the last "
        "12 months is at least 3"
    )


# --------------------------------------------------------------------------------------------------
# What a condition requires (issue 15): read from its tree, never from its text
# --------------------------------------------------------------------------------------------------

LATE_KEY = "meeting.requested_late"
LATE_YES = {"===": [var(LATE_KEY), True]}
LATE_NO = {"===": [var(LATE_KEY), False]}
AGENCY = {"in": [var("placement.type"), ["agency_fostering", "agency_residential"]]}


@pytest.mark.parametrize(
    ("condition", "late", "on_time"),
    [
        (None, False, False),  # always: requires nothing
        ({"and": [LATE_YES]}, True, False),
        (LATE_YES, True, False),  # a bare row
        ({"and": [AGENCY, LATE_YES]}, True, False),  # all of: one part requiring it is enough
        ({"or": [LATE_YES, AGENCY]}, False, False),  # any of: an agency request in time also matches
        ({"or": [LATE_YES, {"and": [LATE_YES, AGENCY]}]}, True, False),  # every part requires it
        ({"and": [LATE_NO]}, False, True),  # "requested late is no": only requests made in time
        ({"or": [LATE_NO, AGENCY]}, False, False),
        ({"and": [{"===": [var(LATE_KEY), None]}]}, False, False),  # "not recorded" is neither
        ({"and": [{"===": [var("placement.is_permanent"), True]}]}, False, False),  # another fact
        ({"and": [{"===": [var(LATE_KEY), "yes"]}]}, False, False),  # does not validate: requires nothing
    ],
)
def test_whether_a_condition_requires_a_late_request__issue15_D3(condition, late, on_time):
    """A gate "only for late requests" is one whose condition cannot hold unless the meeting was
    requested late: an "any of" group mentioning lateness does not make it one, and "requested late is
    no" makes the opposite."""
    assert condition_requires(condition, LATE_KEY, True) is late
    assert condition_requires(condition, LATE_KEY, False) is on_time


def test_a_choice_fact_is_required_by_is_or_a_one_option_list__issue15():
    """ "Placement type is in-house fostering" and "is one of [in-house fostering]" require it; "is one of"
    two types requires neither."""
    in_house = "in_house_fostering"
    assert condition_requires(
        {"and": [{"==": [var("placement.type"), in_house]}]}, "placement.type", in_house
    )
    assert condition_requires(
        {"and": [{"in": [var("placement.type"), [in_house]]}]}, "placement.type", in_house
    )
    assert not condition_requires({"and": [AGENCY]}, "placement.type", "agency_fostering")
