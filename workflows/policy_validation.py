"""Checks that a meeting-type policy makes sense, each problem explained in one sentence (Wagtail form,
pack import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.choices import PlacementCategory, Role

from .choices import Anchor, MinutesApprover
from .conditions import condition_names, condition_problems
from .policy_engine import meeting_type_vocabularies, rule_lists

if TYPE_CHECKING:
    from .models import MeetingType


def category_label(category: str) -> str:
    try:
        return PlacementCategory(category).label
    except ValueError:
        return category


VALID_CATEGORIES = {c.value for c in PlacementCategory}
VALID_ROLES = {r.value for r in Role}
VALID_APPROVERS = {a.value for a in MinutesApprover} | VALID_ROLES


def _entry_word(name: str) -> str:
    return LIST_WORDS.get(name, name.replace("_", " "))


LIST_WORDS = {
    "eligibility": "Who it is for",
    "exclusions": "Never held when",
    "requirement": "Required, offered or at discretion",
    "prerequisites": "Must come first",
    "timing": "When",
    "gates": "Approval",
    "chairs": "Chair",
    "invitees": "Who attends",
    "reports": "Reports",
    "circulation": "Minutes go to",
    "case_notes": "Case notes",
    "follow_ups": "Follow-ups",
    "notifications": "Notifications",
    "outcome_questions": "Outcome questions",
    "not_held": "Not held",
    "linked_meetings": "Linked meetings",
    "recurrence": "Review again",
}


def rule_list_problems(mt: MeetingType | dict, settings_keys: set[str] | None = None) -> dict[str, list[str]]:
    """List name -> sentences about its entries: every `when` checked with `condition_problems`, and the
    checks each kind of entry needs (issue 10). Works on a model instance or a format-2 dict."""
    lists = rule_lists(mt)
    vocabularies = meeting_type_vocabularies(mt)
    found: dict[str, list[str]] = {}

    def add(name: str, number: int | None, sentence: str) -> None:
        where = f"{_entry_word(name)}, entry {number}: " if number else ""
        found.setdefault(name, []).append(where + sentence)

    for name, entries in lists.items():
        for n, entry in enumerate(entries, start=1):
            for problem in condition_problems(entry.get("when"), vocabularies):
                add(name, n, problem)
    timing = lists["timing"]
    if not timing:
        add(
            "timing",
            None,
            "Say when the meeting is held: add at least one entry (its last with no condition).",
        )
    late_gate = any(condition_names(g.get("when"), "meeting.requested_late") for g in lists["gates"])
    for n, t in enumerate(timing, start=1):
        earliest, latest = t.get("earliest"), t.get("latest")
        if earliest is not None and latest is not None and latest < earliest:
            add("timing", n, f"The latest day ({latest}) cannot be before the earliest day ({earliest}).")
        if earliest is None and latest is None and t.get("anchor") != Anchor.REQUESTED:
            add("timing", n, "Give the latest day the meeting may be held, counted from the anchor event.")
        if t.get("late_after") is not None and not late_gate:
            add(
                "timing",
                n,
                f"Requests after day {t['late_after']} count as late: add an approval step for late "
                "requests (applies when the meeting was requested late).",
            )
    if timing and all(t.get("when") for t in timing):
        add("timing", None, "Add a last entry with no condition, so every case has a timescale.")
    for n, g in enumerate(lists["gates"], start=1):
        approvers = g.get("approvers") or []
        if not approvers:
            add("gates", n, "Say who approves at this step: add at least one approver.")
        unknown = [a.get("role") for a in approvers if a.get("role") not in VALID_ROLES]
        if unknown:
            add("gates", n, f"Unknown role: {', '.join(map(str, unknown))}.")
        if g.get("need") == "count" and int(g.get("count") or 0) > len(approvers):
            add("gates", n, f"It needs {g.get('count')} approvers but names only {len(approvers)}.")
    for n, c in enumerate(lists["chairs"], start=1):
        unknown = [r for r in c.get("roles") or [] if r not in VALID_ROLES]
        if unknown:
            add("chairs", n, f"Unknown role: {', '.join(map(str, unknown))}.")
    if settings_keys is not None:
        missing = [
            e["setting_key"]
            for e in lists["notifications"]
            if e.get("setting_key") and e["setting_key"] not in settings_keys
        ]
        if missing:
            add("notifications", None, f"The pack has no setting called {', '.join(missing)}.")
    for n, e in enumerate(lists["notifications"], start=1):
        if not e.get("setting_key") and not e.get("recipient_role"):
            add("notifications", n, "Say who is told: a role or a pack setting holding a mailbox.")
    return found


def policy_problems(mt: MeetingType, settings_keys: set[str] | None = None) -> dict[str, str]:
    """Field -> what is wrong, in sentences a policy owner understands. Empty when the policy makes sense.

    `settings_keys`: the pack's setting keys (default: read from the saved pack).
    """
    errors: dict[str, str] = {}
    if settings_keys is None:
        settings_keys = set(mt.pack.settings_dict()) if mt.pack_id else None
    for field, valid, what in (
        ("requester_roles", VALID_ROLES, "role"),
        ("scheduler_roles", VALID_ROLES, "role"),
        ("minutes_approvers", VALID_APPROVERS, "approver"),
    ):
        value = getattr(mt, field) or []
        if not isinstance(value, list):
            errors[field] = f"This must be a list of {what}s."
            continue
        unknown = [v for v in value if v not in valid]
        if unknown:
            errors[field] = f"Unknown {what}: {', '.join(map(str, unknown))}."
    keys = [row.value["key"] for row in mt.triggers]
    if len(keys) != len(set(keys)):
        errors["triggers"] = "Two triggers share a code: each trigger needs its own code."
    if mt.support_tried_required and not mt.support_tried_label:
        errors["support_tried_label"] = "Say what the requester must record about the support tried first."
    if (
        settings_keys is not None
        and mt.share_approved_minutes_with
        and mt.share_approved_minutes_with not in settings_keys
    ):
        errors["share_approved_minutes_with"] = (
            f"The pack has no setting called {mt.share_approved_minutes_with}."
        )
    if not isinstance(mt.rule_references or {}, dict):
        errors["rule_references"] = 'This must be an object of topic: reference, e.g. {"request": "P1"}.'
    for name, sentences in rule_list_problems(mt, settings_keys).items():
        errors[name] = " ".join(sentences)
    return errors
