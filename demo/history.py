"""Months of demo history, so every dashboard has something real to show on first sign-in.

Each story is a meeting taken through the workflows services step by step, each step run on the day it
would have happened (`demo_clock`): the engine applies every rule as of that day and writes its history,
deadlines and timestamps as a real meeting on those days would have them. Minutes are recorded with
`minutes_record`, the service the minutes form submits to, with decisions and actions whose owners are
demo staff; some actions are then marked done, some are left open and some are overdue.

Stories are keyed by child and meeting type and skipped when the child already has that meeting, so a
second run adds nothing. A rule that refuses a step is reported and the meeting stays where it got to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.db import transaction

from portal import dates
from portal.choices import InvolvementRole
from portal.models import Child, User
from workflows import policy as rules_of
from workflows import services
from workflows.choices import MeetingState
from workflows.models import Meeting, MeetingType
from workflows.participants import eligible_chairs
from workflows.rules import RuleRefusal

from .children import ChildPlan
from .meetings import SUPPORT_TRIED, _approver, invitees_for

LONDON = ZoneInfo("Europe/London")


@contextmanager
def demo_clock(at: datetime) -> Iterator[None]:
    """Run the services as if it were `at` (only the demo loader does this: it writes the past)."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


@dataclass(frozen=True)
class DemoAction:
    description: str
    owner: str  # username, or "social_worker" / "iro" / "ssw" for the child's own
    due: int  # days after the meeting
    evaluation: str
    done_after: int | None = None  # days after the meeting it was marked done; None = still open


@dataclass(frozen=True)
class Story:
    code: str
    child: int  # position of the child in child_plans()
    goal: str  # approved | held | circulated | closed
    held: int  # days ago the meeting was (or is, for "approved", was due to be) held
    request_before: int = 3  # days before the meeting it was requested
    actions: tuple[DemoAction, ...] = ()
    decisions: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    key_issues: str = ""
    wishes: str = "They want to stay where they are and see their brother more often."
    approve_minutes_on: int | None = None  # days ago; default 2 working days after the meeting
    outcomes: dict = field(default_factory=dict)  # answers to the outcome questions (D10, B7)
    # usernames the chair adds when circulating the approved minutes (the form's extra recipients)
    circulate_also_to: tuple[str, ...] = ()


