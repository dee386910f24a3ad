"""Old wide meeting types (pack format 1, revisions before issue 10) -> the small core plus rule lists.

`legacy_to_rules(data)` is a pure function of one meeting type's dict (a format-1 pack entry, a row's
values or a revision's content). It is written once and used by the data migration (rows and their
revisions), by tests, and was used once to re-express the shipped packs in format 2.

How each old field maps (docs/rules-as-data.md):
- `eligible_categories` -> one eligibility entry `when placement type is one of ...`, its explanation
  naming the placement type; `exclusions` (category + message) -> exclusions `when type is ...`;
  `must_be_permanent`, `must_have_ended`, `must_have_ended_unplanned` -> exclusions with the old
  messages, limited to the eligible types so the first message shown is the one shown before.
- `anchor`, `earliest_days`, `latest_days`, `unit`, `late_after_days` -> one timing entry (a target:
  a later date is accepted with the reason it is late, as before; the earliest day stays a refusal).
- `approval_required`/`approver_roles`/`approver_from_child_team` -> gate "Request approval" (any one);
  `late_approver_roles` -> gate "Late request approval" (all) `when meeting.requested_late is yes`.
- `chair_rules`, `prefer_child_team`, `chair_must_be_independent` -> chairs (independence is the
  exclusion `no_earlier_involvement`, which also rules out the child's own IRO and social worker).
- `categories` on invitees, reports, circulation, outcome questions -> `when`.
- `case_note_type` -> one case note on the child's record; `request_routes` -> notifications on request.
- The rule reference strings go to the entries; the core's own (request, scheduler, minutes, contract,
  notice) to `rule_references`.
"""

from __future__ import annotations

import json
from typing import Any

from .conditions import condition_for_categories

LEGACY_FIELDS = frozenset(
    {
        "eligibility_rule",
        "eligible_categories",
        "must_be_permanent",
        "must_have_ended",
        "must_have_ended_unplanned",
        "exclusions",
        "contract_rule",
        "request_rule",
        "request_routes",
        "routing_rule",
        "approval_rule",
        "approval_required",
        "approver_roles",
        "approver_from_child_team",
        "decline_needs_reason",
        "late_rule",
        "late_after_days",
        "late_approver_roles",
        "timing_rule",
        "anchor",
        "earliest_days",
        "latest_days",
        "unit",
        "scheduler_rule",
        "chair_rule",
        "chair_rules",
        "prefer_child_team",
        "independence_rule",
        "chair_must_be_independent",
        "invitee_rule",
        "invitees",
        "report_rule",
        "required_reports",
        "minutes_rule",
        "minutes_due_rule",
        "minutes_approval_rule",
        "circulation_rule",
        "circulation",
        "case_note_type",
        "follow_ups",
        "follow_up_rule",
        "outcome_questions",
        "outcome_rule",
        "notice_rule",
    }
)
CORE_REFERENCES = {
    "request_rule": "request",
    "scheduler_rule": "scheduler",
    "minutes_rule": "minutes",
    "minutes_due_rule": "minutes_due",
    "minutes_approval_rule": "minutes_approval",
    "contract_rule": "contract",
    "notice_rule": "notice",
}
RULE_LIST_NAMES = (
    "eligibility",
    "exclusions",
    "requirement",
    "prerequisites",
    "timing",
    "gates",
    "chairs",
    "invitees",
    "reports",
    "circulation",
    "case_notes",
    "follow_ups",
    "notifications",
    "outcome_questions",
    "not_held",
    "linked_meetings",
    "recurrence",
)
PLACEMENT_TYPE_PLACEHOLDER = "{placement_type}"
INVITEE_KEYS = ("role", "requirement", "may_attend_part", "note")
REPORT_KEYS = ("form_key", "label", "author_role", "timing", "days")
FOLLOW_UP_KEYS = ("key", "description", "owner_role", "due_days")


def stream_items(value: Any) -> list[dict]:
    """The entries of a stored list, whatever its shape: plain dicts (a pack), StreamField raw data
    ({"type", "value", "id"}) or that raw data as a JSON string (a revision's content)."""
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    out = []
    for item in value or []:
        if isinstance(item, dict) and "type" in item and isinstance(item.get("value"), dict):
            out.append(dict(item["value"]))
        elif isinstance(item, dict):
            out.append(dict(item))
    return out


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        value = json.loads(value) if value.strip() else []
    return [str(v) for v in value or []]


def _either_no(fact: str) -> dict:
    return {"or": [{"===": [{"var": fact}, False]}, {"===": [{"var": fact}, None]}]}


def _and(*conditions: dict | None) -> dict | None:
    rows: list[dict] = []
    for condition in conditions:
        if not condition:
            continue
        (op, args), *_ = condition.items()
        if op == "and":
            rows += args
        else:
            rows.append(condition)
    return {"and": rows} if rows else None


def _when(categories: Any) -> dict | None:
    return condition_for_categories(list(categories or []))


