""" "Try it on a child": what a draft meeting type would decide for a real child, creating nothing (issue 10).

The policy owner picks a child they may see; the child's current placement (or, when none goes on, the
most recent) is read into a fact snapshot on the anchor date (the placement's end, or today while it goes
on) and the draft revision is evaluated by the one evaluator. Nothing is written: no meeting, no
snapshot row, no log (tested by capturing the queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from portal.models import Placement

from . import policy_check as policy_check_module
from .deadlines import bound_compute, format_day
from .fact_snapshot import RequestFacts, fact_snapshot
from .policy_check import CouncilContext, dead_end_reasons
from .policy_check_words import DecisionWords
from .policy_samples import _conditions

if TYPE_CHECKING:
    from portal.models import Child, Placement


@dataclass
class ChildTrial(DecisionWords):
    """The draft's decision for one child, in words."""

    child: Child
    placement: Placement | None
    anchor_on: date | None
    decision: dict = field(default_factory=dict)
    due: str = ""
    reasons: list[str] = field(default_factory=list)
    context: CouncilContext = field(default_factory=CouncilContext)


def trial_placement(child: Child) -> Placement | None:
    """The child's current placement, or the most recent one when none goes on."""
    placements = Placement.objects.filter(child=child).order_by("-start_date", "-pk")
    today = timezone.localdate()
    current = placements.filter(start_date__lte=today).filter(end_date__isnull=True).first()
    return current or placements.first()


def _due_words(timing: dict | None, anchor_on: date | None, calendar: str) -> str:
    """The latest day as a date when the anchor is known on the record (the placement's end, today)."""
    if not timing or anchor_on is None or timing.get("latest") is None:
        return ""
    unit, latest = timing.get("unit") or "working", int(timing["latest"])
    direction = timing.get("direction") or "after"
    due = bound_compute(
        anchor_on, latest, unit, calendar=calendar, direction=direction, roll=timing.get("roll") or "none"
    )
    return f"Latest {format_day(due)}"


def child_trial(
    *,
    meeting_type: Any,
    child: Child,
    evaluate=None,
    context: CouncilContext | None = None,
) -> ChildTrial:
    """What `meeting_type` (the draft revision's object) would decide for the child. Writes nothing."""
    placement = trial_placement(child)
    context = context or CouncilContext.from_database(meeting_type)
    if placement is None:
        return ChildTrial(child, None, None, context=context)
    today = timezone.localdate()
    anchor_on = placement.end_date if placement.end_date and placement.end_date <= today else today
    snapshot = fact_snapshot(
        child=child,
        placement=placement,
        anchor_on=anchor_on,
        # As if the child's social worker asked: the policy owner trying it is not the requester.
        request=RequestFacts(requester=child.social_worker),
        conditions=_conditions(meeting_type),
    )
    decision = (evaluate or policy_check_module.engine_evaluate)(meeting_type, snapshot)
    timing = decision.get("timing") or {}
    anchors = {"placement_ended": placement.end_date if snapshot["placement"]["has_ended"] else None}
    anchors["requested"] = today
    calendar = getattr(meeting_type, "effective_calendar", None) or "ENG"
    due = _due_words(timing, anchors.get(timing.get("anchor")), calendar)
    reasons = dead_end_reasons(
        decision,
        bool(snapshot["placement"]["has_ended"]),
        context,
        placement_type=snapshot["placement"]["type"],
    )
    return ChildTrial(child, placement, anchor_on, decision, due, reasons, context)