SW, IRO, SSW = "social_worker", "iro", "ssw"
HISTORY: tuple[Story, ...] = (
    # A stability meeting four months ago: minutes approved and circulated; one action done, one
    # overdue, one still to come.
    Story(
        "PSM",
        4,
        "closed",
        held=125,
        triggers=("carers_struggling",),
        key_issues="Night-time waking and school refusal are wearing the carers down.",
        decisions=("The placement continues with extra support.",),
        actions=(
            DemoAction("Arrange two respite weekends a month for the carers.", SSW, 14, "Carers' log", 12),
            DemoAction("Refer to the child and adolescent mental health service.", SW, 60, "Referral taken"),
            DemoAction("Review the placement plan at the next review.", IRO, 160, "Plan updated"),
            DemoAction(
                "Agree the respite budget with the fostering service.", "assistant-team-manager", 30, "Budget"
            ),
        ),
    ),
    # Disruption meetings in earlier quarters and this one (the quarterly themes, D12).
    Story(
        "DM",
        3,
        "closed",
        held=330,
        request_before=30,
        key_issues="The match was made in a hurry and the carers had little of the child's history.",
        actions=(DemoAction("Share the learning on matching with the panel.", SW, 30, "Panel minutes", 20),),
    ),
    Story(
        "DM",
        24,
        "closed",
        held=111,
        request_before=30,
        key_issues="Contact arrangements changed three times in a month without the carers being told.",
        actions=(
            DemoAction("Write a contact plan the carers and parents both sign.", SW, 21, "Signed plan", 15),
            DemoAction("Check the contact plan is followed at the next review.", IRO, 50, "Review record"),
        ),
    ),
    Story(
        "DM",
        30,
        "closed",
        held=63,
        request_before=30,
        key_issues="Support from the fostering team stopped when the supervising social worker left.",
        actions=(
            DemoAction("Agree cover for supervising social workers.", "fostering-manager", 20, "Rota", 18),
            DemoAction("Track the agreed actions through the child's reviews.", IRO, 40, "Review record"),
        ),
    ),
    Story(
        "DM",
        37,
        "closed",
        held=48,
        request_before=30,
        key_issues="Allegations against the carers were investigated slowly; the child lost trust.",
        actions=(
            DemoAction("Ask the safeguarding unit why the enquiry took nine weeks.", SW, 14, "Written reply"),
        ),
    ),
    Story(
        "DM",
        27,
        "circulated",
        held=10,
        request_before=25,
        approve_minutes_on=0,
        key_issues="The home could not meet the child's needs after a change of staff.",
        actions=(DemoAction("Share the staffing findings with the buyers.", "buyer", 20, "Buyers' reply"),),
        circulate_also_to=("practice-development-manager",),
    ),
    Story(
        "DM",
        16,
        "circulated",
        held=10,
        request_before=25,
        approve_minutes_on=0,
        key_issues="The agency carers were not told about the child's self-harm before the match.",
        actions=(
            DemoAction("Ask the agency how matching information is shared.", "buyer", 15, "Agency's reply"),
            DemoAction("Offer the carers a debrief with the fostering team.", SW, 5, "Debrief held"),
        ),
    ),
    # A Breakdown Prevention Meeting two months ago (the buyers' dashboard).
    Story(
        "BPM",
        2,
        "closed",
        held=66,
        triggers=("risk_of_breakdown",),
        key_issues="The agency said the carers might give notice after the child went missing twice.",
        decisions=("The placement continues; the agency adds a second supervising social worker visit.",),
        outcomes={
            "plan": "Support to keep the placement: a second weekly visit and a missing-from-care plan.",
            "placement_plan_revised": "yes",
        },
        actions=(
            DemoAction("Confirm in writing that the agency will not give notice.", "buyer", 5, "Letter", 3),
            DemoAction("Update the placement plan with the new visits.", SW, 10, "Plan on file"),
            DemoAction("Check the missing-from-care protocol with the carers.", SW, 90, "Carers' sign-off"),
            DemoAction("Ask the agency for its missing-from-care training record.", "buyer-2", 20, "Record"),
        ),
    ),
    # Overdue: approved but never arranged; held but no minutes yet; arranged but not held in time.
    Story("PSM", 12, "approved", held=-1, request_before=12, triggers=("relationship",)),
    Story("PSM", 19, "held", held=14, triggers=("needs_not_met",)),
    Story("BPM", 10, "scheduled", held=8, request_before=3, triggers=("risk_of_breakdown",)),
    # Coming up: a stability meeting for a child at Willow Lodge, with the home's manager, the child's
    # key worker and the residential service manager invited (they sign in to the invitation).
    Story("PSM", 26, "scheduled", held=-2, request_before=3, triggers=("needs_not_met",)),
    # And one for a child with connected carers: their supervising social worker and the connected
    # persons team manager are invited.
    Story("PSM", 5, "scheduled", held=-2, request_before=3, triggers=("carers_struggling",)),
)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def demo_history_load(*, plans: list[ChildPlan], today: date) -> list[str]:
    """Add the stories not there yet. Returns a line per story added (or refused)."""

    types = {mt.code: mt for mt in MeetingType.objects.filter(live=True)}
    lines = []
    for story in HISTORY:
        meeting_type = types.get(story.code)
        if meeting_type is None or story.child >= len(plans):
            continue
        child = Child.objects.select_related("social_worker", "iro", "team__manager").get(
            local_reference=plans[story.child].reference
        )
        if Meeting.objects.filter(child=child, meeting_type__code=story.code).exists():
            continue
        try:
            with transaction.atomic():
                reached = _tell(story, meeting_type, child, today)
            lines.append(f"{story.code} for {child} ({child.local_reference}): {reached}")
        except RuleRefusal as refusal:
            lines.append(f"{story.code} for {child}: not created ({refusal})")
    return lines


def _placement(child: Child, code: str, held_on: date):
    placements = child.placements.order_by("-start_date")
    if code == "DM":  # the permanent placement that ended unplanned before the meeting
        return placements.filter(is_permanent=True, ended_unplanned=True, end_date__lt=held_on).first()
    return placements.filter(start_date__lt=held_on).filter(end_date=None).first()


