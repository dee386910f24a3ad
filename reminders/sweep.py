"""The daily sweep (issue 13): find what is late or due soon, remind its owner, escalate by the ladder.

Each finding sends one message per step of its ladder, to the step's recipients, when the step's
working days (on the meeting type's calendar) have passed since the thing fell due. The outbox's dedupe
key (kind, thing, due date, step, recipient) makes a second run on the same day send nothing, and a
missed day is caught up on the next run with one message per step reached, never one per day missed.
Nothing is sent on a day that is not a working day on the pack's calendar; the next working day
catches up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from outbox.services import message_queue
from portal.models import User
from workflows import policy as rules_of
from workflows.choices import ACTIVE_ACTION_STATUSES, FINISHED_STATES, ActionStatus, MeetingState
from workflows.deadlines import format_day, is_working_day, working_days_between
from workflows.lateness import BEFORE_MEETING, MINUTES_PENDING, is_due_soon
from workflows.models import Action, Meeting, MeetingReport

from .defaults import DEFAULT_LADDERS, DUE_SOON_WORKING_DAYS
from .models import EscalationLadder, LatenessKind
from .services import message_render

log = logging.getLogger(__name__)

# Late and due soon are workflows.lateness's definitions. A meeting already arranged is not nudged as
# due soon (only late), so the "meeting due" reminder is for those not yet arranged.
NOT_YET_ARRANGED = [MeetingState.REQUESTED, MeetingState.AWAITING_APPROVAL, MeetingState.APPROVED]
OPEN = [s for s in MeetingState if s not in FINISHED_STATES]  # not held (issue 10) is finished too


@dataclass
class Finding:
    kind: str
    key: str  # what it is about, stable across days, e.g. "report:12"
    meeting: Meeting
    due_on: date
    owners: list[User] = field(default_factory=list)
    what: str = ""

    @property
    def calendar(self) -> str:
        return self.meeting.meeting_type.effective_calendar


def ladders() -> dict[tuple[int, str], list[dict]]:
    """Every ladder the policy owners defined, by (meeting type id, kind): read once per sweep."""
    return {(lad.meeting_type_id, lad.kind): lad.steps for lad in EscalationLadder.objects.all()}


def ladder_for(meeting: Meeting, kind: str, defined: dict | None = None) -> list[dict]:
    """The policy owner's ladder for this meeting type and kind, or the shipped default."""
    defined = ladders() if defined is None else defined
    return defined.get((meeting.meeting_type_id, kind)) or DEFAULT_LADDERS[kind]


def due_soon_days(meeting: Meeting) -> int:
    value = meeting.meeting_type.pack.setting("reminder_due_soon_days")
    return int(value) if value.strip().isdigit() else DUE_SOON_WORKING_DAYS


def _due_soon(meeting: Meeting, due_on: date, today: date) -> bool:
    return is_due_soon(due_on, today, due_soon_days(meeting), meeting.meeting_type.effective_calendar)


def _people(*users: User | None) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def meeting_owner(meeting: Meeting) -> list[User]:
    """Who arranges the meeting: the child's allocated social worker, else whoever requested it."""
    return _people(meeting.child.social_worker or meeting.requested_by)


def approvers(meeting: Meeting) -> list[User]:
    """Everyone who may decide on the request now (the same test as the approval queue)."""
    roles = {a["role"] for _gate, approvers in rules_of.missing_approvals(meeting) for a in approvers}
    candidates = User.objects.filter(role__in=roles, is_active=True).select_related("team")
    return [u for u in candidates if rules_of.approver_refusal(meeting, u) is None]


def report_author(report: MeetingReport) -> list[User]:
    """The person in the report's author role: an invited user in that role, else who that role is for
    the child (social worker, supervising social worker, IRO, chair), else the child's social worker."""
    meeting = report.meeting
    invited = [i.user for i in meeting.invitees.all() if i.role == report.author_role and i.user_id]
    if invited:
        return _people(*invited)
    household = getattr(meeting.placement, "carer_household", None)
    by_role = {
        "social_worker": meeting.child.social_worker,
        "supervising_social_worker": household.supervising_social_worker if household else None,
        "iro": meeting.child.iro,
        "chair": meeting.chair,
    }
    return _people(by_role.get(report.author_role) or meeting.child.social_worker or meeting.requested_by)


