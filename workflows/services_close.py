"""Close a meeting: the outcome questions, the follow-ups the pack defines, and filing (D10, D11, G5).
Import it from `workflows.services`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import User

from . import policy as rules_of
from .actions import actions_opened
from .choices import MeetingState, ParticipantRole
from .deadlines import add_working_days
from .models import Action, Meeting
from .paths import after_close
from .transitions import enqueue, locked, run_transition, state_refusal
from .vocabularies import pack_terms


def _owner_for(meeting: Meeting, role: str) -> User | None:
    child = meeting.child
    if role == ParticipantRole.SOCIAL_WORKER:
        return child.social_worker
    if role == ParticipantRole.IRO:
        return child.iro
    if role == ParticipantRole.CHAIR:
        return meeting.chair
    if role == ParticipantRole.SOCIAL_WORKER_MANAGER and child.team_id:
        return child.team.manager
    return None


@records_actor
def meeting_close(*, meeting: Meeting, by: User, outcome_answers: dict[str, Any] | None = None) -> Meeting:
    """Answer the outcome questions (D10) and close; create follow-ups (D11), each a task with its own
    due date; then, after commit, add the case note and file the minutes and reports (G5)."""
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.CIRCULATED:
            raise state_refusal(meeting, "close")
        if outcome_answers:
            meeting.outcome_answers = {**meeting.outcome_answers, **outcome_answers}
        meeting.closed_at = timezone.now()
        run_transition(meeting, "close", by=by)
        policy = meeting.policy
        today = timezone.localdate()

        review = pack_terms(meeting.meeting_type.pack)["looked_after_review"]  # the council's word (issue 10)
        follow_ups = []
        for spec in rules_of.follow_ups_for(meeting):
            owner = _owner_for(meeting, spec["owner_role"])
            follow_ups.append(
                Action.objects.create(
                    meeting=meeting,
                    child_id=meeting.child_id,
                    description=spec["description"],
                    owner=owner,
                    owner_name="" if owner else rules_of.participant_label(spec["owner_role"]),
                    due_on=add_working_days(
                        today, spec.get("due_days") or 0, calendar=policy.effective_calendar
                    ),
                    evaluation=f"Recorded at the child's next {review}.",
                    follow_up_key=spec["key"],
                )
            )
        actions_opened(follow_ups, by=by, note="Follow-up created when the meeting closed.")
        enqueue("meeting_file_records", meeting.pk)
        after_close(meeting)  # recurrence and linked meetings (issue 10)
    return meeting
