"""Hooks other apps use without the form builder depending on them.

`submission_submitting` is sent inside the submit transaction, after the submission is marked
submitted. A receiver (the meeting engine: attach a required report, record minutes with their
actions) may raise `SubmissionRefused` with a sentence: the submit is then rolled back, the worker
sees the sentence in the error summary and the draft keeps every answer.
"""

from django.dispatch import Signal

submission_submitting = Signal()  # kwargs: submission (FormSubmission, submitted), by (User)


class SubmissionRefused(Exception):
    """A receiver refuses the submit; str(exc) is shown to the worker."""
