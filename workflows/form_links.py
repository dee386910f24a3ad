"""Where forms and meetings meet, so that neither app imports the other's internals.

A form started from a meeting page carries the meeting's reference (`?subject=PSM-000123`).
- Who may write it (`meeting_form_refusal`, one definition used by the form services and by the
  meeting page's links): the meeting's minutes only by its chair or minute taker, while the minutes
  can be recorded; a report the policy requires only by a holder of its author role (P6, P9, D13, B6).
- Who a person question offers (`meeting_people`): the chair and the invitees, on top of the people
  involved with the child, so every action can have an owner (P6).
- When it is submitted, the form builder sends `submission_submitting` inside its transaction and this
  module records the meeting's minutes (decisions and the owned, timed actions, P6, with the
  wishes-and-feelings section, G6) or marks the required report received (P2, D8, B6), only for the
  report whose author role the submitter holds.
A refusal (the meeting is not held yet, say) rolls the submit back; the worker reads the sentence,
and the draft keeps every answer.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import Q
from django.utils import timezone

from forms_builder.answers import person_without_account, submission_rows
from forms_builder.signals import SubmissionRefused
from portal.choices import InvolvementRole
from portal.models import User
from portal.selectors import user_is_read_only

from . import policy as rules_of
from .choices import Attendance, MeetingState, ParticipantRole
from .models import Meeting, MeetingReport
from .not_held import not_held_document_refusal, not_held_path
from .permissions import may_write_minutes
from .rules import RuleRefusal
from .selectors import meetings_for_user
from .services import minutes_record, report_attach

logger = logging.getLogger(__name__)

MINUTES_STATES = {MeetingState.HELD, MeetingState.MINUTES_DRAFTED}

# Involvements with the child that make someone the holder of a meeting participant role.
INVOLVEMENT_FOR_ROLE = {
    ParticipantRole.SOCIAL_WORKER: InvolvementRole.SOCIAL_WORKER,
    ParticipantRole.SUPERVISING_SOCIAL_WORKER: InvolvementRole.SUPERVISING_SOCIAL_WORKER,
    ParticipantRole.IRO: InvolvementRole.IRO,
    ParticipantRole.RESIDENTIAL_KEY_WORKER: InvolvementRole.KEY_WORKER,
    ParticipantRole.HOME_MANAGER: InvolvementRole.HOME_MANAGER,
}


def meeting_for_subject(*, reference: str, user: User) -> Meeting | None:
    """FORMS_BUILDER_SUBJECT_RESOLVER: the meeting a form is for, if this user may see it (prefill)."""
    meeting = meetings_for_user(user).filter(reference=reference).first()
    if meeting is not None:
        meeting.attendance_rows = attendance_rows(meeting)
    return meeting


def attendance_rows(meeting: Meeting) -> list[dict[str, str]]:
    """G3: who was invited and whether they came, as recorded when the meeting was held, for the
    minutes' attendance table (name, role, attendance). Attendance not yet recorded is left blank."""
    labels = {
        Attendance.PRESENT: "Present",
        Attendance.APOLOGIES: "Apologies",
        Attendance.DID_NOT_ATTEND: "Did not attend",
        Attendance.NOT_INVITED: "Not invited",
    }
    rows = []
    for invitee in meeting.invitees.select_related("user").order_by("pk"):
        attendance = labels.get(invitee.attendance, "")
        if invitee.part_only and invitee.attendance == Attendance.PRESENT:
            attendance = "Part of the meeting"
        rows.append(
            {
                "name": invitee.name or (str(invitee.user) if invitee.user_id else ""),
                "role": invitee.get_role_display(),
                "attendance": attendance,
            }
        )
    return rows


def meeting_for_form(*, child_id: Any, reference: str) -> Meeting | None:
    """The meeting of this child a form names as its subject (not scoped: used for the checks)."""
    reference = (reference or "").strip()
    if not reference or not child_id:
        return None
    return (
        Meeting.objects.select_related(
            "meeting_type", "child", "child__team", "placement", "placement__carer_household", "chair"
        )
        .filter(Q(reference=reference), child_id=child_id)
        .first()
    )


def role_holders(meeting: Meeting, role: str) -> set[int]:
    """Who holds a participant role for this meeting: from the case record (the child's social worker
    and IRO, the team manager, the carers' supervising social worker, the chair), from a current
    involvement with the child, or by being invited in that role."""
    child = meeting.child
    holders: set[int | None] = set()
    if role == ParticipantRole.SOCIAL_WORKER:
        holders.add(child.social_worker_id)
    elif role == ParticipantRole.IRO:
        holders.add(child.iro_id)
    elif role == ParticipantRole.CHAIR:
        holders.add(meeting.chair_id)
    elif role == ParticipantRole.SOCIAL_WORKER_MANAGER and child.team_id:
        holders.add(child.team.manager_id)
    elif role == ParticipantRole.SUPERVISING_SOCIAL_WORKER:
        household = meeting.placement.carer_household if meeting.placement.carer_household_id else None
        holders.add(household.supervising_social_worker_id if household else None)
    involvement = INVOLVEMENT_FOR_ROLE.get(role)
    if involvement:
        today = timezone.localdate()
        if _prefetched(child, "involvements"):  # the meeting page reads them once for every report
            holders |= {
                i.user_id
                for i in child.involvements.all()
                if i.role == involvement and (i.end_date is None or i.end_date >= today)
            }
        else:
            holders |= set(
                child.involvements.filter(role=involvement)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                .values_list("user_id", flat=True)
            )
    if _prefetched(meeting, "invitees"):
        holders |= {i.user_id for i in meeting.invitees.all() if i.role == role}
    else:
        holders |= set(
            meeting.invitees.filter(role=role, user__isnull=False).values_list("user_id", flat=True)
        )
    return {pk for pk in holders if pk}


