"""The fact catalogue: named, typed facts about a case that a policy's conditions can test (issue 10).

A fact is computed from the case record, never typed into a meeting by hand (except the request flags a
policy defines). Each has a key (`placement.length_years`), a short label for the CMS's drop-down, a type
that decides which comparisons and values make sense, help text, and the words used to say a condition
back in plain English ("the placement lasted at least 3 years").

New facts are added here, in code, rarely; combinations of facts are conditions, which are data
(`workflows.conditions`). The values are computed by `workflows.fact_snapshot.fact_snapshot`.

Facts marked `recorded=False` have no field in the case record yet: the snapshot gives None (unknown)
until the lead adds the field named in their help text. Unknown facts never satisfy a comparison, except
"is not recorded" (see docs/rules-as-data.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from portal.choices import (
    LegalStatus,
    PlacementCategory,
    PlacementTypeCode,
    ProviderCode,
    ReasonForChange,
    Role,
)

from .choices import MeetingState


class FactType(StrEnum):
    """What kind of value a fact holds; it decides the comparisons offered and the values accepted."""

    BOOL = "bool"
    NUMBER = "number"
    DATE = "date"
    DURATION = "duration"
    CHOICE = "choice"
    PERSON_KIND = "person_kind"
    FLAGS = "flags"


FACT_TYPE_LABELS = {
    FactType.BOOL: "yes or no",
    FactType.NUMBER: "a whole number",
    FactType.DATE: "a date",
    FactType.DURATION: "a length of time",
    FactType.CHOICE: "one option from a list",
    FactType.PERSON_KIND: "a kind of person",
    FactType.FLAGS: "a list of flags",
}

DURATION_UNITS = ("days", "months", "years")


@dataclass(frozen=True)
class Fact:
    """One fact about a case.

    `words` is the phrase a sentence starts from: a noun phrase ("the placement type"), or for dates and
    durations a verb phrase ("the placement started", "the placement lasted"), or for yes/no facts the
    sentence when true ("the placement ended unplanned"), with `false_words` for when false.
    """

    key: str
    label: str
    type: FactType
    help: str
    words: str
    false_words: str = ""
    unit: str = ""
    vocabulary: str = ""
    per_months: bool = False
    recorded: bool = True

    @property
    def group(self) -> str:
        return self.key.split(".", 1)[0]


# --------------------------------------------------------------------------------------------------
# Vocabularies: the lists a choice, person-kind or flags fact takes its values from.
# A pack will edit its own copies next round (issue 10, "the council's own vocabulary"); until then
# these are the defaults, and callers may pass a pack's lists to the validator instead.
# --------------------------------------------------------------------------------------------------

PLACEMENT_PURPOSES = [
    ("long_term", "Long-term"),
    ("permanent", "Permanent"),
    ("short_term", "Short-term"),
    ("bridging", "Bridging"),
    ("emergency", "Emergency"),
    ("respite", "Respite or short breaks"),
]

LEGAL_ORDERS = [
    ("special_guardianship", "Special guardianship order"),
    ("adoption", "Adoption order"),
    ("child_arrangements", "Child arrangements order"),
    ("placement_order", "Placement order"),
    ("care_order", "Care order"),
]

PERSON_KINDS = [
    ("child", "The child"),
    ("parent", "A parent"),
    ("foster_carer", "A foster carer"),
    ("connected_carer", "A connected person (family or friends) carer"),
    ("residential_worker", "A residential worker or home manager"),
    ("social_worker", "The child's social worker"),
    ("supervising_social_worker", "A supervising social worker"),
    ("iro", "An independent reviewing officer"),
    ("team_manager", "A team manager"),
    ("teacher", "A teacher or other education professional"),
    ("health_professional", "A health professional"),
    ("therapist", "A therapist"),
    ("police", "The police"),
    ("provider", "An agency or children's home provider"),
    ("other_professional", "Another professional"),
    ("other", "Someone else"),
]

REQUEST_FLAGS = [
    ("complex", "Complex"),
    ("urgent", "Urgent"),
    ("safeguarding", "Safeguarding"),
]

VOCABULARIES: dict[str, list[tuple[str, str]]] = {
    "placement_type": [(str(v), str(label)) for v, label in PlacementCategory.choices],
    "placement_code": [(str(v), f"{v}: {label}") for v, label in PlacementTypeCode.choices],
    "provider_code": [(str(v), f"{v}: {label}") for v, label in ProviderCode.choices],
    "placement_purpose": PLACEMENT_PURPOSES,
    "legal_order": LEGAL_ORDERS,
    "legal_status": [(str(v), f"{v}: {label}") for v, label in LegalStatus.choices],
    "reason_for_change": [(str(v), str(label)) for v, label in ReasonForChange.choices],
    "role": [(str(v), str(label)) for v, label in Role.choices],
    "person_kind": PERSON_KINDS,
    "meeting_stage": [(str(v), str(label)) for v, label in MeetingState.choices],
    "request_flag": REQUEST_FLAGS,
    # The pack's own roles (issue 10); none by default.
    "council_role": [],
    # The meeting type's own triggers (its `triggers` list); open until a meeting type is given.
    "request_trigger": [],
}

# Vocabularies whose values depend on a meeting type: with no list given, any short code is accepted.
OPEN_VOCABULARIES = frozenset({"request_trigger"})


# --------------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------------

_FACTS = [
    # Placement
    Fact(
        "placement.type",
        "Placement type",
        FactType.CHOICE,
        "The procedures' placement type, derived from the placement's SSDA903 placement type (PLACE) and "
        "provider (PLACE_PROVIDER) codes.",
        "the placement type",
        vocabulary="placement_type",
    ),
    Fact(
        "placement.type_code",
        "Placement type code (SSDA903)",
        FactType.CHOICE,
        "The placement's DfE SSDA903 placement type code, e.g. U4 for long-term fostering with other "
        "foster carers.",
        "the placement's SSDA903 code",
        vocabulary="placement_code",
    ),
    Fact(
        "placement.provider_code",
        "Placement provider code (SSDA903)",
        FactType.CHOICE,
        "Who provides the placement, as the SSDA903 PLACE_PROVIDER code (PR1 is the council's own).",
        "the placement's provider code",
        vocabulary="provider_code",
    ),
    Fact(
        "placement.purpose",
        "Placement purpose",
        FactType.CHOICE,
        "Long-term, permanent, short-term, bridging, emergency or respite. The case record has no purpose "
        "field yet: it is 'permanent' when the placement was ratified as permanent, 'long-term' for the "
        "SSDA903 long-term fostering codes (U1, U4), 'respite' when the child is accommodated under "
        "short breaks (V3, V4), and otherwise not recorded.",
        "the placement's purpose",
        vocabulary="placement_purpose",
    ),
    Fact(
        "placement.is_permanent",
        "Ratified as permanent",
        FactType.BOOL,
        "Whether the placement was ratified as permanent.",
        "the placement was ratified as permanent",
        false_words="the placement was not ratified as permanent",
    ),
    Fact(
        "placement.ratified_permanent_on",
        "Date ratified as permanent",
        FactType.DATE,
        "The date the placement was ratified as permanent; not recorded when it was not.",
        "the placement was ratified as permanent",
    ),
    Fact(
        "placement.start_date",
        "Placement start date",
        FactType.DATE,
        "The day the placement started.",
        "the placement started",
    ),
    Fact(
        "placement.end_date",
        "Placement end date",
        FactType.DATE,
        "The day the placement ended; not recorded while it goes on.",
        "the placement ended",
    ),
    Fact(
        "placement.has_ended",
        "Placement has ended",
        FactType.BOOL,
        "Whether the placement had ended by the anchor date.",
        "the placement has ended",
        false_words="the placement is still going on",
    ),
    Fact(
        "placement.length_days",
        "Placement length in days",
        FactType.DURATION,
        "Days from the start to the end of the placement, or to the anchor date while it goes on.",
        "the placement lasted",
        unit="days",
    ),
    Fact(
        "placement.length_months",
        "Placement length in months",
        FactType.DURATION,
        "Whole calendar months from the start to the end of the placement, or to the anchor date while "
        "it goes on. A month from the 29th, 30th or 31st ends on the last day of a shorter month (31 "
        "January to 28 February is one month; to 27 February it is none).",
        "the placement lasted",
        unit="months",
    ),
    Fact(
        "placement.length_years",
        "Placement length in years",
        FactType.DURATION,
        "Whole years from the start to the end of the placement, or to the anchor date while it goes on.",
        "the placement lasted",
        unit="years",
    ),
    Fact(
        "placement.months_since_ratified",
        "Months from ratification as permanent",
        FactType.DURATION,
        "Whole months from ratification as permanent to the end of the placement, or to the anchor date "
        "while it goes on; not recorded when it was never ratified.",
        "the placement had been permanent for",
        unit="months",
    ),
    Fact(
        "placement.ended_unplanned",
        "Ended unplanned",
        FactType.BOOL,
        "Whether the placement ended abruptly or in an unplanned way; not recorded while it goes on.",
        "the placement ended unplanned",
        false_words="the placement ended in a planned way",
    ),
    Fact(
        "placement.reason_for_change",
        "Reason the placement ended (SSDA903)",
        FactType.CHOICE,
        "The SSDA903 reason for placement change; not recorded while it goes on.",
        "the reason the placement ended",
        vocabulary="reason_for_change",
    ),
    Fact(
        "placement.is_agency",
        "Agency placement",
        FactType.BOOL,
        "Whether an agency provides the placement (agency fostering or an agency children's home) rather "
        "than the council's own service.",
        "the placement is with an agency",
        false_words="the placement is not with an agency",
    ),
    Fact(
        "placement.is_connected_person",
        "Connected person placement",
        FactType.BOOL,
        "Whether the child is placed with a relative or friend approved as a connected person carer "
        "(SSDA903 codes U1 to U3).",
        "the placement is with connected person carers",
        false_words="the placement is not with connected person carers",
    ),
    Fact(
        "placement.out_of_area",
        "Out of the council's area",
        FactType.BOOL,
        "Whether the placement is outside the council's own area: the placement's local authority "
        "(SSDA903 PL_LA) differs from the pack's setting council_la_code. Not recorded when either is "
        "missing.",
        "the placement is outside the council's area",
        false_words="the placement is inside the council's area",
    ),
    Fact(
        "placement.legal_order",
        "Legal order",
        FactType.CHOICE,
        "The legal order the placement rests on, e.g. special guardianship or adoption, from the pack's "
        "list of legal orders.",
        "the legal order",
        vocabulary="legal_order",
    ),
    Fact(
        "placement.legal_order_date",
        "Date of the legal order",
        FactType.DATE,
        "The date the legal order was made.",
        "the legal order was made",
    ),
    Fact(
        "placement.notice_period_days",
        "Contract notice period",
        FactType.DURATION,
        "The notice an agency must give under its contract; not recorded for the council's own placements.",
        "the contract's notice period is",
        unit="days",
    ),
    Fact(
        "placement.has_contingency_plan",
        "Contract has contingency plans",
        FactType.BOOL,
        "Whether an agency contract includes contingency plans.",
        "the contract has contingency plans",
        false_words="the contract has no contingency plans",
    ),
    # Child
    Fact(
        "child.age_years",
        "Child's age",
        FactType.NUMBER,
        "The child's age in whole years on the anchor date.",
        "the child's age",
    ),
    Fact(
        "child.legal_status",
        "Child's legal status",
        FactType.CHOICE,
        "The child's SSDA903 legal status, e.g. C2 for a full care order.",
        "the child's legal status",
        vocabulary="legal_status",
    ),
    # History
    Fact(
        "history.child_moves",
        "Child's moves",
        FactType.NUMBER,
        "How many times the child moved placement in the months before the anchor date: placements that "
        "started in that time, other than the child's first placement.",
        "the number of times the child moved placement",
        per_months=True,
    ),
    Fact(
        "history.child_unplanned_endings",
        "Child's unplanned endings",
        FactType.NUMBER,
        "How many of the child's placements ended unplanned in the months before the anchor date.",
        "the number of the child's placements that ended unplanned",
        per_months=True,
    ),
    Fact(
        "history.child_disruptions",
        "Child's disruptions",
        FactType.NUMBER,
        "How many of the child's permanent placements ended unplanned in the months before the anchor "
        "date (a disruption, as the disruption meeting defines it).",
        "the number of the child's permanent placements that ended unplanned",
        per_months=True,
    ),
    Fact(
        "history.carer_unplanned_endings",
        "Carer household's unplanned endings",
        FactType.NUMBER,
        "How many placements with the same carer household (any child) ended unplanned in the months "
        "before the anchor date; not recorded for a placement in a children's home.",
        "the number of placements with the carer household that ended unplanned",
        per_months=True,
    ),
    # Request
    Fact(
        "request.raised_by_kind",
        "Who raised the concern",
        FactType.PERSON_KIND,
        "The kind of person who raised the concern, inside or outside the council (a carer, a teacher, "
        "the child), from the pack's list of kinds of people. Asked on the request form; stored on the "
        "meeting.",
        "the concern was raised by",
        vocabulary="person_kind",
    ),
    Fact(
        "request.requester_role",
        "Requester's role",
        FactType.CHOICE,
        "The role of the member of staff who made the request.",
        "the requester's role",
        vocabulary="role",
    ),
    Fact(
        "request.requester_council_role",
        "Requester's council role",
        FactType.CHOICE,
        "The council's own role of the member of staff who made the request (e.g. practice consultant), "
        "from the pack's roles; not recorded when they have none. The requester's role above is the "
        "built-in role it carries, so a condition can name either.",
        "the requester's council role",
        vocabulary="council_role",
    ),
    Fact(
        "request.flags",
        "Request flags",
        FactType.FLAGS,
        "Flags the policy owner defines for the request form and the requester ticks, e.g. complex, "
        "urgent or safeguarding, from the pack's list. Stored on the meeting.",
        "the request is marked",
        vocabulary="request_flag",
    ),
    Fact(
        "request.triggers",
        "Request triggers",
        FactType.FLAGS,
        "The triggers the requester chose from the meeting type's list, e.g. an allegation.",
        "the request names the trigger",
        vocabulary="request_trigger",
    ),
    # Meeting
    Fact(
        "meeting.requested_late",
        "Requested late",
        FactType.BOOL,
        "Whether the meeting was requested after the meeting type's late point.",
        "the meeting was requested late",
        false_words="the meeting was requested in time",
    ),
    Fact(
        "meeting.stage",
        "Meeting stage",
        FactType.CHOICE,
        "Where the meeting is in its life, from requested to closed.",
        "the meeting's stage",
        vocabulary="meeting_stage",
    ),
]

FACTS: dict[str, Fact] = {fact.key: fact for fact in _FACTS}

MAX_MONTHS = 120
_WINDOW = re.compile(r"^last_(\d{1,3})_months$")


def window_key(months: int) -> str:
    """The snapshot key of a history window: `last_12_months`."""
    return f"last_{months}_months"


def fact_path(key: str, months: int | None = None) -> str:
    """The variable path a condition uses for a fact: `history.child_moves.last_12_months`."""
    return f"{key}.{window_key(months)}" if months is not None else key


def parse_fact_path(path: object) -> tuple[Fact, int | None] | None:
    """The fact and window a variable path names, or None when it names no fact.

    A windowed fact's months come back even when out of range; the validator says so.
    """
    if not isinstance(path, str):
        return None
    if path in FACTS:
        return FACTS[path], None
    head, _, tail = path.rpartition(".")
    fact = FACTS.get(head)
    match = _WINDOW.match(tail)
    if fact is not None and fact.per_months and match:
        return fact, int(match.group(1))
    return None


def fact_choices() -> list[tuple[str, str]]:
    """The catalogue as choices for the CMS, labels prefixed by their area ("Placement: ...")."""
    areas = {"placement": "Placement", "child": "Child", "history": "History", "request": "Request"}
    areas["meeting"] = "Meeting"
    return [(fact.key, f"{areas[fact.group]}: {fact.label}") for fact in _FACTS]


def vocabulary_label(vocabulary: list[tuple[str, str]], value: object) -> str:
    for code, label in vocabulary:
        if code == value:
            return label
    return str(value)
