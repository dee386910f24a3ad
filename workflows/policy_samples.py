"""Sample cases for the policy check: synthetic fact snapshots of every kind of case (issue 10).

`sample_cases(vocabularies, meeting_type)` builds one fact snapshot (no rows) per placement type x
purpose x ending (going on, ended planned, ended unplanned) x request flag (none, then each flag) x
ratified as permanent or not x a long and a short placement (and a settled and an unsettled history when
the policy's conditions count history), each with a plain description ("agency fostering, long-term,
ended unplanned, marked complex").

A dimension that no condition of the meeting type reads cannot change any decision, so by default it is
tried with one value (the caller is told which were held still); `full=True` tries every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from typing import Any

from dateutil.relativedelta import relativedelta

from portal.choices import PlacementCategory, Role

from .conditions import _walk, referenced_windows
from .fact_snapshot import blank_snapshot
from .facts import VOCABULARIES, parse_fact_path, vocabulary_label
from .policy_engine import all_conditions
from .rules_legacy import stream_items

# How each built-in placement type looks in the case record (SSDA903 type and provider codes).
TYPE_CODES = {
    PlacementCategory.IN_HOUSE_FOSTERING: ("U6", "PR1", False, False),
    PlacementCategory.AGENCY_FOSTERING: ("U6", "PR4", True, False),
    PlacementCategory.CONNECTED_PERSON: ("U3", "PR1", False, True),
    PlacementCategory.IN_HOUSE_RESIDENTIAL: ("K2", "PR1", False, False),
    PlacementCategory.AGENCY_RESIDENTIAL: ("K2", "PR4", True, False),
    PlacementCategory.OTHER: ("Z1", "PR0", False, False),
}
LONG_TERM_CODES = {"U6": "U4", "U3": "U1"}

ENDINGS = (
    ("ongoing", "still going on"),
    ("planned", "ended in a planned way"),
    ("unplanned", "ended unplanned"),
)
LENGTHS = (
    ("long", relativedelta(years=3, months=6), "lasted 3 years 6 months"),
    ("short", relativedelta(weeks=6), "lasted 6 weeks"),
)
HISTORIES = (("settled", 0, "no earlier moves or endings"), ("unsettled", 3, "3 moves and unplanned endings"))

# Facts each varied dimension changes; a dimension whose facts no condition reads is held still.
DIMENSION_FACTS = {
    "purpose": {"placement.purpose"},
    "flag": {"request.flags"},
    "permanent": {
        "placement.is_permanent",
        "placement.ratified_permanent_on",
        "placement.months_since_ratified",
    },
    "length": {
        "placement.length_days",
        "placement.length_months",
        "placement.length_years",
        "placement.start_date",
        "placement.months_since_ratified",
    },
    "history": {
        "history.child_moves",
        "history.child_unplanned_endings",
        "history.child_disruptions",
        "history.carer_unplanned_endings",
    },
}

# --------------------------------------------------------------------------------------------------
# Sample cases
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleCase:
    """One synthetic case: its values per dimension, its words, and its fact snapshot (no rows)."""

    placement_type: str
    purpose: str | None
    ending: str
    flag: str | None
    permanent: bool
    length: str
    history: str
    description: str
    snapshot: dict = field(compare=False, hash=False, repr=False)

    @property
    def has_ended(self) -> bool:
        return self.ending != "ongoing"


def rule_entries(value: Any) -> list[dict]:
    """The entries of one rule list as plain dicts (a StreamField, its raw JSON, or a pack's JSON list)."""
    if value is not None and hasattr(value, "raw_data"):
        value = value.raw_data
    if isinstance(value, dict):
        value = [value]
    return stream_items(value) if isinstance(value, list | tuple | str) else []


def _conditions(meeting_type: Any) -> list[Any]:
    """Every `when` condition of the meeting type's rule lists (a model instance or a pack's dict)."""
    return all_conditions(meeting_type)


def _referenced_facts(conditions: Iterable[Any]) -> set[str]:
    facts = set()
    for condition in conditions:
        for path in _walk(condition):
            parsed = parse_fact_path(path)
            if parsed:
                facts.add(parsed[0].key)
    return facts


def _label(vocabularies: dict, name: str, code: object) -> str:
    return vocabulary_label(vocabularies.get(name) or VOCABULARIES.get(name, []), code)


def lower_first(label: str) -> str:
    return label[0].lower() + label[1:] if len(label) > 1 and label[1].islower() else label


def _describe(
    vocabularies: dict,
    type_: str,
    purpose,
    ending: str,
    flag,
    permanent: bool,
    length: str,
    history: str,
    varied,
) -> str:
    parts = [lower_first(_label(vocabularies, "placement_type", type_))]
    if "purpose" in varied:
        parts.append(
            lower_first(_label(vocabularies, "placement_purpose", purpose))
            if purpose
            else "purpose not recorded"
        )
    if "permanent" in varied:
        parts.append("ratified as permanent" if permanent else "not ratified as permanent")
    parts.append(dict(ENDINGS)[ending])
    if "length" in varied:
        parts.append(next(words for key, _delta, words in LENGTHS if key == length))
    if "flag" in varied:
        parts.append(
            f"marked {lower_first(_label(vocabularies, 'request_flag', flag))}" if flag else "no flags"
        )
    if "history" in varied:
        parts.append(next(words for key, _n, words in HISTORIES if key == history))
    return ", ".join(parts)


def _months(start: date, end: date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def _snapshot(
    *,
    type_: str,
    purpose,
    ending: str,
    flag,
    permanent: bool,
    length: str,
    history: str,
    anchor_on: date,
    windows: set[int],
) -> dict:
    snapshot = blank_snapshot(sorted(windows))
    delta = next(d for key, d, _w in LENGTHS if key == length)
    start = anchor_on - delta
    type_code, provider, agency, connected = TYPE_CODES.get(type_, (None, None, None, None))
    if type_code and purpose in ("long_term", "permanent"):
        type_code = LONG_TERM_CODES.get(type_code, type_code)
    ended = ending != "ongoing"
    ratified = start + relativedelta(months=1) if permanent else None
    until = anchor_on
    p = snapshot["placement"]
    p |= {
        "type": type_,
        "type_code": type_code,
        "provider_code": provider,
        "purpose": purpose,
        "is_permanent": permanent,
        "ratified_permanent_on": ratified.isoformat() if ratified else None,
        "start_date": start.isoformat(),
        "end_date": anchor_on.isoformat() if ended else None,
        "has_ended": ended,
        "length_days": (until - start).days,
        "length_months": _months(start, until),
        "length_years": relativedelta(until, start).years,
        "months_since_ratified": (
            relativedelta(until, ratified).years * 12 + relativedelta(until, ratified).months
            if ratified
            else None
        ),
        "ended_unplanned": (ending == "unplanned") if ended else None,
        "reason_for_change": ("CREQB" if ending == "unplanned" else "CARPL") if ended else None,
        "is_agency": agency,
        "is_connected_person": connected,
        "out_of_area": False,
        "notice_period_days": 28 if agency else None,
        "has_contingency_plan": True if agency else None,
    }
    snapshot["child"] |= {"age_years": 12, "legal_status": "C2"}
    count = next(n for key, n, _w in HISTORIES if key == history)
    for windows_of in snapshot["history"].values():
        for key in windows_of:
            windows_of[key] = count
    snapshot["request"] |= {
        "raised_by_kind": "social_worker",
        "requester_role": Role.SOCIAL_WORKER.value,
        "flags": [flag] if flag else [],
        "triggers": [],
    }
    snapshot["meeting"] |= {"requested_late": False, "stage": "requested"}
    return snapshot


def sample_cases(
    vocabularies: dict[str, list[tuple[str, str]]] | None,
    meeting_type: Any,
    *,
    anchor_on: date | None = None,
    full: bool = False,
) -> tuple[list[SampleCase], dict[str, str]]:
    """The sample cases for a meeting type, and the dimensions held still (name -> why).

    Every placement type and ending is always tried; purpose, flags, permanence, length and history are
    varied when a condition of the meeting type reads them (or always with `full=True`).
    """
    vocabularies = {**VOCABULARIES, **(vocabularies or {})}
    anchor_on = anchor_on or date(2026, 3, 2)
    conditions = _conditions(meeting_type)
    facts = _referenced_facts(conditions)
    windows = {months for condition in conditions for _key, months in referenced_windows(condition)}
    varied = {name for name, names in DIMENSION_FACTS.items() if full or facts & names}
    if "history" in varied and not windows:
        windows = {12}
    held = {
        name: "no condition of this meeting type reads it" for name in DIMENSION_FACTS if name not in varied
    }
    types = [code for code, _label in vocabularies["placement_type"]]
    purposes: list[str | None] = [code for code, _l in vocabularies["placement_purpose"]] + [None]
    flags: list[str | None] = [None] + [code for code, _l in vocabularies["request_flag"]]
    dims = {
        "purpose": purposes if "purpose" in varied else [None],
        "flag": flags if "flag" in varied else [None],
        "permanent": [False, True] if "permanent" in varied else [False],
        "length": [key for key, *_ in LENGTHS] if "length" in varied else ["long"],
        "history": [key for key, *_ in HISTORIES] if "history" in varied else ["settled"],
    }
    cases = []
    for type_, purpose, (ending, _w), flag, permanent, length, history in product(
        types, dims["purpose"], ENDINGS, dims["flag"], dims["permanent"], dims["length"], dims["history"]
    ):
        snapshot = _snapshot(
            type_=type_,
            purpose=purpose,
            ending=ending,
            flag=flag,
            permanent=permanent,
            length=length,
            history=history,
            anchor_on=anchor_on,
            windows=windows,
        )
        description = _describe(
            vocabularies, type_, purpose, ending, flag, permanent, length, history, varied
        )
        cases.append(
            SampleCase(type_, purpose, ending, flag, permanent, length, history, description, snapshot)
        )
    return cases, held
