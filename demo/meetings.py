"""A few demo meetings in different states, made only through the meeting engine's services.

Runs only when the procedure packs are loaded (`manage.py load_packs`) and skips any meeting the child
already has, so it is idempotent. A rule that refuses a step is reported and the meeting is left in the
state it reached: the engine, not the demo, has the last word.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from demo import people
from portal import dates
from portal.choices import InvolvementRole, PlacementCategory
from portal.models import Child, User
from workflows import policy as rules_of
from workflows import services
from workflows.choices import ParticipantRole
from workflows.models import Meeting, MeetingType
from workflows.participants import eligible_chairs, invitee_suggestions
from workflows.policy import required_gates
from workflows.rules import RuleRefusal

from .children import ChildPlan

LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class DemoMeeting:
    code: str
    scenario: str  # the nth child of this scenario (in plan order) ...
    nth: int
    goal: str  # requested | awaiting_approval | approved | scheduled | cancelled
    triggers: tuple[str, ...] = ()


DEMO_MEETINGS = (
    DemoMeeting("DM", "dm_due", 0, "requested"),
    DemoMeeting("DM", "dm_due", 1, "scheduled"),
    DemoMeeting("DM", "dm_due", 2, "awaiting_approval"),
    DemoMeeting("DM", "dm_late", 0, "awaiting_approval"),
    DemoMeeting("PSM", "fragile", 0, "awaiting_approval", ("carers_struggling",)),
    DemoMeeting("PSM", "fragile", 1, "scheduled", ("relationship", "needs_not_met")),
    DemoMeeting("BPM", "fragile", 2, "awaiting_approval", ("risk_of_breakdown",)),
    DemoMeeting("PSM", "agency_fostering", 0, "cancelled", ("child_wants_end",)),
)
RESIDENTIAL = {"in_house_residential", "agency_residential"}
SUPPORT_TRIED = "Extra supervising social worker visits, weekend respite and a school support plan."


def _placement_for(child: Child, code: str):
    """DM: the permanent placement that ended unplanned; PSM/BPM: the current one."""
    placements = child.placements.order_by("-start_date")
    if code == "DM":
        return placements.filter(is_permanent=True, ended_unplanned=True).first()
    return placements.filter(end_date=None).first()


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def demo_meetings_load(*, plans: list[ChildPlan], today: date) -> list[str]:
    """Create the demo meetings that don't exist yet. Returns lines describing what happened."""
    types = {mt.code: mt for mt in MeetingType.objects.filter(live=True).select_related("pack")}
    if not types:
        return ["No published meeting types: run `manage.py load_packs` first to add demo meetings."]
    by_scenario: dict[str, list[ChildPlan]] = {}
    for plan in plans:
        by_scenario.setdefault(plan.scenario, []).append(plan)
    lines = []
    for spec in DEMO_MEETINGS:
        meeting_type = types.get(spec.code)
        candidates = by_scenario.get(spec.scenario, [])
        if meeting_type is None or spec.nth >= len(candidates):
            continue
        child = Child.objects.select_related("social_worker", "team__manager").get(
            local_reference=candidates[spec.nth].reference
        )
        if Meeting.objects.filter(child=child, meeting_type__code=spec.code).exists():
            continue
        placement = _placement_for(child, spec.code)
        if placement is None:
            continue
        try:
            with transaction.atomic():
                reached = _drive(services, spec, meeting_type, child, placement, today)
            lines.append(f"{spec.code} for {child} ({child.local_reference}): {reached}")
        except RuleRefusal as refusal:
            lines.append(f"{spec.code} for {child}: not created ({refusal})")
    return lines


def _drive(services, spec: DemoMeeting, meeting_type, child: Child, placement, today: date) -> str:
    worker = child.social_worker
    meeting = services.meeting_request(
        meeting_type=meeting_type,
        child=child,
        placement=placement,
        by=worker,
        concern_raised_on=today - timedelta(days=1) if spec.code == "PSM" else None,
        concern_raised_by=str(worker) if spec.code == "PSM" else "",
        notified_on=today - timedelta(days=1) if spec.code == "BPM" else None,
        triggers=list(spec.triggers),
        support_tried=SUPPORT_TRIED,
        request_details="Demo request: the concerns are summarised in the case notes.",
        requested_at=datetime.combine(today, time(9, 0), tzinfo=LONDON),
    )
    if spec.goal == "requested":
        return "requested (the social worker still has to send it)"
    if spec.goal == "cancelled":
        services.meeting_cancel(
            meeting=meeting, by=worker, reason="The placement stabilised after a week of respite."
        )
        return "cancelled with a reason"
    for report in meeting.reports.filter(timing="with_request"):
        services.report_attach(report=report, by=worker)
    meeting = services.meeting_submit(meeting=meeting, by=worker)
    if spec.goal == "awaiting_approval":
        return meeting.get_state_display().lower()
    if meeting.state == "awaiting_approval":
        approver = _approver(meeting)
        if approver is None:
            return meeting.get_state_display().lower()
        meeting = services.meeting_approve(meeting=meeting, by=approver, note="Agreed: go ahead.")
    if spec.goal == "approved" or meeting.state != "approved":
        return meeting.get_state_display().lower()
    return _schedule(services, meeting, worker, today)


