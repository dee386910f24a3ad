"""StreamField blocks holding the list-valued settings of a meeting-type policy (they live in revisions)."""

from wagtail import blocks

from portal.choices import PlacementCategory, Role

from .choices import AnswerKind, MinutesApprover, ParticipantRole, ReportTiming, Requirement, TeamScope

CATEGORY_CHOICES = PlacementCategory.choices
KEY_HELP = "A short name stored with the answer: lower-case letters, digits, - and _."
ROLE_CHOICES = Role.choices


def _categories(help_text: str = "Leave empty for every placement type.") -> blocks.MultipleChoiceBlock:
    return blocks.MultipleChoiceBlock(choices=CATEGORY_CHOICES, required=False, help_text=help_text)


class ExclusionBlock(blocks.StructBlock):
    """A placement type the meeting is never held for, with the message the requester sees (D1)."""

    category = blocks.ChoiceBlock(choices=CATEGORY_CHOICES, help_text="The placement type never eligible.")
    message = blocks.TextBlock(help_text="Shown to the person making the request.")

    class Meta:
        label_format = "{category}"


class TriggerBlock(blocks.StructBlock):
    key = blocks.RegexBlock(
        regex=r"^[a-z0-9_-]+$",
        help_text="A short name stored with each request: lower-case letters, digits, - and _, "
        "e.g. allegation.",
    )
    label = blocks.CharBlock(help_text="What the requester reads and ticks.")

    class Meta:
        label_format = "{label}"


class ChairRuleBlock(blocks.StructBlock):
    """Who may chair for which placement types (P4, B5, D5)."""

    categories = _categories()
    roles = blocks.MultipleChoiceBlock(choices=ROLE_CHOICES, help_text="Roles that may chair.")
    team_scope = blocks.ChoiceBlock(
        choices=TeamScope.choices, default=TeamScope.ANY, help_text="Which team the chair must come from."
    )
    explanation = blocks.CharBlock(
        help_text="Shown when a chair is refused, e.g. 'For an agency placement the chair must be the "
        "social worker's team manager.'"
    )

    class Meta:
        label_format = "{explanation}"


class InviteeBlock(blocks.StructBlock):
    role = blocks.ChoiceBlock(choices=ParticipantRole.choices, help_text="Who is invited.")
    requirement = blocks.ChoiceBlock(
        choices=Requirement.choices, default=Requirement.REQUIRED, help_text="Whether they must be invited."
    )
    categories = _categories()
    may_attend_part = blocks.BooleanBlock(required=False, help_text="May attend only part of the meeting.")
    note = blocks.CharBlock(required=False, help_text="Anything the person arranging should know.")

    class Meta:
        label_format = "{role}"


class RequiredReportBlock(blocks.StructBlock):
    """A form someone must complete for the meeting (P2, P8, D8, B6)."""

    form_key = blocks.RegexBlock(
        regex=r"^[a-z0-9_-]+$", help_text="The form's short name in the forms library, e.g. psm-report."
    )
    label = blocks.CharBlock(help_text="The report's name as workers see it.")
    author_role = blocks.ChoiceBlock(choices=ParticipantRole.choices, help_text="Who writes it.")
    timing = blocks.ChoiceBlock(
        choices=ReportTiming.choices, default=ReportTiming.BEFORE_MEETING, help_text="When it is due."
    )
    days = blocks.IntegerBlock(required=False, min_value=0, help_text="Working days before or after.")
    categories = _categories()

    class Meta:
        label_format = "{label}"


class CirculationBlock(blocks.StructBlock):
    """A role the minutes always go to (P7, D9)."""

    role = blocks.ChoiceBlock(choices=ParticipantRole.choices, help_text="Who receives the minutes.")
    categories = _categories()

    class Meta:
        label_format = "{role}"


class FollowUpBlock(blocks.StructBlock):
    """Work created when the meeting closes, e.g. convene a looked-after review (D11)."""

    key = blocks.RegexBlock(regex=r"^[a-z0-9_-]+$", help_text=KEY_HELP)
    description = blocks.CharBlock(help_text="The work to do, as the person doing it reads it.")
    owner_role = blocks.ChoiceBlock(
        choices=ParticipantRole.choices, default=ParticipantRole.SOCIAL_WORKER, help_text="Who does it."
    )
    due_days = blocks.IntegerBlock(min_value=0, default=20, help_text="Working days after closing.")

    class Meta:
        label_format = "{description}"


class OutcomeQuestionBlock(blocks.StructBlock):
    """A question the meeting must answer before it closes (D10, B7)."""

    key = blocks.RegexBlock(regex=r"^[a-z0-9_-]+$", help_text=KEY_HELP)
    question = blocks.CharBlock(help_text="The question as the chair reads it.")
    answer_kind = blocks.ChoiceBlock(
        choices=AnswerKind.choices, default=AnswerKind.YES_NO, help_text="How it is answered."
    )
    categories = _categories()
    required = blocks.BooleanBlock(required=False, default=True, help_text="Must be answered to close.")

    class Meta:
        label_format = "{question}"


class RouteBlock(blocks.StructBlock):
    """Where a new request is sent: a pack setting holding a mailbox (D4, B2)."""

    setting_key = blocks.RegexBlock(regex=r"^[a-z0-9_]+$", help_text="Key of a pack setting (a mailbox).")
    note = blocks.CharBlock(required=False, help_text="What is sent, e.g. the updated request for placement.")

    class Meta:
        label_format = "{note}"


MINUTES_APPROVER_CHOICES = MinutesApprover.choices