def _tell(story: Story, meeting_type, child: Child, today: date) -> str:

    held_on = _weekday(today - timedelta(days=story.held))
    placement = _placement(child, story.code, held_on)
    if placement is None:
        return "skipped: no placement fits"
    worker = child.social_worker
    if story.code == "DM":
        requested_on = _weekday(placement.end_date + timedelta(days=7))
    else:
        requested_on = _weekday(held_on - timedelta(days=story.request_before))
    concern_on = requested_on - timedelta(days=1)
    with demo_clock(_moment(requested_on, 9)):
        meeting = services.meeting_request(
            meeting_type=meeting_type,
            child=child,
            placement=placement,
            by=worker,
            concern_raised_on=concern_on if story.code == "PSM" else None,
            concern_raised_by=str(worker) if story.code == "PSM" else "",
            notified_on=concern_on if story.code == "BPM" else None,
            triggers=list(story.triggers),
            support_tried=SUPPORT_TRIED,
            request_details="Demo history: the concerns are summarised in the case notes.",
            requested_at=_moment(requested_on, 9),
        )
        for report in meeting.reports.filter(timing="with_request"):
            services.report_attach(report=report, by=worker)
        meeting = services.meeting_submit(meeting=meeting, by=worker)
    if meeting.state == MeetingState.AWAITING_APPROVAL:
        approver = _approver(meeting)
        if approver is None:
            return "awaiting approval (no approver)"
        with demo_clock(_moment(requested_on, 14)):
            meeting = services.meeting_approve(meeting=meeting, by=approver, note="Agreed: go ahead.")
    if story.goal == "approved":
        return f"approved, not yet arranged (due {dates.day(meeting.due_on)})"
    arranged_on = requested_on if story.code != "DM" else _weekday(held_on - timedelta(days=21))
    with demo_clock(_moment(max(arranged_on, requested_on), 15)):
        chair = _chair(meeting)
        if chair is None:
            return "approved (no eligible chair)"
        meeting = services.meeting_schedule(
            meeting=meeting,
            by=worker,
            chair=chair,
            scheduled_for=_moment(held_on, 10),
            venue="Harrowvale House, meeting room 2",
            child_invited=False,
            child_invite_reason="The child met the chair beforehand; their views are in the report.",
            invitees=invitees_for(meeting),
        )
    if story.goal == "scheduled":
        return f"arranged for {dates.day(held_on)}, not recorded as held"
    for report in meeting.reports.exclude(timing="with_request"):
        with demo_clock(_moment(_weekday(held_on - timedelta(days=15)), 11)):
            services.report_attach(report=report, by=worker)
    with demo_clock(_moment(held_on, 12)):
        attendance = {i.pk: "present" for i in meeting.invitees.exclude(attendance="not_invited")}
        meeting = services.meeting_record_held(meeting=meeting, by=chair, attendance=attendance)
    if story.goal == "held":
        return f"held on {dates.day(held_on)}, minutes not yet written"
    people = _owners(child, meeting)
    minutes_on = _weekday(held_on + timedelta(days=1)) if story.held > 1 else held_on
    with demo_clock(_moment(min(minutes_on, today), 16)):
        meeting = services.minutes_record(
            meeting=meeting,
            by=chair,
            key_issues=story.key_issues,
            minutes_text=f"Discussion: {story.key_issues} Everyone present gave their view.",
            wishes_and_feelings=story.wishes,
            decisions=list(story.decisions),
            actions=[
                {
                    "description": a.description,
                    "owner": people[a.owner],
                    "due_on": held_on + timedelta(days=a.due),
                    "evaluation": a.evaluation,
                }
                for a in story.actions
            ],
        )
    approve_on = (
        today - timedelta(days=story.approve_minutes_on)
        if story.approve_minutes_on is not None
        else min(_weekday(held_on + timedelta(days=3)), today)
    )
    with demo_clock(_moment(approve_on, 8, 30)):
        meeting = services.minutes_approve(meeting=meeting, by=chair)
    with demo_clock(_moment(approve_on, 9)):
        also = User.objects.filter(username__in=story.circulate_also_to, is_active=True)
        meeting = services.minutes_circulate(
            meeting=meeting, by=chair, extra_recipients=[u.email for u in also.order_by("username")]
        )
    _complete_actions(services, story, meeting, held_on, today, people)
    if story.goal == "circulated":
        return f"minutes approved and circulated on {dates.day(approve_on)}"

    answers = {
        q["key"]: story.outcomes.get(q["key"], "no" if q.get("answer_kind") == "yes_no" else story.key_issues)
        for q in rules_of.outcome_questions_for(meeting)
    }
    with demo_clock(_moment(min(_weekday(approve_on + timedelta(days=1)), today), 10)):
        meeting = services.meeting_close(meeting=meeting, by=chair, outcome_answers=answers)
    return f"closed after minutes approved on {dates.day(approve_on)}"


def _chair(meeting) -> User | None:
    return next((c.user for c in eligible_chairs(meeting) if c.eligible), None)


def _owners(child: Child, meeting) -> dict[str, User]:

    ssw = (
        child.involvements.filter(role=InvolvementRole.SUPERVISING_SOCIAL_WORKER)
        .order_by("-start_date")
        .select_related("user")
        .first()
    )
    owners = {u.username: u for u in User.objects.all()}
    owners.update({SW: child.social_worker, IRO: child.iro, SSW: ssw.user if ssw else child.social_worker})
    return owners


def _complete_actions(services, story: Story, meeting, held_on: date, today: date, people: dict) -> None:
    actions = list(meeting.actions.filter(follow_up_key="").order_by("pk"))
    for action, spec in zip(actions, story.actions, strict=False):
        if spec.done_after is None:
            continue
        done_on = min(held_on + timedelta(days=spec.done_after), today)
        with demo_clock(_moment(done_on, 15)):
            services.action_complete(
                action=action,
                by=people[spec.owner],
                note="Done as agreed.",
                evaluated="Checked with the carers.",
            )
