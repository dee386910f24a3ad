"""Hooks other apps use without the form builder depending on them.

`submission_submitting` is sent inside the submit transaction, after the submission is marked
submitted. A receiver (the meeting engine: attach a required report, record minutes with their
actions) may raise `SubmissionRefused` with a sentence: the submit is then rolled back, the worker
sees the sentence in the error summary and the draft keeps every answer.

`submission_write_check` is sent by the services before a form is started, saved or submitted (and
by screens deciding whether to offer the link). A receiver returns a sentence when this user may not
write this form for its subject (only the chair or minute taker writes a meeting's minutes; only a
report's author role writes the report), or None. The services raise `SubmissionForbidden` with it.

`subject_people` is sent when a form is built: a receiver returns the extra people a person question
offers for the subject (a meeting's chair and invitees): users, or `(value, label)` pairs for people
without an account (value ``"name:<name>"``).
"""

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal

submission_submitting = Signal()  # kwargs: submission (FormSubmission, submitted), by (User)
submission_write_check = Signal()  # kwargs: definition_key, child, subject_reference, user, step
subject_people = Signal()  # kwargs: child, placement, subject_reference


class SubmissionRefused(Exception):
    """A receiver refuses the submit; str(exc) is shown to the worker."""


class SubmissionForbidden(PermissionDenied):
    """This user may not write this form for its subject; str(exc) is a plain sentence (403)."""
