"""Choices of the form builder: kinds of form, field types, submission states, prefill sources."""

from django.db import models


class FormKind(models.TextChoices):
    REPORT = "report", "Report"
    REQUEST = "request", "Request"
    MINUTES = "minutes", "Minutes"


class FieldType(models.TextChoices):
    TEXT = "text", "Text (one line)"
    LONG_TEXT = "long_text", "Long text"
    DATE = "date", "Date"
    DATETIME = "datetime", "Date and time"
    NUMBER = "number", "Number"
    YES_NO = "yes_no", "Yes or no"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    PERSON = "person", "Person involved with the child"
    REPEATING_GROUP = "repeating_group", "Repeating group (table of rows)"
    FILE = "file", "File upload"


# Column types a repeating group may hold (no nested groups, no uploads inside rows).
COLUMN_TYPES = [
    (FieldType.TEXT.value, FieldType.TEXT.label),
    (FieldType.LONG_TEXT.value, FieldType.LONG_TEXT.label),
    (FieldType.DATE.value, FieldType.DATE.label),
    (FieldType.NUMBER.value, FieldType.NUMBER.label),
    (FieldType.YES_NO.value, FieldType.YES_NO.label),
    (FieldType.SINGLE_CHOICE.value, FieldType.SINGLE_CHOICE.label),
    (FieldType.PERSON.value, FieldType.PERSON.label),
]


class SectionRole(models.TextChoices):
    """Marks sections other parts of the system look for (G6: the child's wishes and feelings)."""

    NONE = "", "None"
    WISHES_AND_FEELINGS = "wishes_and_feelings", "Child's wishes and feelings (G6)"
    DECISIONS_AND_ACTIONS = "decisions_and_actions", "Decisions and actions (P6)"
    ATTENDANCE = "attendance", "Attendance"
    SIGN_OFF = "sign_off", "Sign-off"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class ReportStatus(models.TextChoices):
    """What a meeting page shows for a report the meeting type requires."""

    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    LATE = "late", "Late"