def _submitted_on(meeting: Meeting) -> date:
    last = meeting.history.filter(target=MeetingState.AWAITING_APPROVAL).order_by("-at", "-pk").first()
    return timezone.localdate(last.at) if last else timezone.localdate(meeting.requested_at)


def _meetings():
    return Meeting.objects.prefetch_related("meeting_type__pack__settings").select_related(
        "meeting_type__pack",
        "child__social_worker__team__manager",
        "child__iro",
        "child__team__manager",
        "requested_by__team__manager",
        "chair__team__manager",
        "placement__carer_household__supervising_social_worker",
    )


def findings(today: date) -> Iterator[Finding]:
    """Everything late or due soon on `today` (a date, never the real clock inside)."""
    for m in _meetings().filter(state__in=BEFORE_MEETING, due_on__isnull=False):
        if "meeting" in m.overdue_parts(today):
            yield Finding(LatenessKind.MEETING_LATE, f"meeting:{m.pk}", m, m.due_on, meeting_owner(m))
        elif m.state in NOT_YET_ARRANGED and _due_soon(m, m.due_on, today):
            yield Finding(LatenessKind.MEETING_DUE, f"meeting:{m.pk}", m, m.due_on, meeting_owner(m))
    for m in _meetings().filter(state=MeetingState.AWAITING_APPROVAL).prefetch_related("approvals"):
        yield Finding(LatenessKind.APPROVAL_WAITING, f"approval:{m.pk}", m, _submitted_on(m), approvers(m))
    reports = list(
        MeetingReport.objects.filter(received_at__isnull=True, due_on__isnull=False, meeting__state__in=OPEN)
    )
    by_pk = _meetings().prefetch_related("invitees__user").in_bulk({r.meeting_id for r in reports})
    for r in reports:
        m = r.meeting = by_pk[r.meeting_id]
        if r.due_on < today:
            yield Finding(LatenessKind.REPORT_LATE, f"report:{r.pk}", m, r.due_on, report_author(r), r.label)
        elif _due_soon(m, r.due_on, today):
            yield Finding(LatenessKind.REPORT_DUE, f"report:{r.pk}", m, r.due_on, report_author(r), r.label)
    for m in _meetings().overdue(today).filter(state__in=MINUTES_PENDING):
        yield Finding(LatenessKind.MINUTES_LATE, f"minutes:{m.pk}", m, m.minutes_due_on, _people(m.chair))
    actions = list(
        Action.objects.filter(status__in=ACTIVE_ACTION_STATUSES, due_on__isnull=False)
        .exclude(meeting__state=MeetingState.CANCELLED)
        .with_overdue(today)
        .select_related("owner__team__manager")
    )
    by_pk = _meetings().in_bulk({a.meeting_id for a in actions})
    for a in actions:
        m = by_pk[a.meeting_id]
        owner = _people(a.owner or m.child.social_worker)
        if a.is_overdue and a.follow_up_key and a.status == ActionStatus.OPEN:
            # A follow-up created at close that nobody has started by its due date (issue 13).
            yield Finding(
                LatenessKind.FOLLOW_UP_NOT_STARTED, f"action:{a.pk}", m, a.due_on, owner, a.description
            )
        elif a.is_overdue:
            yield Finding(LatenessKind.ACTION_OVERDUE, f"action:{a.pk}", m, a.due_on, owner, a.description)
        elif _due_soon(m, a.due_on, today):
            yield Finding(LatenessKind.ACTION_DUE, f"action:{a.pk}", m, a.due_on, owner, a.description)