def legacy_to_rules(data: dict[str, Any]) -> dict[str, Any]:
    """One old meeting type's dict -> the same meeting type as core fields plus rule lists.

    Keys not in the old wide record are kept as they are; the old keys are removed.
    """
    old = dict(data)
    out = {k: v for k, v in old.items() if k not in LEGACY_FIELDS}
    name = (old.get("name") or "meeting").lower()
    a = f"A {name}"
    eligible = _codes(old.get("eligible_categories"))
    within = _when(eligible)
    rule = old.get("eligibility_rule") or ""

    eligibility = []
    if eligible:
        eligibility.append(
            {
                "when": within,
                "rule": rule,
                "explanation": f"{a} is not held for this type of placement ({PLACEMENT_TYPE_PLACEHOLDER}).",
            }
        )
    exclusions = [
        {"when": _when([row.get("category")]), "rule": rule, "message": row.get("message", "")}
        for row in stream_items(old.get("exclusions"))
    ]
    if old.get("must_be_permanent"):
        exclusions.append(
            {
                "when": _and(within, _either_no("placement.is_permanent")),
                "rule": rule,
                "message": f"{a} is held only for placements ratified as permanent.",
            }
        )
    if old.get("must_have_ended"):
        exclusions.append(
            {
                "when": _and(within, _either_no("placement.has_ended")),
                "rule": rule,
                "message": f"{a} is held only after the placement has ended: record its end date.",
            }
        )
    if old.get("must_have_ended_unplanned"):
        exclusions.append(
            {
                "when": _and(within, _either_no("placement.ended_unplanned")),
                "rule": rule,
                "message": f"{a} is held only when the placement ended abruptly or in an unplanned way.",
            }
        )

    timing = [
        {
            "when": None,
            "rule": old.get("timing_rule") or "",
            "anchor": old.get("anchor") or "concern_raised",
            "earliest": old.get("earliest_days"),
            "latest": old.get("latest_days"),
            "unit": old.get("unit") or "working",
            "direction": "after",
            "roll": "none",
            "hard": False,
            "late_after": old.get("late_after_days"),
            "explanation": "",
        }
    ]

    decline_reason = bool(old.get("decline_needs_reason", True))
    gates = []
    if old.get("approval_required", True):
        relationship = "child_team_manager" if old.get("approver_from_child_team") else "any"
        gates.append(
            {
                "when": None,
                "rule": old.get("approval_rule") or "",
                "name": "Request approval",
                "approvers": [
                    {"role": r, "relationship": relationship} for r in _codes(old.get("approver_roles"))
                ],
                "need": "any",
                "count": 1,
                "different_people": True,
                "decline_needs_reason": decline_reason,
            }
        )
    late_roles = _codes(old.get("late_approver_roles"))
    if late_roles:
        gates.append(
            {
                "when": {"and": [{"===": [{"var": "meeting.requested_late"}, True]}]},
                "rule": old.get("late_rule") or old.get("approval_rule") or "",
                "name": "Late request approval",
                "approvers": [{"role": r, "relationship": "any"} for r in late_roles],
                "need": "all",
                "count": len(late_roles),
                "different_people": True,
                "decline_needs_reason": decline_reason,
            }
        )

    independent = bool(old.get("chair_must_be_independent"))
    exclude = ["no_earlier_involvement"] if independent else []
    chair_ref = old.get("chair_rule") or old.get("independence_rule") or ""
    chairs = [
        {
            "when": _when(row.get("categories")),
            "rule": chair_ref,
            "roles": list(row.get("roles") or []),
            "team_kinds": [],
            "team_scope": row.get("team_scope") or "any",
            "prefer_child_team": bool(old.get("prefer_child_team")),
            "exclude": list(exclude),
            "excluded_team_kinds": [],
            "explanation": row.get("explanation", ""),
        }
        for row in stream_items(old.get("chair_rules"))
    ]
    if (independent or old.get("prefer_child_team")) and (not chairs or chairs[-1]["when"] is not None):
        chairs.append(
            {
                "when": None,
                "rule": old.get("independence_rule") or chair_ref,
                "roles": [],
                "team_kinds": [],
                "team_scope": "any",
                "prefer_child_team": bool(old.get("prefer_child_team")),
                "exclude": list(exclude),
                "excluded_team_kinds": [],
                "explanation": "The chair must have had no earlier involvement in the child's case."
                if independent
                else "",
            }
        )

    def listed(key: str, rule_key: str, fields: tuple[str, ...]) -> list[dict]:
        return [
            {
                "when": _when(row.get("categories")),
                "rule": old.get(rule_key) or "",
                **{f: row[f] for f in fields if f in row},
            }
            for row in stream_items(old.get(key))
        ]

    out.update(
        {
            "eligibility": eligibility,
            "exclusions": exclusions,
            "requirement": [],
            "prerequisites": [],
            "timing": timing,
            "gates": gates,
            "chairs": chairs,
            "invitees": listed(
                "invitees", "invitee_rule", ("role", "requirement", "may_attend_part", "note")
            ),
            "reports": listed(
                "required_reports", "report_rule", ("form_key", "label", "author_role", "timing", "days")
            ),
            "circulation": listed("circulation", "circulation_rule", ("role",)),
            "case_notes": (
                [{"when": None, "rule": "", "record": "child", "note_type": old["case_note_type"]}]
                if old.get("case_note_type")
                else []
            ),
            "follow_ups": listed(
                "follow_ups", "follow_up_rule", ("key", "description", "owner_role", "due_days")
            ),
            "notifications": [
                {
                    "when": None,
                    "rule": old.get("routing_rule") or "",
                    "event": "requested",
                    "recipient_role": "",
                    "setting_key": row.get("setting_key", ""),
                    "note": row.get("note", ""),
                }
                for row in stream_items(old.get("request_routes"))
            ],
            "outcome_questions": listed(
                "outcome_questions", "outcome_rule", ("key", "question", "answer_kind", "required")
            ),
            "not_held": [],
            "linked_meetings": [],
            "recurrence": [],
        }
    )
    references = old.get("rule_references") or {}
    references = dict(json.loads(references) if isinstance(references, str) else references)
    for field, key in CORE_REFERENCES.items():
        if old.get(field):
            references[key] = old[field]
    out["rule_references"] = references
    return out


def is_legacy(data: dict[str, Any]) -> bool:
    return any(key in data for key in ("eligible_categories", "approver_roles", "latest_days", "chair_rules"))
