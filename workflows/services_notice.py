"""A provider's notice on a placement (B3). Import it from `workflows.services`."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import User

from . import policy as rules_of
from .choices import MeetingState
from .models import Meeting, MeetingTransition
from .rules import RuleRefusal
from .transitions import locked


@records_actor
def provider_notice_record(
    *, meeting: Meeting, by: User, given_on: date, immediate_safeguarding_move: bool = False, note: str = ""
) -> Meeting:
    """Record a provider's notice on an agency placement; refused before the meeting is held (B3)
    unless the child must move at once for safeguarding reasons."""
    with transaction.atomic():
        meeting = locked(meeting)
        policy = meeting.policy
        held = meeting.state in {
            MeetingState.HELD,
            MeetingState.MINUTES_DRAFTED,
            MeetingState.MINUTES_APPROVED,
            MeetingState.CIRCULATED,
            MeetingState.CLOSED,
        }
        if (
            policy.no_provider_notice_before_meeting
            and meeting.placement.is_agency
            and not held
            and not immediate_safeguarding_move
        ):
            raise RuleRefusal(rules_of.core_rule(policy, "notice"), _notice_refusal_message(meeting))
        if immediate_safeguarding_move and not note.strip():
            raise RuleRefusal(
                rules_of.core_rule(policy, "notice"),
                "Describe the safeguarding reason for the immediate move.",
            )
        meeting.provider_notice_given_on = given_on
        meeting.immediate_safeguarding_move = immediate_safeguarding_move
        meeting.provider_notice_note = note.strip()
        meeting.save(
            update_fields=["provider_notice_given_on", "immediate_safeguarding_move", "provider_notice_note"]
        )
        MeetingTransition.objects.create(
            meeting=meeting,
            name="provider_notice",
            source=meeting.state,
            target=meeting.state,
            by=by,
            at=timezone.now(),
            reason=("Immediate safeguarding move. " if immediate_safeguarding_move else "") + note.strip(),
        )
    return meeting


def _notice_refusal_message(meeting: Meeting) -> str:
    pack = meeting.meeting_type.pack
    provider = meeting.placement.provider
    contact = pack.setting("buyers_team_leader") or "the buyers' team leader"
    specialist = pack.setting(f"category_specialist_{provider.kind}") if provider else ""
    tail = f" If the provider disputes this, tell {contact}"
    tail += f" or, in their absence, {specialist}." if specialist else "."
    return (
        "The provider cannot give notice before the meeting is held, unless the child must move at once "
        "for safeguarding reasons." + tail
    )
