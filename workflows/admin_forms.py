"""The Wagtail edit form of a meeting-type policy: lists of codes shown as checkboxes, every field with a
plain-words label and help text (issue 9), errors in words."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from portal.choices import PlacementCategory, Role

from .choices import MinutesApprover

RULE_REFERENCE_HELP = (
    "The paragraph of your written procedure this setting comes from, e.g. P3. It is kept in the "
    "meeting's history so anyone can trace a decision back to the procedure; workers never see it."
)

# Field name -> (label, help text). Policy owners read these, so no codes and no jargon.
POLICY_FIELD_TEXT: dict[str, tuple[str, str]] = {
    "pack": ("Procedure pack", "The council's set of procedures this meeting type belongs to."),
    "code": ("Short code", "A few capital letters used in meeting references, e.g. PSM."),
    "name": ("Name", "The meeting's name as workers see it, e.g. Placement stability meeting."),
    "summary": ("Summary", "One paragraph: what the meeting is for. Shown when a worker chooses a meeting."),
    "procedure_page": (
        "Procedure page",
        "The written procedure for this meeting. Workers see its sections beside each step.",
    ),
    "eligibility_rule": ("Procedure paragraph for who qualifies", RULE_REFERENCE_HELP),
    "eligible_categories": (
        "Placement types that qualify",
        "Tick the kinds of placement this meeting can be held for. Leave all unticked for every kind.",
    ),
    "must_be_permanent": (
        "Only permanent placements",
        "Tick if the meeting is only for placements agreed as the child's permanent home.",
    ),
    "must_have_ended": (
        "Only placements that have ended",
        "Tick if the meeting is held after the placement ended, e.g. a disruption meeting.",
    ),
    "must_have_ended_unplanned": (
        "Only placements that ended without a plan",
        "Tick if the placement must have ended in an unplanned way (it broke down).",
    ),
    "exclusions": (
        "Placement types never eligible",
        "Placement types this meeting is never held for, each with the sentence the requester reads.",
    ),
    "contract_rule": ("Procedure paragraph for agency contracts", RULE_REFERENCE_HELP),
    "minimum_notice_period_days": (
        "Minimum notice an agency must give (days)",
        "Agency contracts should give at least this many days' notice before ending a placement.",
    ),
    "request_rule": ("Procedure paragraph for who may ask", RULE_REFERENCE_HELP),
    "requester_roles": (
        "Who may ask for the meeting",
        "Leave all unticked to let anyone involved with the child ask.",
    ),
    "requester_must_be_childs_social_worker": (
        "Only the child's own social worker may ask",
        "Tick if the request must come from the social worker allocated to the child.",
    ),
    "triggers": (
        "Reasons for asking",
        "The reasons a requester can tick, e.g. an allegation or carers asking for the child to move.",
    ),
    "support_tried_required": (
        "Requester must describe support already tried",
        "Tick if the request must say what support was tried before asking for the meeting.",
    ),
    "support_tried_label": (
        "Question about support already tried",
        "The question the requester answers, e.g. 'What support has been offered to the carers?'",
    ),
    "routing_rule": ("Procedure paragraph for where requests go", RULE_REFERENCE_HELP),
    "request_routes": (
        "Where a new request is sent",
        "Mailboxes (pack settings) that receive a copy of each new request.",
    ),
    "approval_rule": ("Procedure paragraph for approval", RULE_REFERENCE_HELP),
    "approval_required": (
        "A manager must approve the request",
        "Untick if the meeting can be arranged as soon as it is requested.",
    ),
    "approver_roles": ("Who may approve", "Any one of these roles may approve a request."),
    "approver_from_child_team": (
        "Approver must manage the child's team",
        "Tick if only a manager of the child's own team may approve.",
    ),
    "decline_needs_reason": (
        "A refusal needs a reason",
        "Tick if the approver must write why they declined, so the requester knows.",
    ),
    "late_rule": ("Procedure paragraph for late requests", RULE_REFERENCE_HELP),
    "late_after_days": (
        "A request is late after (days)",
        "Days after the start date (the anchor below) after which a request counts as late and needs "
        "the extra approvers. Leave empty if requests are never late.",
    ),
    "late_approver_roles": (
        "Who must agree to a late request",
        "Every one of these roles must agree to a late request.",
    ),
    "timing_rule": ("Procedure paragraph for timescales", RULE_REFERENCE_HELP),
    "anchor": (
        "Count the days from",
        "The event the timescale starts from, e.g. the date the concern was raised.",
    ),
    "earliest_days": (
        "Earliest day (days after the start)",
        "The meeting may not be held before this many days after the start date. Leave empty for no "
        "earliest day.",
    ),
    "latest_days": (
        "Latest day (days after the start)",
        "The meeting must be held within this many days of the start date, e.g. 5 means within 5 days "
        "of the concern being raised.",
    ),
    "unit": ("Count in", "Working days skip weekends and bank holidays; calendar days count every day."),
    "calendar": (
        "Bank holidays of",
        "Whose bank holidays working days skip. Leave empty to use the pack's.",
    ),
    "scheduler_rule": ("Procedure paragraph for arranging the meeting", RULE_REFERENCE_HELP),
    "scheduler_roles": ("Who arranges the meeting", "Who books the venue and sends the invitations."),
    "chair_rule": ("Procedure paragraph for who chairs", RULE_REFERENCE_HELP),
    "chair_rules": (
        "Who may chair",
        "Which roles may chair for which placement types, and the sentence shown when a chair is refused.",
    ),
    "prefer_child_team": (
        "Prefer a chair from the child's team",
        "Tick to suggest chairs from the child's own team first.",
    ),
    "independence_rule": ("Procedure paragraph for an independent chair", RULE_REFERENCE_HELP),
    "chair_must_be_independent": (
        "The chair must be independent",
        "Tick if the chair must not manage or work with the child or the carers.",
    ),
    "invitee_rule": ("Procedure paragraph for who is invited", RULE_REFERENCE_HELP),
    "invitees": ("Who is invited", "Each person or role invited, and whether they must be invited."),
    "child_invite_decision_required": (
        "Record whether the child is invited",
        "Tick if whoever arranges the meeting must say whether the child is invited, and why not.",
    ),
    "report_rule": ("Procedure paragraph for reports", RULE_REFERENCE_HELP),
    "required_reports": (
        "Reports needed",
        "Forms someone must complete for the meeting, who writes each and when it is due.",
    ),
    "minutes_rule": ("Procedure paragraph for minutes", RULE_REFERENCE_HELP),
    "minutes_form_key": (
        "Minutes form",
        "The form the minutes are written on, by its short name in the forms library, e.g. psm-minutes.",
    ),
    "minutes_due_rule": ("Procedure paragraph for when minutes are due", RULE_REFERENCE_HELP),
    "minutes_due_days": (
        "Minutes due within (working days)",
        "Working days after the meeting by which the chair's minutes are due.",
    ),
    "minutes_approval_rule": ("Procedure paragraph for approving minutes", RULE_REFERENCE_HELP),
    "minutes_approvers": ("Who approves the minutes", "Who may approve the minutes before they go out."),
    "actions_need_owner_due_evaluation": (
        "Each action needs an owner, a date and a check",
        "Tick if every action in the minutes must say who does it, by when and how it will be checked.",
    ),
    "confidentiality_statement": (
        "Confidentiality statement",
        "Printed at the top of the minutes.",
    ),
    "circulation_rule": ("Procedure paragraph for sending the minutes", RULE_REFERENCE_HELP),
    "circulation": ("Who always receives the minutes", "Roles the approved minutes always go to."),
    "share_approved_minutes_with": (
        "Also send approved minutes to",
        "A mailbox from the pack's settings, by its short name, e.g. pdm_mailbox. Leave empty for none.",
    ),
    "case_note_type": (
        "Case note type",
        "The type of case note recorded on the child's file when the meeting closes.",
    ),
    "file_documents": (
        "File the minutes and reports",
        "Tick to file the minutes and reports with the child's documents when the meeting closes.",
    ),
    "follow_up_rule": ("Procedure paragraph for follow-up work", RULE_REFERENCE_HELP),
    "follow_ups": ("Follow-up work", "Work created when the meeting closes, who does it and when it is due."),
    "iro_tracks_actions": (
        "The child's IRO tracks the actions",
        "Tick if the independent reviewing officer follows each action to completion.",
    ),
    "outcome_rule": ("Procedure paragraph for the outcome", RULE_REFERENCE_HELP),
    "outcome_questions": ("Questions the meeting must answer", "Answered before the meeting can close."),
    "quarterly_collation": (
        "Include in the quarterly themes",
        "Tick to count these meetings in each quarter's disruption themes dashboard.",
    ),
    "notice_rule": ("Procedure paragraph for notice to providers", RULE_REFERENCE_HELP),
    "no_provider_notice_before_meeting": (
        "No notice to the provider before the meeting",
        "Tick if an agency may not be given notice to end the placement before the meeting is held.",
    ),
}


def _checkboxes(choices: list[tuple[str, str]], help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=help_text
    )


class MeetingTypeForm(WagtailAdminModelForm):
    """JSON list fields edited as checkboxes; `MeetingType.clean()` explains any inconsistency."""

    eligible_categories = _checkboxes(PlacementCategory.choices)
    requester_roles = _checkboxes(Role.choices)
    approver_roles = _checkboxes(Role.choices)
    late_approver_roles = _checkboxes(Role.choices)
    scheduler_roles = _checkboxes(Role.choices)
    minutes_approvers = _checkboxes([*MinutesApprover.choices, *Role.choices])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            label, help_text = POLICY_FIELD_TEXT.get(name, (None, None))
            if label:
                field.label = label
            if help_text:
                field.help_text = help_text
