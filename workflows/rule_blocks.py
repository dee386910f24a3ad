"""The rule lists of a meeting type (issue 10): one StructBlock per kind of rule.

Every entry has `when` (an "applies when" condition; empty = always), `rule` (an optional short
reference such as D3, kept in history and logs) and the entry's payload. Which entries apply (the first
that matches, or every one that matches) is decided by `workflows.policy_engine`; the help text on
each list says which, in words a policy owner reads.
"""

from __future__ import annotations

from wagtail import blocks

from portal.choices import Role, TeamKind

from .choices import AnswerKind, ParticipantRole, ReportTiming, Requirement, TeamScope
from .condition_blocks import ConditionBlock

KEY_REGEX = r"^[a-z0-9_-]+$"
KEY_HELP = "A short name stored with the answer: lower-case letters, digits, - and _."
RULE_HELP = "Optional short reference to the procedure, e.g. D3. Shown in the meeting's history."

ANCHORS = [
    ("concern_raised", "The date the concern was raised"),
    ("notification", "The date the risk was notified"),
    ("placement_ended", "The date the placement ended"),
    ("requested", "The date the meeting was requested"),
    ("decision_made", "The date a decision was recorded"),
    ("order_made", "The date the legal order was made"),
    ("future_event", "A future event (e.g. a panel date), counting back"),
]
UNITS = [
    ("working", "Working days"),
    ("calendar", "Calendar days"),
    ("weeks", "Weeks"),
    ("months", "Calendar months"),
]
DIRECTIONS = [("after", "After the anchor date"), ("before", "Before the anchor date (counting back)")]
ROLLS = [
    ("none", "Do not move it"),
    ("next_working_day", "Move to the next working day"),
    ("previous_working_day", "Move to the previous working day"),
]
REQUIREMENT_LEVELS = [
    ("required", "Required: the meeting must be held"),
    ("offered", "Offered: the meeting is offered"),
    ("discretion", "At the team's discretion"),
]
RELATIONSHIPS = [
    ("any", "Anyone with the role"),
    ("child_team_manager", "A manager of the child's own team"),
    ("carers_supervising_team_manager", "A manager of the carers' supervising team"),
    ("service_team", "Someone from the fostering or residential service looking after the placement"),
    ("head_of_service", "The head of service"),
]
NEEDS = [("all", "All of these approvers"), ("any", "Any one of them"), ("count", "A number of them")]
CHAIR_EXCLUSIONS = [
    ("not_childs_iro", "Not the child's own IRO"),
    ("no_earlier_involvement", "No earlier involvement in the child's case"),
    ("not_case_manager", "Not the person managing the case"),
    ("not_from_team_kinds", "Not from the services named below"),
]
RECORDS = [
    ("child", "The child's record"),
    ("carer_household", "The carer household's record"),
    ("provider", "The provider's record"),
    ("home", "The children's home's record"),
]
EVENTS = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("declined", "Declined"),
    ("scheduled", "Scheduled"),
    ("held", "Held"),
    ("circulated", "Minutes circulated"),
    ("closed", "Closed"),
    ("not_held", "Decided not to hold"),
]
LINK_EVENTS = [("requested", "When this meeting is requested"), ("closed", "When this meeting closes")]
RECURRENCE_UNITS = [("weeks", "Weeks"), ("months", "Calendar months"), ("working", "Working days")]
TEAM_SCOPES = [*TeamScope.choices]


def _when() -> ConditionBlock:
    return ConditionBlock(required=False, help_text="Leave empty for every case.", label="Applies when")


def _rule() -> blocks.CharBlock:
    return blocks.CharBlock(required=False, max_length=20, help_text=RULE_HELP, label="Procedure paragraph")


def _roles(help_text: str, required: bool = True) -> blocks.MultipleChoiceBlock:
    return blocks.MultipleChoiceBlock(choices=Role.choices, required=required, help_text=help_text)