def _prefetched(instance: Any, relation: str) -> bool:
    return relation in getattr(instance, "_prefetched_objects_cache", {})


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def meeting_form_refusal(*, meeting: Meeting, form_key: str, user: User, step: str = "start") -> str | None:
    """Why this user may not write this form for this meeting, as a sentence; None when they may.

    The one definition behind the form services (start, save, submit) and the meeting page's links:
    minutes only by the chair or minute taker, and started only while minutes can be recorded;
    a required report only by a holder of its author role.
    """
    if user_is_read_only(user):
        return "Your role can read every record but not write forms."
    policy = meeting.policy
    if policy.minutes_form_key and form_key == policy.minutes_form_key:
        if not may_write_minutes(meeting, user):
            return "Only the chair or the minute taker of this meeting can write its minutes."
        if step == "start" and meeting.state not in MINUTES_STATES:
            if meeting.held_at is None and meeting.state != MeetingState.CANCELLED:
                return "The minutes can be written once the meeting has been recorded as held."
            return "The minutes of this meeting can no longer be changed."
        return None
    reports = [r for r in meeting.reports.all() if r.form_key == form_key]
    if not reports:
        if form_key and form_key == (not_held_path(meeting) or {}).get("document_form_key"):
            return not_held_document_refusal(meeting, user, step=step)  # issue 10
        return "This form is not one this meeting asks for."
    if any(user.pk in role_holders(meeting, r.author_role) for r in reports):
        return None
    who = " or the ".join(
        dict.fromkeys(_lower_first(rules_of.participant_label(r.author_role)) for r in reports)
    )
    return f"Only the {who} can write the {_lower_first(reports[0].label)} for this meeting."


def meeting_people(meeting: Meeting) -> list[Any]:
    """Whom a person question offers for this meeting besides the people involved with the child: the
    chair and everyone invited (P5, D6, B8), people without an account by name and role. Not the
    child, nor those deliberately not invited."""
    people: list[Any] = [meeting.chair] if meeting.chair_id else []
    for invitee in meeting.invitees.select_related("user"):
        if invitee.attendance == Attendance.NOT_INVITED or invitee.role == ParticipantRole.CHILD:
            continue
        if invitee.user_id:
            people.append(invitee.user)
        elif invitee.name.strip():
            label = f"{invitee.name.strip()} ({_lower_first(invitee.get_role_display())})"[:190]
            people.append((f"name:{label}", label))
    return people


def on_subject_people(sender: Any, *, child: Any, subject_reference: str, **kwargs: Any) -> list[Any]:
    meeting = meeting_for_form(child_id=child.pk, reference=subject_reference)
    return meeting_people(meeting) if meeting is not None else []


def on_submission_write_check(
    sender: Any,
    *,
    definition_key: str,
    child: Any,
    subject_reference: str,
    user: User,
    step: str,
    **kwargs: Any,
) -> str | None:
    meeting = meeting_for_form(child_id=child.pk, reference=subject_reference)
    if meeting is None:
        return None
    return meeting_form_refusal(meeting=meeting, form_key=definition_key, user=user, step=step)


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
    """The minutes form's answers in the shape `minutes_record` takes (owners: a user, or the name
    of an invitee without an account)."""
    typed = submission_rows(submission, "actions")
    raw = [r for r in ((submission.data or {}).get("actions") or []) if isinstance(r, dict)]
    owners = {u.pk: u for u in User.objects.filter(pk__in=[r["owner"] for r in typed if r.get("owner")])}
    actions = []
    for i, row in enumerate(typed):
        if not (row.get("action") or "").strip():
            continue
        owner = owners.get(row.get("owner"))
        owner_name = "" if owner else person_without_account(raw[i].get("owner") if i < len(raw) else "")
        actions.append(
            {
                "description": row.get("action") or "",
                "owner": owner,
                "owner_name": owner_name[:200],
                "due_on": row.get("due_on"),
                "evaluation": row.get("evaluation") or "",
            }
        )
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
    """Attach a submitted form to the meeting it was started for (minutes or a required report).

    Checked again here (the services check too): someone who may not write the form for this meeting
    changes nothing, and a report is received only from a holder of its author role."""
    meeting = meeting_for_form(child_id=submission.child_id, reference=submission.subject_reference)
    if meeting is None:
        return None
    key = submission.definition.key
    refusal = meeting_form_refusal(meeting=meeting, form_key=key, user=by, step="submit")
    if refusal:
        raise SubmissionRefused(refusal)
    if key == (meeting.policy.minutes_form_key or ""):
        minutes_record(meeting=meeting, by=by, submission_id=submission.pk, **minutes_content(submission))
    reports: list[MeetingReport] = [
        r
        for r in meeting.reports.filter(form_key=key, received_at__isnull=True)
        if by.pk in role_holders(meeting, r.author_role)
    ]
    if reports:
        report_attach(report=reports[0], by=by, submission_id=submission.pk)
    return meeting


def on_submission_submitting(sender: Any, *, submission: Any, by: User, **kwargs: Any) -> None:
    try:
        submission_link_to_meeting(submission=submission, by=by)
    except RuleRefusal as refusal:
        # The rule ID goes to the log; the worker reads the sentence only.
        logger.info(
            "Submission %s refused by meeting rule %s: %s", submission.pk, refusal.rule, refusal.message
        )
        raise SubmissionRefused(
            f"This form was not submitted because the meeting refused it: {refusal.message.rstrip('.')}. "
            "Your answers are saved as a draft."
        ) from refusal
