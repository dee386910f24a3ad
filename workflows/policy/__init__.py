"""The rule kinds of the engine, reading their values from a meeting's stored decision (issue 10) or a
meeting type's published revision. Imported as `rules_of` (`from workflows import policy as rules_of`).

Every check returns a `RuleRefusal` (rule ID + sentence) or None; services raise what they get. One
module per concern (issue 15):

| module | holds |
| --- | --- |
| `decision` | the stored decision and its readers (invitees, reports...), labels, relationships |
| `requests` | who may request, what a request must hold (D1, B1, P1) |
| `timing` | anchor date, window, lateness, meeting date, report due dates (G2, P3, D2, D3, B1) |
| `gates` | approval gates, who may decide, the "waiting for ..." words (P2, B1, D3) |
| `chairs` | who may chair, independence (P4, B5, D5) |
| `checks` | the checks behind each transition, the warnings on a meeting |

This package's names are the interface callers use; each module imports its siblings directly, never
this file, so there is no import cycle.
"""

from .chairs import (
    chair_candidate_roles,
    chair_exclusion,
    chair_is_preferred,
    chair_must_be_independent,
    chair_refusal,
    chair_rules_for,
    independence_conflict,
    independence_conflicts,
)
from .checks import meeting_flags, minutes_approver_refusal, schedule_refusal, transition_refusal
from .decision import (
    FOSTERING_CATEGORIES,
    RESIDENTIAL_CATEGORIES,
    _default_timing,
    _fmt,
    case_decision,
    case_notes_for,
    case_snapshot,
    category_label,
    circulation_roles_for,
    circulation_rule,
    core_rule,
    follow_ups_for,
    invitees_for,
    local_date,
    manages_carers_team,
    manages_childs_team,
    meeting_decision,
    meeting_reports_for,
    notifications_for,
    outcome_questions_for,
    participant_label,
    policy_anchors,
    reports_for,
    role_label,
)
from .gates import (
    RELATIONSHIP_WORDS,
    _gate_rule,
    approver_council_role_holds,
    approver_gates,
    approver_refusal,
    approver_words,
    decline_needs_reason,
    describe_missing,
    gate_key,
    gate_label,
    is_head_of_service,
    missing_approvals,
    relationship_holds,
    required_gates,
    waiting_for,
)
from .requests import (
    decision_refusal,
    eligibility_refusal,
    request_details_refusal,
    request_details_refusals,
    requester_refusal,
)
from .timing import (
    ANCHOR_FIELDS,
    ANCHOR_LABELS,
    UNIT_WORDS,
    Window,
    anchor_date,
    meeting_date_refusal,
    meeting_window,
    report_due,
    request_is_late,
    timing_is_late,
    timing_window,
)

__all__ = [
    "ANCHOR_FIELDS",
    "ANCHOR_LABELS",
    "FOSTERING_CATEGORIES",
    "RELATIONSHIP_WORDS",
    "RESIDENTIAL_CATEGORIES",
    "UNIT_WORDS",
    "Window",
    "_default_timing",  # read by workflows.services and the procedure pages
    "_fmt",  # read by workflows.services
    "_gate_rule",  # read by workflows.services
    "anchor_date",
    "approver_council_role_holds",
    "approver_gates",
    "approver_refusal",
    "approver_words",
    "case_decision",
    "case_notes_for",
    "case_snapshot",
    "category_label",
    "chair_candidate_roles",
    "chair_exclusion",
    "chair_is_preferred",
    "chair_must_be_independent",
    "chair_refusal",
    "chair_rules_for",
    "circulation_roles_for",
    "circulation_rule",
    "core_rule",
    "decision_refusal",
    "decline_needs_reason",
    "describe_missing",
    "eligibility_refusal",
    "follow_ups_for",
    "gate_key",
    "gate_label",
    "independence_conflict",
    "independence_conflicts",
    "invitees_for",
    "is_head_of_service",
    "local_date",
    "manages_carers_team",
    "manages_childs_team",
    "meeting_date_refusal",
    "meeting_decision",
    "meeting_flags",
    "meeting_reports_for",
    "meeting_window",
    "minutes_approver_refusal",
    "missing_approvals",
    "notifications_for",
    "outcome_questions_for",
    "participant_label",
    "policy_anchors",
    "relationship_holds",
    "report_due",
    "reports_for",
    "request_details_refusal",
    "request_details_refusals",
    "request_is_late",
    "requester_refusal",
    "required_gates",
    "role_label",
    "schedule_refusal",
    "timing_is_late",
    "timing_window",
    "transition_refusal",
    "waiting_for",
]
