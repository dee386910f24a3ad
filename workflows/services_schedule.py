"""Schedule a meeting and record it held (G3, P3, P8, D2, B8): the chair, the invitees the policy asks
for, the reports due before it, the minutes deadline. Import them from `workflows.services`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal import dates
from portal.models import User

from . import policy as rules_of
from .choices import Attendance, MeetingState, ParticipantRole, ReportTiming, Requirement
from .deadlines import deadline_compute
from .models import Invitee, Meeting
from .participants import invitee_suggestions
from .rules import G3, G6, RuleRefusal
from .transitions import enqueue, locked, run_transition, state_refusal


def _required_invitee_refusal(meeting: Meeting, invitees: list[Invitee]) -> RuleRefusal | None:
    roles = {i.role for i in invitees}
    for spec in rules_of.invitees_for(meeting):
        role = spec["role"]
        if spec["requirement"] != Requirement.REQUIRED or role in {
            ParticipantRole.CHILD,
            ParticipantRole.CHAIR,
        }:
            continue
        if role not in roles:
            return RuleRefusal(
                spec.get("rule") or "",
                f"Invite the {rules_of.participant_label(role).lower()}, "
                "or add them as not invited with a reason.",
            )
    return None


@records_actor
def meeting_schedule(
    *,
    meeting: Meeting,
    by: User,
    chair: User,
    scheduled_for: datetime,
    venue: str,
    child_invited: bool | None,
    child_invite_reason: str,
    invitees: Iterable[dict[str, Any]] = (),
    late_reason: str = "",
    arranged_at: datetime | None = None,
) -> Meeting:
    """Set chair, date, venue and invitations; refuse a chair or date the policy forbids.

    Rules: P3/D2/B1 (window), P4/B5/D5 (chair), P5/D6/B8 (invitees), D7 (who arranges), D8 (report due
    dates), G6 (child's invitation decided with a reason).

    Dates (P3, D2, B1): never in the past (before `arranged_at`, now by default; loaders of past
    records pass the moment they stand in), never before the anchor or the earliest day; after the
    latest day only with `late_reason`, which is kept on the meeting and in its history, and the
    meeting is flagged `after_deadline` (its deadline does not move, so it still counts as late).

    `invitees`: dicts with name, role, and optionally user, email, requirement, attendance ("invited"
    or "not_invited"), not_invited_reason, part_only. They replace earlier invitations.
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state not in {MeetingState.APPROVED, MeetingState.SCHEDULED}:
            raise state_refusal(meeting, "schedule")
        policy = meeting.policy
        if policy.scheduler_roles and by.role not in policy.scheduler_roles and by.pk != chair.pk:
            who = " or ".join(rules_of.role_label(r).lower() for r in policy.scheduler_roles)
            raise RuleRefusal(rules_of.core_rule(policy, "scheduler"), f"The {who} arranges this meeting.")
        if child_invited is not None and not child_invite_reason.strip():
            raise RuleRefusal(G6, "Record why the child is or is not invited.", field="child_invite_reason")
        day = rules_of.local_date(scheduled_for)
        if day < rules_of.local_date(arranged_at or timezone.now()):
            raise RuleRefusal(
                policy_timing_rule(meeting),
                "The date of the meeting must be today or in the future.",
                field="day",
            )
        refusal = rules_of.meeting_date_refusal(meeting, day, late_reason=late_reason)
        if refusal:
            raise refusal
        after_deadline = bool(meeting.due_on and day > meeting.due_on)
        meeting.late_reason = late_reason.strip() if after_deadline else ""
        meeting.after_deadline = after_deadline
        meeting.chair = chair
        meeting.scheduled_for = scheduled_for
        meeting.venue = venue
        meeting.child_invited = child_invited
        meeting.child_invite_reason = child_invite_reason.strip()
        rows = [_invitee_from(meeting, spec) for spec in invitees]
        if child_invited and not any(r.role == ParticipantRole.CHILD for r in rows):
            rows.append(Invitee(meeting=meeting, name=meeting.child.full_name, role=ParticipantRole.CHILD))
        if child_invited is False and not any(r.role == ParticipantRole.CHILD for r in rows):
            rows.append(
                Invitee(
                    meeting=meeting,
                    name=meeting.child.full_name,
                    role=ParticipantRole.CHILD,
                    attendance=Attendance.NOT_INVITED,
                    not_invited_reason=child_invite_reason.strip(),
                )
            )
        for row in rows:
            if row.attendance == Attendance.NOT_INVITED and not row.not_invited_reason.strip():
                raise RuleRefusal(G3, f"Say why {row.name} is not invited.")
        refusal = _required_invitee_refusal(meeting, rows)
        if refusal:
            raise refusal
        rows += _notified_rows(meeting, rows)
        reason = f"{dates.moment(scheduled_for)}, {venue}"
        if after_deadline:
            reason += (
                f". After the latest date the procedure allows ({rules_of._fmt(meeting.due_on)}, "
                f"{(rules_of.meeting_decision(meeting).timing or {}).get('rule') or 'timescale'}): "
                f"{meeting.late_reason}"
            )
        run_transition(meeting, "schedule", by=by, reason=reason)
        meeting.invitees.all().delete()
        Invitee.objects.bulk_create(rows)
        meeting_on = rules_of.local_date(scheduled_for)
        for report in meeting.reports.exclude(timing=ReportTiming.WITH_REQUEST):
            spec = {"timing": report.timing, "days": _report_days(meeting, report.form_key)}
            report.due_on, report.due_explanation = rules_of.report_due(
                policy, spec, requested_on=rules_of.local_date(meeting.requested_at), meeting_on=meeting_on
            )
            report.save(update_fields=["due_on", "due_explanation"])
        enqueue("notify_meeting_scheduled", meeting.pk)
    return meeting


def _notified_rows(meeting: Meeting, rows: list[Invitee]) -> list[Invitee]:
    """People the policy says are always told about the meeting (e.g. the IRO, B8), added when known."""
    present = {r.role for r in rows}
    added = []
    for s in invitee_suggestions(meeting):
        if s["requirement"] == Requirement.NOTIFY and s["role"] not in present and (s["user"] or s["email"]):
            added.append(
                Invitee(
                    meeting=meeting,
                    user=s["user"],
                    name=s["name"],
                    email=s["email"],
                    role=s["role"],
                    requirement=Requirement.NOTIFY,
                )
            )
    return added


def _report_days(meeting: Meeting, form_key: str) -> int:
    for entry in rules_of.meeting_reports_for(meeting):
        if entry["form_key"] == form_key:
            return entry.get("days") or 0
    return 0


def _invitee_from(meeting: Meeting, spec: dict[str, Any]) -> Invitee:
    user = spec.get("user")
    return Invitee(
        meeting=meeting,
        user=user,
        name=spec.get("name") or (str(user) if user else ""),
        email=spec.get("email") or (user.email if user else ""),
        role=spec["role"],
        requirement=spec.get("requirement", Requirement.REQUIRED),
        attendance=spec.get("attendance", Attendance.INVITED),
        not_invited_reason=spec.get("not_invited_reason", ""),
        part_only=bool(spec.get("part_only", False)),
    )


def policy_timing_rule(meeting: Meeting) -> str:
    return (rules_of.meeting_decision(meeting).timing or {}).get("rule") or G3


@records_actor
def meeting_record_held(
    *, meeting: Meeting, by: User, held_at: datetime | None = None, attendance: dict[int, str] | None = None
) -> Meeting:
    """Record that the meeting took place and who came; start the chair's minutes clock (G3, P8).

    `attendance` maps invitee id to "present", "apologies", "did_not_attend" or "not_invited".
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.SCHEDULED:
            raise state_refusal(meeting, "record_held")
        held_at = held_at or meeting.scheduled_for or timezone.now()
        for invitee in meeting.invitees.all():
            value = (attendance or {}).get(invitee.pk)
            if value is None:
                continue
            if value not in Attendance.values:
                raise RuleRefusal(G3, f"Unknown attendance for {invitee.name}.")
            if value == Attendance.NOT_INVITED and not invitee.not_invited_reason.strip():
                raise RuleRefusal(G3, f"Say why {invitee.name} was not invited.")
            invitee.attendance = value
            invitee.save(update_fields=["attendance"])
        meeting.held_at = held_at
        held_on = rules_of.local_date(held_at)
        if meeting.anchor_on and held_on < meeting.anchor_on:
            raise RuleRefusal(
                policy_timing_rule(meeting),
                f"The meeting cannot have been held before {rules_of._fmt(meeting.anchor_on)}, "
                "the date its timescale counts from.",
                field="held_day",
            )
        if meeting.due_on and held_on > meeting.due_on:
            meeting.after_deadline = True  # held late stays late, whatever the arrangements said (P3, D2)
        policy = meeting.policy
        if policy.minutes_due_days is not None:
            d = deadline_compute(
                anchor=rules_of.local_date(held_at),
                days=policy.minutes_due_days,
                unit="working",
                direction="after",
                calendar=policy.effective_calendar,
            )
            meeting.minutes_due_on, meeting.minutes_due_explanation = d.due, d.explain()
        run_transition(meeting, "record_held", by=by)
    return meeting
