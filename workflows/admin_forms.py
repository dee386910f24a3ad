"""The Wagtail edit form of a meeting-type policy: lists of codes shown as checkboxes, every field with a
plain-words label and help text (issue 9), errors in words."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from portal.choices import Role

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
    "eligibility": (
        "Who it is for",
        "Held when any entry matches the case; with no entries, for every case. Each entry says when it "
        "applies, and what the person asking reads when no entry matches.",
    ),
    "requirement": ("Required, offered or at discretion", "The first entry that matches the case decides."),
    "prerequisites": ("What must come first", "Another meeting that must have been held first."),
    "timing": (
        "When the meeting is held",
        "The first entry that matches the case decides: put specific entries first and end with one "
        "that has no condition.",
    ),
    "gates": (
        "Approval steps",
        "Every step that matches the case applies, and all must agree. One person never fills two steps.",
    ),
    "chairs": (
        "Who may chair",
        "The first entry that matches the case decides: put specific entries first and end with one "
        "that has no condition.",
    ),
    "reports": ("Reports", "Every entry that matches the case applies: who writes it and when it is due."),
    "case_notes": ("Case notes", "The case notes recorded when the meeting closes, and on which record."),
    "notifications": ("Who is told", "Messages sent at each step to a role or a pack mailbox."),
    "not_held": ("Deciding not to hold it", "Who may decide the meeting is not held, and what they record."),
    "linked_meetings": (
        "Meetings it starts",
        "Another meeting started when this one is requested or closes.",
    ),
    "recurrence": ("Review again", "When the meeting is held again."),
    "rule_references": (
        "Procedure paragraphs of the settings above",
        "By topic (request, scheduler, minutes, minutes_due, minutes_approval, contract, notice), e.g. "
        '{"request": "P1"}. Kept in the meeting\'s history; workers never see it.',
    ),
    "exclusions": (
        "Placement types never eligible",
        "Placement types this meeting is never held for, each with the sentence the requester reads.",
    ),
    "minimum_notice_period_days": (
        "Minimum notice an agency must give (days)",
        "Agency contracts should give at least this many days' notice before ending a placement.",
    ),
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
    "calendar": (
        "Bank holidays of",
        "Whose bank holidays working days skip. Leave empty to use the pack's.",
    ),
    "scheduler_roles": ("Who arranges the meeting", "Who books the venue and sends the invitations."),
    "invitees": ("Who is invited", "Each person or role invited, and whether they must be invited."),
    "child_invite_decision_required": (
        "Record whether the child is invited",
        "Tick if whoever arranges the meeting must say whether the child is invited, and why not.",
    ),
    "minutes_form_key": (
        "Minutes form",
        "The form the minutes are written on, by its short name in the forms library, e.g. psm-minutes.",
    ),
    "minutes_due_days": (
        "Minutes due within (working days)",
        "Working days after the meeting by which the chair's minutes are due.",
    ),
    "minutes_approvers": ("Who approves the minutes", "Who may approve the minutes before they go out."),
    "actions_need_owner_due_evaluation": (
        "Each action needs an owner, a date and a check",
        "Tick if every action in the minutes must say who does it, by when and how it will be checked.",
    ),
    "confidentiality_statement": (
        "Confidentiality statement",
        "Printed at the top of the minutes.",
    ),
    "circulation": ("Who always receives the minutes", "Roles the approved minutes always go to."),
    "share_approved_minutes_with": (
        "Also send approved minutes to",
        "A mailbox from the pack's settings, by its short name, e.g. pdm_mailbox. Leave empty for none.",
    ),
    "file_documents": (
        "File the minutes and reports",
        "Tick to file the minutes and reports with the child's documents when the meeting closes.",
    ),
    "follow_ups": ("Follow-up work", "Work created when the meeting closes, who does it and when it is due."),
    "iro_tracks_actions": (
        "The child's IRO tracks the actions",
        "Tick if the independent reviewing officer follows each action to completion.",
    ),
    "outcome_questions": ("Questions the meeting must answer", "Answered before the meeting can close."),
    "quarterly_collation": (
        "Include in the quarterly themes",
        "Tick to count these meetings in each quarter's disruption themes dashboard.",
    ),
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

    requester_roles = _checkboxes(Role.choices)
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
