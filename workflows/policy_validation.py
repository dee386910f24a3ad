"""Checks that a meeting-type policy makes sense, each problem explained in one sentence (Wagtail form,
pack import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.choices import PlacementCategory, Role

from .choices import Anchor, MinutesApprover

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


def policy_problems(mt: MeetingType, settings_keys: set[str] | None = None) -> dict[str, str]:
    """Field -> one sentence a policy owner understands. Empty when the policy makes sense.

    `settings_keys`: the pack's setting keys (default: read from the saved pack).
    """
    errors: dict[str, str] = {}
    if settings_keys is None:
        settings_keys = set(mt.pack.settings_dict()) if mt.pack_id else None
    if mt.earliest_days is not None and mt.latest_days is not None and mt.latest_days < mt.earliest_days:
        errors["latest_days"] = (
            f"The latest day ({mt.latest_days}) cannot be before the earliest day ({mt.earliest_days})."
        )
    if mt.latest_days is None and mt.earliest_days is None and mt.anchor != Anchor.REQUESTED:
        errors["latest_days"] = "Give the latest day the meeting may be held, counted from the anchor event."
    for field, valid, what in (
        ("eligible_categories", VALID_CATEGORIES, "placement type"),
        ("requester_roles", VALID_ROLES, "role"),
        ("approver_roles", VALID_ROLES, "role"),
        ("late_approver_roles", VALID_ROLES, "role"),
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
    if mt.approval_required and not mt.approver_roles:
        errors["approver_roles"] = "Say who approves requests, or untick 'approval required'."
    if mt.late_after_days is not None and not mt.late_approver_roles:
        errors["late_approver_roles"] = (
            f"Requests after day {mt.late_after_days} need approvers: choose at least one role."
        )
    if mt.late_approver_roles and mt.late_after_days is None:
        errors["late_after_days"] = "Say after which day a request counts as late."
    if mt.must_have_ended_unplanned and not mt.must_have_ended:
        errors["must_have_ended"] = (
            "A placement can only have ended unplanned if it has ended: tick this too."
        )
    if mt.anchor == Anchor.PLACEMENT_ENDED and not mt.must_have_ended:
        errors["anchor"] = "Timescales counted from the placement's end need 'must have ended' ticked."
    excluded = {row.value["category"] for row in mt.exclusions}
    both = excluded & set(mt.eligible_categories or [])
    if both:
        errors["exclusions"] = (
            f"{', '.join(category_label(c) for c in sorted(both))} is both eligible and excluded: choose one."
        )
    keys = [row.value["key"] for row in mt.triggers]
    if len(keys) != len(set(keys)):
        errors["triggers"] = "Two triggers share a code: each trigger needs its own code."
    if mt.support_tried_required and not mt.support_tried_label:
        errors["support_tried_label"] = "Say what the requester must record about the support tried first."
    if settings_keys is not None and mt.request_routes:
        missing = [
            r.value["setting_key"] for r in mt.request_routes if r.value["setting_key"] not in settings_keys
        ]
        if missing:
            errors["request_routes"] = f"The pack has no setting called {', '.join(missing)}."
    if (
        settings_keys is not None
        and mt.share_approved_minutes_with
        and mt.share_approved_minutes_with not in settings_keys
    ):
        errors["share_approved_minutes_with"] = (
            f"The pack has no setting called {mt.share_approved_minutes_with}."
        )
    if mt.chair_must_be_independent and not mt.independence_rule:
        errors["independence_rule"] = "Give the rule reference workers see when a chair is refused."
    return errors
