"""Where forms and meetings meet, so that neither app imports the other's internals.

A form started from a meeting page carries the meeting's reference (`?subject=PSM-000123`). When it
is submitted, the form builder sends `submission_submitting` inside its transaction and this module:
- records the meeting's minutes from the pack's minutes form, creating the decisions and the owned,
  timed actions (P6) with the wishes-and-feelings section (G6);
- marks a report the policy requires as received (P2, D8, B6).
A refusal (the meeting is not held yet, say) rolls the submit back; the worker reads the rule and
the sentence, and the draft keeps every answer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from forms_builder.answers import submission_rows
from forms_builder.signals import SubmissionRefused
from portal.models import User

from .models import Meeting
from .rules import RuleRefusal


def meeting_for_subject(*, reference: str, user: User) -> Meeting | None:
    """FORMS_BUILDER_SUBJECT_RESOLVER: the meeting a form is for, if this user may see it (prefill)."""
    from .selectors import meetings_for_user

    return meetings_for_user(user).filter(reference=reference).first()


def _section_text(submission: Any, role: str) -> str:
    section = submission.spec.section_with_role(role)
    if section is None:
        return ""
    answers = submission.data or {}
    parts = []
    for field in section.fields:
        value = answers.get(field.key)
        if isinstance(value, str) and value.strip():
            parts.append(f"{field.label}\n{value.strip()}")
    return "\n\n".join(parts)


def minutes_content(submission: Any) -> dict[str, Any]:
    """The minutes form's answers in the shape `minutes_record` takes."""
    owners = {
        u.pk: u
        for u in User.objects.filter(
            pk__in=[r["owner"] for r in submission_rows(submission, "actions") if r.get("owner")]
        )
    }
    actions = [
        {
            "description": row.get("action") or "",
            "owner": owners.get(row.get("owner")),
            "due_on": row.get("due_on"),
            "evaluation": row.get("evaluation") or "",
        }
        for row in submission_rows(submission, "actions")
        if (row.get("action") or "").strip()
    ]
    decisions = [
        " - ".join(filter(None, [(row.get("decision") or "").strip(), (row.get("made_by") or "").strip()]))
        for row in submission_rows(submission, "decisions")
    ]
    data = submission.data or {}
    return {
        "key_issues": str(data.get("summary") or "").strip(),
        "minutes_text": f"Recorded on form “{submission.definition.title}” (submission {submission.pk}).",
        "wishes_and_feelings": _section_text(submission, "wishes_and_feelings"),
        "decisions": [d for d in decisions if d],
        "actions": actions,
    }


def submission_link_to_meeting(*, submission: Any, by: User) -> Meeting | None:
    """Attach a submitted form to the meeting it was started for (minutes or a required report)."""
    from .services import minutes_record, report_attach

    reference = (submission.subject_reference or "").strip()
    if not reference:
        return None
    meeting = (
        Meeting.objects.select_related("meeting_type")
        .filter(Q(reference=reference), child_id=submission.child_id)
        .first()
    )
    if meeting is None:
        return None
    key = submission.definition.key
    if key == (meeting.policy.minutes_form_key or ""):
        minutes_record(meeting=meeting, by=by, submission_id=submission.pk, **minutes_content(submission))
    report = meeting.reports.filter(form_key=key, received_at__isnull=True).first()
    if report is not None:
        report_attach(report=report, by=by, submission_id=submission.pk)
    return meeting


def on_submission_submitting(sender: Any, *, submission: Any, by: User, **kwargs: Any) -> None:
    try:
        submission_link_to_meeting(submission=submission, by=by)
    except RuleRefusal as refusal:
        raise SubmissionRefused(
            f"This form was not submitted because the meeting refused it: {refusal}. "
            "Your answers are saved as a draft."
        ) from refusal
