"""Cancel a meeting (G8). Import it from `workflows.services`."""

from __future__ import annotations

from django.db import transaction

from audit.history import records_actor
from portal.models import User

from .models import Meeting
from .rules import G8, RuleRefusal
from .transitions import enqueue, locked, run_transition, state_refusal


@records_actor
def meeting_cancel(*, meeting: Meeting, by: User, reason: str) -> Meeting:
    """Cancel from any open state, only with a reason (G8)."""
    if not reason.strip():
        raise RuleRefusal(
            G8, "Give the reason for cancelling, for example that the placement has stabilised."
        )
    with transaction.atomic():
        meeting = locked(meeting)
        meeting.cancel_reason = reason.strip()
        if not meeting.is_open:
            raise state_refusal(meeting, "cancel")
        run_transition(meeting, "cancel", by=by, reason=reason.strip())
        enqueue("notify_meeting_cancelled", meeting.pk)
    return meeting