def _days(help_text: str, required: bool = False) -> blocks.IntegerBlock:
    return blocks.IntegerBlock(required=required, min_value=0, help_text=help_text)


class EligibilityEntry(blocks.StructBlock):
    """The meeting is held when any entry matches (no entries: always)."""

    when = _when()
    rule = _rule()
    explanation = blocks.TextBlock(
        required=False, help_text="Shown to the person asking when no entry matches their case."
    )

    class Meta:
        label = "Who it is for"
        label_format = "{explanation}"


class ExclusionEntry(blocks.StructBlock):
    """Every matching exclusion refuses the request; all their messages are shown."""

    when = _when()
    rule = _rule()
    message = blocks.TextBlock(help_text="Shown to the person making the request.")

    class Meta:
        label = "Never held when"
        label_format = "{message}"


class RequirementEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    level = blocks.ChoiceBlock(choices=REQUIREMENT_LEVELS, default="required")

    class Meta:
        label = "Required, offered or at discretion"
        label_format = "{level}"


class PrerequisiteEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    meeting_type_code = blocks.CharBlock(max_length=20, help_text="Code of the meeting that must come first.")
    within_months = blocks.IntegerBlock(
        required=False, min_value=1, help_text="It must have been held in this many months before. Optional."
    )
    message = blocks.TextBlock(help_text="Shown when it has not happened.")

    class Meta:
        label = "Must come first"
        label_format = "{meeting_type_code}: {message}"


class TimingEntry(blocks.StructBlock):
    """When the meeting is held. The first entry that matches the case wins."""

    when = _when()
    rule = _rule()
    anchor = blocks.ChoiceBlock(
        choices=ANCHORS,
        default="concern_raised",
        label="Count the days from",
        help_text="The event the timescale starts from.",
    )
    earliest = blocks.IntegerBlock(
        required=False,
        min_value=0,
        label="Earliest day (counted from the start)",
        help_text="The meeting cannot be held before this many days (or weeks or months) after the start "
        "date. Optional.",
    )
    latest = blocks.IntegerBlock(
        required=False,
        min_value=0,
        label="Latest day (counted from the start)",
        help_text="The meeting must be held within this many days (or weeks or months) of the start date. "
        "Optional.",
    )
    unit = blocks.ChoiceBlock(
        choices=UNITS,
        default="working",
        help_text="Calendar months follow the month-end rule: one month after 31 January is 28 (or 29) "
        "February.",
    )
    direction = blocks.ChoiceBlock(choices=DIRECTIONS, default="after")
    roll = blocks.ChoiceBlock(
        choices=ROLLS,
        default="none",
        help_text="Calendar days, weeks and months only: what happens when a bound falls on a weekend or "
        "bank holiday.",
    )
    hard = blocks.BooleanBlock(
        required=False,
        default=False,
        help_text="Tick if the latest date is a hard limit (a later date is refused). Unticked, it is a "
        "target: a later date is accepted with the reason it is late, and counts as late.",
    )
    late_after = _days(
        "A request made after this many units counts as late (it may need extra approval). Optional."
    )
    explanation = blocks.TextBlock(required=False, help_text="Anything the person arranging should know.")

    class Meta:
        label = "When"
        label_format = "{anchor}: {earliest} to {latest} {unit}"


class ApproverBlock(blocks.StructBlock):
    role = blocks.ChoiceBlock(choices=Role.choices, help_text="The approver's role.")
    relationship = blocks.ChoiceBlock(
        choices=RELATIONSHIPS, default="any", help_text="How they relate to the child or the carers."
    )
    council_role = blocks.CharBlock(
        required=False,
        max_length=60,
        help_text="Optional: a council role from the pack's roles (e.g. head_of_service). Only a person "
        "holding it approves; its built-in role must be the role above.",
    )

    class Meta:
        label = "Approver"
        label_format = "{role} ({relationship})"


