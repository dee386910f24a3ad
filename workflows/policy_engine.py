"""One evaluator for every rule list of a meeting type (issue 10).

`policy_evaluate(meeting_type, snapshot)` walks each list with `condition_matches` and returns a
`PolicyDecision`: for first-match kinds (requirement, timing, chair, not held, recurrence) the first
entry whose condition holds, for every-match kinds every such entry (see `rule_blocks.RULE_LISTS` and
docs/rules-as-data.md). Each matched entry carries `because`: its condition in words, or "" when it
applies always. The decision is stored on the meeting at request (`Meeting.decision`, with the snapshot
in `Meeting.facts`) and every screen, service and dashboard reads the stored decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from .condition_words import condition_words
from .conditions import condition_matches
from .facts import VOCABULARIES, vocabulary_label
from .rule_blocks import FIRST_MATCH, RULE_LISTS
from .rules_legacy import PLACEMENT_TYPE_PLACEHOLDER, stream_items

DECISION_VERSION = 1

# The payload of each list's entries, with defaults, in the stored decision's order: one entry for each
# list of `rule_blocks.RULE_LISTS`, the one definition of the lists (tests/workflows/test_policy_engine.py
# holds the two together).
PAYLOADS: dict[str, dict[str, Any]] = {
    "eligibility": {"explanation": ""},
    "exclusions": {"message": ""},
    "requirement": {"level": "required"},
    "prerequisites": {"meeting_type_code": "", "within_months": None, "message": ""},
    "timing": {
        "anchor": "concern_raised",
        "earliest": None,
        "latest": None,
        "unit": "working",
        "direction": "after",
        "roll": "none",
        "hard": False,
        "late_after": None,
        "explanation": "",
    },
    "gates": {
        "name": "",
        "approvers": [],
        "need": "any",
        "count": 1,
        "different_people": True,
        "decline_needs_reason": True,
    },
    "chairs": {
        "roles": [],
        "team_kinds": [],
        "team_scope": "any",
        "prefer_child_team": False,
        "exclude": [],
        "excluded_team_kinds": [],
        "explanation": "",
    },
    "invitees": {"role": "", "requirement": "required", "may_attend_part": False, "note": ""},
    "reports": {"form_key": "", "label": "", "author_role": "", "timing": "before_meeting", "days": None},
    "circulation": {"role": ""},
    "case_notes": {"record": "child", "note_type": ""},
    "follow_ups": {"key": "", "description": "", "owner_role": "social_worker", "due_days": 20},
    "notifications": {"event": "requested", "recipient_role": "", "setting_key": "", "note": ""},
    "outcome_questions": {"key": "", "question": "", "answer_kind": "yes_no", "required": True},
    "not_held": {"decided_by_roles": [], "reason_required": True, "document_form_key": "", "explanation": ""},
    "linked_meetings": {"meeting_type_code": "", "on_event": "closed", "note": ""},
    "recurrence": {"every": 1, "unit": "weeks", "note": ""},
}
# Invitee requirements, strictest first: the same role twice keeps the stricter.
REQUIREMENT_ORDER = ("required", "where_helpful", "optional", "notify")


def _plain(value: Any) -> Any:
    """A block's prep value as plain JSON: ListBlock items ({"type": "item", "value": ...}) unwrapped."""
    if isinstance(value, list):
        return [
            _plain(v["value"])
            if isinstance(v, dict) and v.get("type") == "item" and "value" in v
            else _plain(v)
            for v in value
        ]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def rule_list(meeting_type: Any, name: str) -> list[dict]:
    """One rule list of a meeting type (a model instance or a format-2 dict) as plain entries."""
    if isinstance(meeting_type, dict):
        return [_plain(e) for e in stream_items(meeting_type.get(name))]
    value = getattr(meeting_type, name, None) or []
    return [_plain(child.block.get_prep_value(child.value)) for child in value]


def rule_lists(meeting_type: Any) -> dict[str, list[dict]]:
    """Every rule list of a meeting type (a model instance or a format-2 dict) as plain entries, one for
    each list of `rule_blocks.RULE_LISTS`."""
    return {name: rule_list(meeting_type, name) for name in RULE_LISTS}


def meeting_type_vocabularies(meeting_type: Any) -> dict[str, list[tuple[str, str]]]:
    """The vocabularies a meeting type's conditions are checked against (its triggers included)."""
    result = dict(VOCABULARIES)
    if isinstance(meeting_type, dict):
        triggers = stream_items(meeting_type.get("triggers"))
        result["request_trigger"] = [(t.get("key", ""), t.get("label", "")) for t in triggers]
    else:
        result["request_trigger"] = [(t.value["key"], t.value["label"]) for t in meeting_type.triggers]
    return result


