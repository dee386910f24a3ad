"""StreamField blocks a policy owner builds a form from in Wagtail (one block type per field type)."""

from wagtail import blocks

from .choices import COLUMN_TYPES, FieldType, SectionRole
from .prefill import PREFILL_CHOICES

KEY_HELP = "Short unique name used to store the answer: lower-case letters, digits and underscores."


class FieldBlock(blocks.StructBlock):
    """What every question has: key, label, help text, required, a condition and a prefill source."""

    key = blocks.CharBlock(max_length=60, help_text=KEY_HELP)
    label = blocks.CharBlock(max_length=300)
    help_text = blocks.TextBlock(required=False)
    required = blocks.BooleanBlock(required=False, default=False)
    condition_field = blocks.CharBlock(
        required=False,
        max_length=60,
        help_text="Show this question only when the question with this key has the value below.",
    )
    condition_value = blocks.CharBlock(
        required=False, max_length=200, help_text="For yes/no questions use 'yes' or 'no'."
    )
    prefill = blocks.ChoiceBlock(
        choices=PREFILL_CHOICES, required=False, help_text="Fill in from the case record when started."
    )

    class Meta:
        icon = "form"
        label_format = "{label}"  # the question, not its storage key (issue 9)


class ChoiceFieldBlock(FieldBlock):
    options = blocks.TextBlock(help_text="One option per line.")


class ColumnBlock(blocks.StructBlock):
    key = blocks.CharBlock(max_length=60, help_text=KEY_HELP)
    label = blocks.CharBlock(max_length=200)
    type = blocks.ChoiceBlock(choices=COLUMN_TYPES, default=FieldType.TEXT.value)
    required = blocks.BooleanBlock(required=False, default=False)
    options = blocks.TextBlock(required=False, help_text="For single choice columns: one option per line.")

    class Meta:
        label_format = "{label}"


class RepeatingGroupBlock(FieldBlock):
    columns = blocks.ListBlock(ColumnBlock())
    min_rows = blocks.IntegerBlock(default=0, min_value=0, max_value=50)

    class Meta:
        icon = "table"


class FileFieldBlock(FieldBlock):
    allowed_extensions = blocks.CharBlock(
        default="pdf,docx,odt,txt,jpg,png", help_text="Comma-separated file extensions a worker may upload."
    )
    max_size_mb = blocks.IntegerBlock(default=10, min_value=1, max_value=50)

    class Meta:
        icon = "doc-full"


class FieldsBlock(blocks.StreamBlock):
    text = FieldBlock(label="Text (one line)")
    long_text = FieldBlock(label="Long text")
    date = FieldBlock(label="Date")
    datetime = FieldBlock(label="Date and time")
    number = FieldBlock(label="Number")
    yes_no = FieldBlock(label="Yes or no")
    single_choice = ChoiceFieldBlock(label="Single choice")
    multiple_choice = ChoiceFieldBlock(label="Multiple choice")
    person = FieldBlock(label="Person involved with the child")
    repeating_group = RepeatingGroupBlock(label="Repeating group (table)")
    file = FileFieldBlock(label="File upload")

    class Meta:
        required = False


class SectionBlock(blocks.StructBlock):
    key = blocks.CharBlock(max_length=60, help_text=KEY_HELP)
    heading = blocks.CharBlock(max_length=300)
    guidance = blocks.TextBlock(required=False, help_text="Guidance for the person filling in this section.")
    role = blocks.ChoiceBlock(choices=SectionRole.choices, required=False)
    fields = FieldsBlock()

    class Meta:
        icon = "list-ul"
        label_format = "{heading}"  # the heading, not its storage key such as carers_and_child


class FormBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