def _head_of_service(meeting: Meeting) -> tuple[list[User], list[str]]:
    """The user (by username or e-mail) or mailbox named by the pack setting head_of_service."""
    value = meeting.meeting_type.pack.setting("head_of_service").strip()
    if not value:
        return [], []
    user = User.objects.filter(is_active=True).filter(username=value).first() or (
        User.objects.filter(is_active=True, email__iexact=value).first()
    )
    return (_people(user), []) if user else ([], [value] if "@" in value else [])


def step_recipients(finding: Finding, to: str) -> tuple[list[User], list[str]]:
    """(users, bare mailboxes) a ladder step sends to."""
    meeting = finding.meeting
    if to == "owner":
        return finding.owners, []
    if to == "iro":
        return _people(meeting.child.iro), []
    if to == "team_manager":
        managers = [o.team.manager for o in finding.owners if o.team_id and o.team.manager_id]
        if not managers and meeting.child.team_id:
            managers = [meeting.child.team.manager]
        owners = {o.pk for o in finding.owners}
        return [u for u in _people(*managers) if u.pk not in owners], []
    if to == "head_of_service":
        return _head_of_service(meeting)
    return [], []


def _link(meeting: Meeting) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("workflows:meeting_detail", args=[meeting.pk])


def _late_days(finding: Finding, today: date) -> int:
    if finding.kind in (LatenessKind.MEETING_DUE, LatenessKind.REPORT_DUE, LatenessKind.ACTION_DUE):
        return 0
    return working_days_between(finding.due_on, today, finding.calendar)


def finding_send(finding: Finding, today: date, defined: dict | None = None) -> list[OutboxMessage]:
    """Queue every ladder step this finding has reached and not yet sent (the dedupe key sees to that)."""
    elapsed = _late_days(finding, today)
    owner_names = ", ".join(str(o) for o in finding.owners) or "the owner"
    sent: list[OutboxMessage] = []
    for index, step in enumerate(ladder_for(finding.meeting, finding.kind, defined)):
        if elapsed < step["after_working_days"]:
            continue
        users, mailboxes = step_recipients(finding, step["to"])
        event = f"{finding.key}:{finding.due_on:%Y%m%d}:step{index}"
        variables = {
            "owner_name": owner_names,
            "what": finding.what,
            "reference": finding.meeting.reference or "",
            "child_reference": finding.meeting.child.local_reference,
            "due_date": format_day(finding.due_on),
            "working_days_late": str(max(elapsed, 0)),
            "escalated": "yes" if step["to"] != "owner" else "",
            "link": _link(finding.meeting),
        }
        for user in users:
            if not user.email:
                continue
            subject, body = message_render(finding.kind, {**variables, "recipient_name": str(user)})
            sent += message_queue(
                topic=f"reminders.{finding.kind}",
                event=event,
                to=[user.email],
                subject=subject,
                body=body,
                reference=finding.meeting.reference or "",
                users_by_address={user.email: user},
            )
        for mailbox in mailboxes:
            subject, body = message_render(finding.kind, {**variables, "recipient_name": mailbox})
            sent += message_queue(
                topic=f"reminders.{finding.kind}",
                event=event,
                to=[mailbox],
                subject=subject,
                body=body,
                reference=finding.meeting.reference or "",
            )
    for row in sent:
        log.info("Reminder %s (%s) queued for %s", row.topic, row.dedupe_key, row.recipient)
    return sent


def reminders_sweep(*, today: date | None = None) -> list[OutboxMessage]:
    """Run the sweep for `today` (the local date when not given); returns the rows it queued.

    Each finding is queued in its own transaction, so one bad record does not stop the others.
    """
    today = today or timezone.localdate()
    queued: list[OutboxMessage] = []
    defined = ladders()
    for finding in findings(today):
        if not is_working_day(today, finding.calendar):
            continue
        try:
            with transaction.atomic():
                queued += finding_send(finding, today, defined)
        except Exception:
            log.exception("Reminder sweep failed for %s %s", finding.kind, finding.key)
    return queued