def _entry(kind: str, raw: dict, because: str) -> dict:
    entry = {key: raw.get(key, default) for key, default in PAYLOADS[kind].items()}
    for key, default in PAYLOADS[kind].items():
        if entry[key] is None and isinstance(default, list):
            entry[key] = []
    entry["rule"] = raw.get("rule") or ""
    entry["because"] = because
    return entry


@dataclass(frozen=True)
class PolicyDecision:
    """What a meeting type's rules say about one case. Stored as JSON on the meeting (version 1)."""

    eligible: bool = True
    refusals: list[dict] = field(default_factory=list)
    requirement: dict | None = None
    prerequisites: list[dict] = field(default_factory=list)
    timing: dict | None = None
    gates: list[dict] = field(default_factory=list)
    chair: dict | None = None
    invitees: list[dict] = field(default_factory=list)
    reports: list[dict] = field(default_factory=list)
    circulation: list[dict] = field(default_factory=list)
    case_notes: list[dict] = field(default_factory=list)
    follow_ups: list[dict] = field(default_factory=list)
    notifications: list[dict] = field(default_factory=list)
    outcome_questions: list[dict] = field(default_factory=list)
    not_held: dict | None = None
    linked_meetings: list[dict] = field(default_factory=list)
    recurrence: dict | None = None
    version: int = DECISION_VERSION

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version}
        for f in fields(self):
            if f.name != "version":
                out[f.name] = getattr(self, f.name)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> PolicyDecision:
        data = dict(data or {})
        version = data.get("version", DECISION_VERSION)
        if version != DECISION_VERSION:
            raise ValueError(
                f"This stored decision is version {version}; "
                f"this installation reads version {DECISION_VERSION}."
            )
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def refusal_messages(self) -> list[str]:
        return [r["message"] for r in self.refusals]


def _type_words(snapshot: dict) -> str:
    value = (snapshot.get("placement") or {}).get("type")
    if not value:
        return "not recorded"
    return str(vocabulary_label(VOCABULARIES["placement_type"], value)).lower()


def policy_evaluate(meeting_type: Any, snapshot: dict) -> PolicyDecision:
    """Evaluate every rule list of `meeting_type` (a model instance, e.g. a revision's object, or a
    format-2 dict) against one case's fact snapshot."""
    lists = rule_lists(meeting_type)
    vocabularies = meeting_type_vocabularies(meeting_type)

    def matched(kind: str) -> list[dict]:
        found = []
        for raw in lists[kind]:
            when = raw.get("when") or None
            if condition_matches(when, snapshot, vocabularies):
                because = "" if when is None else condition_words(when, vocabularies)
                found.append(_entry(kind, raw, because))
                if kind in FIRST_MATCH:
                    break
        return found

    def first(kind: str) -> dict | None:
        found = matched(kind)
        return found[0] if found else None

    refusals = [{"rule": e["rule"], "message": e["message"]} for e in matched("exclusions")]
    eligibility = lists["eligibility"]
    if eligibility and not matched("eligibility"):
        head = eligibility[0]
        message = (head.get("explanation") or "This meeting is not held for this case.").replace(
            PLACEMENT_TYPE_PLACEHOLDER, _type_words(snapshot)
        )
        refusals.append({"rule": head.get("rule") or "", "message": message})

    invitees: list[dict] = []
    for entry in matched("invitees"):
        same = next((i for i, e in enumerate(invitees) if e["role"] == entry["role"]), None)
        if same is None:
            invitees.append(entry)
            continue
        rank = {r: n for n, r in enumerate(REQUIREMENT_ORDER)}
        if rank.get(entry["requirement"], 9) < rank.get(invitees[same]["requirement"], 9):
            invitees[same] = entry

    return PolicyDecision(
        eligible=not refusals,
        refusals=refusals,
        requirement=first("requirement"),
        prerequisites=matched("prerequisites"),
        timing=first("timing"),
        gates=matched("gates"),
        chair=first("chairs"),
        invitees=invitees,
        reports=matched("reports"),
        circulation=matched("circulation"),
        case_notes=matched("case_notes"),
        follow_ups=matched("follow_ups"),
        notifications=matched("notifications"),
        outcome_questions=matched("outcome_questions"),
        not_held=first("not_held"),
        linked_meetings=matched("linked_meetings"),
        recurrence=first("recurrence"),
    )


def all_conditions(meeting_type: Any) -> list[Any]:
    """Every condition of every list: what the snapshot must be built with (history windows)."""
    return [e.get("when") for entries in rule_lists(meeting_type).values() for e in entries if e.get("when")]
