"""StreamField blocks holding the list-valued settings of a meeting-type policy (they live in revisions)."""

from wagtail import blocks

from portal.choices import PlacementCategory, Role

from .choices import AnswerKind, MinutesApprover, ParticipantRole, ReportTiming, Requirement, TeamScope

CATEGORY_CHOICES = PlacementCategory.choices
ROLE_CHOICES = Role.choices


def _categories(help_text: str = "Leave empty for every placement type.") -> blocks.MultipleChoiceBlock:
    return blocks.MultipleChoiceBlock(choices=CATEGORY_CHOICES, required=False, help_text=help_text)


class ExclusionBlock(blocks.StructBlock):
    """A placement type the meeting is never held for, with the message the requester sees (D1)."""

    category = blocks.ChoiceBlock(choices=CATEGORY_CHOICES)
    message = blocks.TextBlock(help_text="Shown to the person making the request.")


class TriggerBlock(blocks.StructBlock):
    key = blocks.RegexBlock(regex=r"^[a-z0-9_-]+$", help_text="Short code, e.g. allegation.")
    label = blocks.CharBlock(help_text="What the requester reads.")


class ChairRuleBlock(blocks.StructBlock):
    """Who may chair for which placement types (P4, B5, D5)."""

    categories = _categories()
    roles = blocks.MultipleChoiceBlock(choices=ROLE_CHOICES, help_text="Roles that may chair.")
    team_scope = blocks.ChoiceBlock(choices=TeamScope.choices, default=TeamScope.ANY)
    explanation = blocks.CharBlock(
        help_text="Shown when a chair is refused, e.g. 'For an agency placement the chair must be the "
        "social worker's team manager.'"
    )


class InviteeBlock(blocks.StructBlock):
    role = blocks.ChoiceBlock(choices=ParticipantRole.choices)
    requirement = blocks.ChoiceBlock(choices=Requirement.choices, default=Requirement.REQUIRED)
    categories = _categories()
    may_attend_part = blocks.BooleanBlock(required=False, help_text="May attend only part of the meeting.")
    note = blocks.CharBlock(required=False)


class RequiredReportBlock(blocks.StructBlock):
    """A form someone must complete for the meeting (P2, P8, D8, B6)."""

    form_key = blocks.RegexBlock(regex=r"^[a-z0-9_-]+$", help_text="The form's key in the forms library.")
    label = blocks.CharBlock()
    author_role = blocks.ChoiceBlock(choices=ParticipantRole.choices)
    timing = blocks.ChoiceBlock(choices=ReportTiming.choices, default=ReportTiming.BEFORE_MEETING)
    days = blocks.IntegerBlock(required=False, min_value=0, help_text="Working days before or after.")
    categories = _categories()


class CirculationBlock(blocks.StructBlock):
    """A role the minutes always go to (P7, D9)."""

    role = blocks.ChoiceBlock(choices=ParticipantRole.choices)
    categories = _categories()


class FollowUpBlock(blocks.StructBlock):
    """Work created when the meeting closes, e.g. convene a looked-after review (D11)."""

    key = blocks.RegexBlock(regex=r"^[a-z0-9_-]+$")
    description = blocks.CharBlock()
    owner_role = blocks.ChoiceBlock(choices=ParticipantRole.choices, default=ParticipantRole.SOCIAL_WORKER)
    due_days = blocks.IntegerBlock(min_value=0, default=20, help_text="Working days after closing.")


class OutcomeQuestionBlock(blocks.StructBlock):
    """A question the meeting must answer before it closes (D10, B7)."""

    key = blocks.RegexBlock(regex=r"^[a-z0-9_-]+$")
    question = blocks.CharBlock()
    answer_kind = blocks.ChoiceBlock(choices=AnswerKind.choices, default=AnswerKind.YES_NO)
    categories = _categories()
    required = blocks.BooleanBlock(required=False, default=True)


class RouteBlock(blocks.StructBlock):
    """Where a new request is sent: a pack setting holding a mailbox (D4, B2)."""

    setting_key = blocks.RegexBlock(regex=r"^[a-z0-9_]+$", help_text="Key of a pack setting (a mailbox).")
    note = blocks.CharBlock(required=False, help_text="What is sent, e.g. the updated request for placement.")


MINUTES_APPROVER_CHOICES = MinutesApprover.choices
