"""Policy decisions in the stored shape of docs/rules-as-data.md (version 1), for the alternative-path
tests (issue 10): the lists the paths read, every other list empty."""

from __future__ import annotations

from typing import Any


def decision(**parts: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "version": 1,
        "eligible": True,
        "refusals": [],
        "requirement": None,
        "prerequisites": [],
        "timing": None,
        "gates": [],
        "chair": None,
        "invitees": [],
        "reports": [],
        "circulation": [],
        "case_notes": [],
        "follow_ups": [],
        "notifications": [],
        "outcome_questions": [],
        "not_held": None,
        "linked_meetings": [],
        "recurrence": None,
    }
    return {**base, **parts}


def not_held(
    roles=("team_manager",), *, reason_required=True, document_form_key="", rule="NH1", explanation=""
) -> dict:
    return {
        "decided_by_roles": list(roles),
        "reason_required": reason_required,
        "document_form_key": document_form_key,
        "explanation": explanation,
        "rule": rule,
        "because": "",
    }


def set_decision(meeting, **parts: Any):
    """Store a decision on a meeting as `meeting_request` would (until the evaluator does it)."""
    meeting.decision = decision(**parts)
    meeting.save(update_fields=["decision"])
    return meeting


def pack_type(**lists: list[dict]) -> dict[str, Any]:
    """A format-2 meeting type holding only the given rule lists (entries as a pack file writes them)."""
    return {"code": "TEST", "name": "Test meeting", "triggers": [], **lists}


def evaluated(meeting, **lists: list[dict]):
    """Evaluate pack entries on the meeting's own fact snapshot with the one evaluator
    (`policy_evaluate`) and store the decision, as `meeting_request` does."""
    from workflows.fact_snapshot import fact_snapshot
    from workflows.policy_engine import all_conditions, policy_evaluate

    meeting_type = pack_type(**lists)
    snapshot = fact_snapshot(
        child=meeting.child,
        placement=meeting.placement,
        anchor_on=meeting.anchor_on or meeting.requested_at.date(),
        meeting=meeting,
        conditions=all_conditions(meeting_type),
    )
    meeting.decision = policy_evaluate(meeting_type, snapshot).as_json()
    meeting.save(update_fields=["decision"])
    return meeting


def council(slug: str, changes: dict[str, dict], *, copies: dict[str, tuple[str, str, dict]] | None = None):
    """A fictional council's pack, loaded through `pack_load` from the county pack file with its meeting
    types' rule lists changed (`changes`: code -> lists) and copies of types added (`copies`: new code ->
    (source code, name, lists)). Nothing but pack data differs from the county."""
    import copy

    from workflows.packs import pack_load

    from .factories import pack_data

    data = copy.deepcopy(pack_data("county"))
    data.update(slug=slug, name=f"{slug.title()} procedures", council_name=f"{slug.title()} Council")
    types = data["meeting_types"]
    for mt in types:
        mt.update(changes.get(mt["code"], {}))
    for code, (source, name, lists) in (copies or {}).items():
        base = copy.deepcopy(next(mt for mt in types if mt["code"] == source))
        types.append({**base, "code": code, "name": name, **lists})
    return pack_load(data)