class GateEntry(blocks.StructBlock):
    """An approval step. Every gate that matches applies, and all must be satisfied."""

    when = _when()
    rule = _rule()
    name = blocks.CharBlock(max_length=60, help_text="The step's name, e.g. Request approval.")
    approvers = blocks.ListBlock(ApproverBlock(), min_num=1)
    need = blocks.ChoiceBlock(choices=NEEDS, default="any")
    count = blocks.IntegerBlock(required=False, min_value=1, help_text="With 'a number of them': how many.")
    different_people = blocks.BooleanBlock(
        required=False,
        default=True,
        help_text="Tick if someone who decided at another step cannot decide at this one.",
    )
    decline_needs_reason = blocks.BooleanBlock(required=False, default=True)

    class Meta:
        label = "Approval"
        label_format = "{name}"


class ChairEntry(blocks.StructBlock):
    """Who may chair. The first entry that matches the case wins."""

    when = _when()
    rule = _rule()
    roles = _roles("Roles that may chair. Leave empty for any role.", required=False)
    team_kinds = blocks.MultipleChoiceBlock(
        choices=TeamKind.choices, required=False, help_text="Only from these services. Leave empty for any."
    )
    team_scope = blocks.ChoiceBlock(choices=TEAM_SCOPES, default="any")
    prefer_child_team = blocks.BooleanBlock(
        required=False, help_text="Show chairs from the child's own team first (never required)."
    )
    exclude = blocks.MultipleChoiceBlock(choices=CHAIR_EXCLUSIONS, required=False)
    excluded_team_kinds = blocks.MultipleChoiceBlock(
        choices=TeamKind.choices, required=False, help_text="With 'not from the services named below'."
    )
    explanation = blocks.TextBlock(required=False, help_text="Shown when a chair is refused.")

    class Meta:
        label = "Chair"
        label_format = "{explanation}"


class InviteeEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    role = blocks.ChoiceBlock(choices=ParticipantRole.choices, help_text="Who is invited.")
    requirement = blocks.ChoiceBlock(choices=Requirement.choices, default=Requirement.REQUIRED)
    may_attend_part = blocks.BooleanBlock(required=False, help_text="May attend only part of the meeting.")
    note = blocks.CharBlock(required=False, help_text="Anything the person arranging should know.")

    class Meta:
        label = "Invitee"
        label_format = "{role}"


class ReportEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    form_key = blocks.RegexBlock(regex=KEY_REGEX, help_text="The form's short name, e.g. psm-report.")
    label = blocks.CharBlock(help_text="The report's name as workers see it.")
    author_role = blocks.ChoiceBlock(choices=ParticipantRole.choices, help_text="Who writes it.")
    timing = blocks.ChoiceBlock(choices=ReportTiming.choices, default=ReportTiming.BEFORE_MEETING)
    days = _days("Working days before or after the meeting.")

    class Meta:
        label = "Report"
        label_format = "{label}"


class CirculationEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    role = blocks.ChoiceBlock(choices=ParticipantRole.choices, help_text="Who always receives the minutes.")

    class Meta:
        label = "Minutes go to"
        label_format = "{role}"


class CaseNoteEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    record = blocks.ChoiceBlock(choices=RECORDS, default="child")
    note_type = blocks.CharBlock(max_length=150, help_text="The case note type in the case record system.")

    class Meta:
        label = "Case note"
        label_format = "{note_type}"


class FollowUpEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    key = blocks.RegexBlock(regex=KEY_REGEX, help_text=KEY_HELP)
    description = blocks.CharBlock(help_text="The work to do, as the person doing it reads it.")
    owner_role = blocks.ChoiceBlock(choices=ParticipantRole.choices, default=ParticipantRole.SOCIAL_WORKER)
    due_days = blocks.IntegerBlock(min_value=0, default=20, help_text="Working days after closing.")

    class Meta:
        label = "Follow-up"
        label_format = "{description}"


class NotificationEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    event = blocks.ChoiceBlock(choices=EVENTS, default="requested")
    recipient_role = blocks.ChoiceBlock(choices=Role.choices, required=False, help_text="A role, or ...")
    setting_key = blocks.RegexBlock(
        regex=r"^[a-z0-9_]*$", required=False, help_text="... the key of a pack setting holding a mailbox."
    )
    note = blocks.CharBlock(required=False, help_text="What is sent.")

    class Meta:
        label = "Notification"
        label_format = "{note}"


class OutcomeQuestionEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    key = blocks.RegexBlock(regex=KEY_REGEX, help_text=KEY_HELP)
    question = blocks.CharBlock(help_text="The question as the chair reads it.")
    answer_kind = blocks.ChoiceBlock(choices=AnswerKind.choices, default=AnswerKind.YES_NO)
    required = blocks.BooleanBlock(required=False, default=True, help_text="Must be answered to close.")

    class Meta:
        label = "Outcome question"
        label_format = "{question}"


class NotHeldEntry(blocks.StructBlock):
    """A recorded decision not to hold the meeting. The first entry that matches wins."""

    when = _when()
    rule = _rule()
    decided_by_roles = _roles("Who may decide the meeting is not held.")
    reason_required = blocks.BooleanBlock(required=False, default=True)
    document_form_key = blocks.RegexBlock(
        regex=r"^[a-z0-9_-]*$", required=False, help_text="A form that must be completed. Optional."
    )
    explanation = blocks.TextBlock(required=False)

    class Meta:
        label = "Not held"
        label_format = "{explanation}"


class LinkedMeetingEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    meeting_type_code = blocks.CharBlock(max_length=20, help_text="Code of the meeting to start.")
    on_event = blocks.ChoiceBlock(choices=LINK_EVENTS, default="closed")
    note = blocks.CharBlock(required=False)

    class Meta:
        label = "Start another meeting"
        label_format = "{meeting_type_code} ({on_event})"


class RecurrenceEntry(blocks.StructBlock):
    when = _when()
    rule = _rule()
    every = blocks.IntegerBlock(min_value=1)
    unit = blocks.ChoiceBlock(choices=RECURRENCE_UNITS, default="weeks")
    note = blocks.CharBlock(required=False)

    class Meta:
        label = "Review again"
        label_format = "every {every} {unit}"


# list name -> (stream child name, block class, first match?, heading, help)
EVERY = "Every matching entry applies."
FIRST = "The first matching entry decides: put specific ones first."
RULE_LISTS: dict[str, tuple[str, type[blocks.StructBlock], bool, str]] = {
    "eligibility": ("entry", EligibilityEntry, False, "Held when any entry matches; no entries: always."),
    "exclusions": (
        "exclusion",
        ExclusionEntry,
        False,
        "Every match refuses; all messages shown.",
    ),
    "requirement": ("entry", RequirementEntry, True, FIRST),
    "prerequisites": ("prerequisite", PrerequisiteEntry, False, EVERY),
    "timing": ("window", TimingEntry, True, FIRST),
    "gates": ("gate", GateEntry, False, "Every matching gate applies, and all must be satisfied."),
    "chairs": ("chair", ChairEntry, True, FIRST),
    "invitees": (
        "invitee",
        InviteeEntry,
        False,
        EVERY + " A role twice keeps the stricter.",
    ),
    "reports": ("report", ReportEntry, False, EVERY),
    "circulation": ("role", CirculationEntry, False, EVERY),
    "case_notes": ("case_note", CaseNoteEntry, False, EVERY),
    "follow_ups": ("follow_up", FollowUpEntry, False, EVERY),
    "notifications": ("notification", NotificationEntry, False, EVERY),
    "outcome_questions": ("question", OutcomeQuestionEntry, False, EVERY),
    "not_held": ("entry", NotHeldEntry, True, FIRST),
    "linked_meetings": ("link", LinkedMeetingEntry, False, EVERY),
    "recurrence": ("entry", RecurrenceEntry, True, FIRST),
}
FIRST_MATCH = frozenset(name for name, spec in RULE_LISTS.items() if spec[2])