def _approver(meeting) -> User | None:
    manager = meeting.child.team.manager if meeting.child.team_id else None
    candidates = [manager] if manager else []

    roles = {role for _gate, gate_roles, _every in required_gates(meeting) for role in gate_roles}
    candidates += list(User.objects.filter(role__in=roles).order_by("username"))
    return next((u for u in candidates if u and rules_of.approver_refusal(meeting, u) is None), None)


def _schedule(services, meeting, worker: User, today: date) -> str:
    chair = next((c.user for c in eligible_chairs(meeting) if c.eligible), None)
    if chair is None:
        return "approved (no eligible chair to schedule with)"
    day = max(meeting.earliest_on or today, _next_working_day(today))
    if day.weekday() >= 5:
        day = _next_working_day(day)
    if meeting.due_on and day > meeting.due_on:
        return "approved (too late in its window to schedule in the demo)"
    invitees = invitees_for(meeting)
    meeting = services.meeting_schedule(
        meeting=meeting,
        by=worker,
        chair=chair,
        scheduled_for=datetime.combine(day, time(10, 0), tzinfo=LONDON),
        venue="Harrowvale House, meeting room 2",
        child_invited=False,
        child_invite_reason="The child meets the chair beforehand; their views are in the report.",
        invitees=invitees,
        arranged_at=datetime.combine(today, time(9, 30), tzinfo=LONDON),  # the demo's "today"
    )
    return f"scheduled for {dates.day_with_weekday(day)} with {chair} in the chair"


def invitees_for(meeting) -> list[dict]:
    """Everyone the policy suggests inviting who is known; a required person not yet known is recorded
    as not invited with the reason."""
    staff = _demo_staff_for(meeting)
    invitees: list[dict] = []
    for row in invitee_suggestions(meeting):
        if row["role"] in {"child", "chair"}:
            continue
        person = None if row["user"] else staff.get(row["role"])
        if person is not None:  # the arranger knows who does this job here (issue 13)
            row = {**row, "user": person, "name": str(person), "email": person.email}
        if row["name"] or row["user"]:
            invitees.append({**row, "attendance": "invited"})
        elif row["requirement"] == "required":
            invitees.append(
                {
                    **row,
                    "name": row["role_label"],
                    "attendance": "not_invited",
                    "not_invited_reason": "Not known yet: the social worker is finding out.",
                }
            )
    if meeting.placement.category in RESIDENTIAL:  # the home's manager and the service, where helpful
        named = {row["role"] for row in invitees}
        for role in ("residential_key_worker", "home_manager", "service_manager"):
            person = staff.get(role)
            if person is not None and role not in named:
                invitees.append(
                    {
                        "role": role,
                        "name": str(person),
                        "user": person,
                        "email": person.email,
                        "requirement": "where_helpful",
                        "attendance": "invited",
                    }
                )
    return invitees


def _demo_staff_for(meeting) -> dict[str, User]:
    """The demo staff the person arranging the meeting would invite for the roles the case record does
    not name: the child's current key worker and home manager (their involvements), the manager of the
    service looking after the placement, the buyers' team leader and a minute taker. So each of those
    demo logins is invited through `meeting_schedule` and finds the real notification (issue 13)."""
    involved = {
        inv.role: inv.user
        for inv in meeting.child.involvements.filter(
            role__in=[InvolvementRole.KEY_WORKER, InvolvementRole.HOME_MANAGER], end_date=None
        ).select_related("user")
        if inv.user_id
    }
    category = meeting.placement.category
    service = (
        "residential"
        if category in {PlacementCategory.IN_HOUSE_RESIDENTIAL, PlacementCategory.AGENCY_RESIDENTIAL}
        else "kinship"
        if category == PlacementCategory.CONNECTED_PERSON
        else "fostering"
    )
    wanted = {
        ParticipantRole.RESIDENTIAL_KEY_WORKER: involved.get(InvolvementRole.KEY_WORKER),
        ParticipantRole.HOME_MANAGER: involved.get(InvolvementRole.HOME_MANAGER),
        ParticipantRole.SERVICE_MANAGER: people.TEAM_MANAGERS.get(service),
        ParticipantRole.BUYER: "buyer",
        ParticipantRole.MINUTE_TAKER: "minute-taker",
    }
    names = [v for v in wanted.values() if isinstance(v, str)]
    users = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    found = {role: users.get(v) if isinstance(v, str) else v for role, v in wanted.items()}
    return {role: user for role, user in found.items() if user is not None}
