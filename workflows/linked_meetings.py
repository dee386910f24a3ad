"""Linked meetings (issue 10): a meeting type's decision can start other meeting types when a meeting is
requested or closed. `paths.links_enqueue` queues the start after commit; `linked_meetings_start` (the task)
requests each one through the normal `meeting_request`, and `linked_meetings_of` shows them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.models import User

from .models import Meeting, MeetingTransition, MeetingType
from .not_held import decision_of
from .policy import local_date
from .rules import RuleRefusal
from .selectors import meetings_for_user
from .services import meeting_request


def _event_day(meeting: Meeting, event: str) -> date:
    if event == "closed" and meeting.closed_at:
        return local_date(meeting.closed_at)
    return local_date(meeting.requested_at)


def _record_on(meeting: Meeting, name: str, reason: str) -> None:
    MeetingTransition.objects.create(
        meeting=meeting,
        name=name,
        source=meeting.state,
        target=meeting.state,
        by=None,
        at=timezone.now(),
        reason=reason,
    )


def _chain_type_ids(meeting: Meeting) -> set[int]:
    """The meeting types of this meeting and of every meeting it was linked from (at most 50 back)."""
    found: set[int] = set()
    current: Meeting | None = meeting
    for _ in range(50):
        if current is None:
            break
        found.add(current.meeting_type_id)
        current = current.linked_from
    return found


def linked_meetings_start(meeting_id: int, event: str) -> list[Meeting]:
    """Start each linked meeting type the decision names for `event`, once (issue 10).

    Same pack, same child and placement, requested by the original requester through the normal
    `meeting_request` (so every rule of the linked type applies), its timescale counted from the day of
    the event. A linked type that cannot be started is recorded on the original meeting with the reason.
    """
    meeting = Meeting.objects.select_related("meeting_type__pack", "child", "placement", "requested_by").get(
        pk=meeting_id
    )
    started: list[Meeting] = []
    for entry in decision_of(meeting).get("linked_meetings") or []:
        if entry.get("on_event") != event:
            continue
        code = entry.get("meeting_type_code") or ""
        linked_type = MeetingType.objects.filter(pack_id=meeting.meeting_type.pack_id, code=code).first()
        if linked_type is None:
            _record_on(meeting, "link_refused", f"The linked meeting type {code} is not in this pack.")
            continue
        if Meeting.objects.filter(linked_from=meeting, meeting_type=linked_type).exists():
            continue
        if event == "requested" and linked_type.pk in _chain_type_ids(meeting):
            _record_on(
                meeting,
                "link_refused",
                f"{linked_type.name} was not started: it is already in this chain of linked requests, so "
                "starting it again on request would never end.",
            )
            continue
        day = _event_day(meeting, event)
        known = {
            row.value["key"]
            for row in (linked_type.live_revision.as_object().triggers if linked_type.live_revision else [])
        }
        try:
            with transaction.atomic():
                linked = meeting_request(
                    meeting_type=linked_type,
                    child=meeting.child,
                    placement=meeting.placement,
                    by=meeting.requested_by,
                    concern_raised_on=day,
                    concern_raised_by=meeting.concern_raised_by,
                    notified_on=day,
                    triggers=[t for t in meeting.triggers or [] if t in known],
                    support_tried=meeting.support_tried,
                    request_details=(
                        f"Started by {meeting.reference} ({meeting.meeting_type.name}) when it was {event}."
                        + (f" {entry['note']}" if entry.get("note") else "")
                    ),
                    linked_from=meeting,
                    send=True,
                )
        except RuleRefusal as refusal:
            _record_on(meeting, "link_refused", f"{linked_type.name} could not be started: {refusal.message}")
            continue
        _record_on(meeting, "link_started", f"Started {linked.reference} ({linked_type.name}).")
        started.append(linked)
    return started


def linked_meetings_of(meeting: Meeting, user: User) -> dict[str, Any]:
    """The meeting this one was started from and the ones it started, as far as `user` may see them."""
    if not meeting.linked_from_id and getattr(meeting, "starts_meetings", None) is False:
        return {"linked_from": None, "linked": []}  # meeting_for_user read that none links to it
    visible = meetings_for_user(user)
    return {
        "linked_from": visible.filter(pk=meeting.linked_from_id).first() if meeting.linked_from_id else None,
        "linked": list(visible.filter(linked_from_id=meeting.pk).order_by("requested_at", "pk")),
    }
