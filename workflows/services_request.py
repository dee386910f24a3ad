"""Request a meeting and send it for approval (P1, P2, D1, D2, D3, B1): assess the request against the
published policy, open it with its deadlines and reports, attach reports, submit. Import them from
`workflows.services`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from audit.history import records_actor
from portal.models import Child, Placement, User

from . import policy as rules_of
from .choices import MeetingState, ReportTiming
from .fact_snapshot import RequestFacts
from .models import Meeting, MeetingReport, MeetingTransition, MeetingType
from .paths import links_enqueue, prerequisite_refusals
from .policy_engine import PolicyDecision, policy_evaluate
from .procedures.selectors import procedure_live_revision
from .rules import G3, RuleRefusal, RuleRefusals
from .transitions import enqueue, locked, run_transition, state_refusal
from .vocabularies import pack_vocabularies


@dataclass
class RequestAssessment:
    """What the policy says about one request before it is made: its anchor, facts, decision, problems."""

    anchor_on: date | None
    problems: list[RuleRefusal]
    snapshot: dict | None = None
    decision: PolicyDecision | None = None
    is_late: bool = False


def request_assess(
    *,
    policy: MeetingType,
    child: Child,
    placement: Placement | None,
    by: User,
    concern_raised_on: date | None = None,
    notified_on: date | None = None,
    triggers: Sequence[str] = (),
    support_tried: str = "",
    requested_on: date,
    concern_raised_by_kind: str = "",
    request_flags: Sequence[str] = (),
) -> RequestAssessment:
    """Every reason the request cannot be made, at once (P1, D1, B1, P3, D2), the anchor date, the
    fact snapshot and the policy's decision (issue 10).

    The snapshot is built on the anchor date of the timing entry that applies; when the request is late
    (`meeting.requested_late`) the decision is evaluated with that fact, so late-request gates apply.
    Each refusal names the form field it is about, so the request form can show them all together.
    """
    found: list[RuleRefusal] = []
    refusal = rules_of.requester_refusal(policy, child=child, by=by)
    if refusal:
        return RequestAssessment(None, [refusal])  # nothing else matters to someone who may not ask
    own = placement if placement is not None and placement.child_id == child.pk else None
    if placement is None:
        found.append(RuleRefusal(G3, "Choose the placement this meeting is about.", field="placement"))
    elif own is None:
        found.append(RuleRefusal(G3, "Choose one of this child's placements.", field="placement"))
    found += rules_of.request_details_refusals(policy, triggers=list(triggers), support_tried=support_tried)

    def facts(anchor_on: date, late: bool | None) -> dict:
        request = RequestFacts(
            raised_by_kind=concern_raised_by_kind or None,
            requester=by,
            flags=tuple(request_flags),
            triggers=tuple(triggers),
            requested_late=late,
        )
        return rules_of.case_snapshot(policy, placement=own, anchor_on=anchor_on, request=request)

    snapshot = decision = None
    timing = None
    if own is not None:
        # A meeting about a placement ending is judged on the ending (even one recorded for a future
        # date, which the anchor check below refuses with its own sentence).
        first = rules_of._default_timing(policy) or {}
        judged_on = (
            own.end_date if first.get("anchor") == "placement_ended" and own.end_date else requested_on
        )
        snapshot = facts(judged_on, False)
        decision = policy_evaluate(policy, snapshot)
        timing = decision.timing
    found += _vocabulary_refusals(policy, concern_raised_by_kind, request_flags)
    anchor_on, anchor_refusal = rules_of.anchor_date(
        policy,
        placement=own,
        concern_raised_on=concern_raised_on,
        notified_on=notified_on,
        requested_on=requested_on,
        timing=timing,
    )
    is_late = False
    if own is not None:
        if anchor_on is not None and anchor_on != requested_on:
            snapshot = facts(anchor_on, False)
            decision = policy_evaluate(policy, snapshot)
        is_late = rules_of.timing_is_late(decision.timing, anchor_on, requested_on, policy.effective_calendar)
        if is_late:
            snapshot = facts(anchor_on or requested_on, True)
            decision = policy_evaluate(policy, snapshot)
        refusal = rules_of.decision_refusal(decision)
        if refusal:
            refusal.field = "placement"
            found.insert(0, refusal)
    if anchor_refusal and not any(r.field == anchor_refusal.field for r in found):
        found.append(anchor_refusal)
    if decision is not None:  # prerequisites: another meeting that must have been held first (issue 10)
        found += prerequisite_refusals(
            prerequisites=decision.prerequisites, child=child, pack_id=policy.pack_id, on=requested_on
        )
    return RequestAssessment(anchor_on, found, snapshot, decision, is_late)


def meeting_request_problems(**kwargs: Any) -> tuple[date | None, list[RuleRefusal]]:
    """Every reason the request cannot be made, at once, and the anchor date (see `request_assess`)."""
    assessed = request_assess(**kwargs)
    return assessed.anchor_on, assessed.problems


def _vocabulary_refusals(
    policy: MeetingType, concern_raised_by_kind: str, request_flags: Sequence[str]
) -> list[RuleRefusal]:
    """Who raised the concern and the request's flags must come from the pack's own lists (issue 10)."""
    vocabularies = pack_vocabularies(policy.pack if policy.pack_id else None)
    found = []
    kinds = dict(vocabularies["person_kind"])
    if concern_raised_by_kind and concern_raised_by_kind not in kinds:
        found.append(
            RuleRefusal(
                "",
                "Choose who raised the concern from the list.",
                field="concern_raised_by_kind",
            )
        )
    flags = dict(vocabularies["request_flag"])
    unknown = [f for f in request_flags if f not in flags]
    if unknown:
        found.append(
            RuleRefusal(
                "",
                "Choose the request's flags from the list"
                + (f": {', '.join(flags.values())}." if flags else "; this council defines none."),
                field="request_flags",
            )
        )
    return found


@records_actor
def meeting_request(
    *,
    meeting_type: MeetingType,
    child: Child,
    placement: Placement | None,
    by: User,
    concern_raised_on: date | None = None,
    concern_raised_by: str = "",
    notified_on: date | None = None,
    triggers: Sequence[str] = (),
    support_tried: str = "",
    request_details: str = "",
    requested_at: datetime | None = None,
    send: bool = False,
    concern_raised_by_kind: str = "",
    request_flags: Sequence[str] = (),
    linked_from: Meeting | None = None,
) -> Meeting:
    """Open a request under the meeting type's *published* policy and fix its deadlines.

    Rules: P1 (who requests, triggers, support tried), D1/B1 (eligibility), D2/P3/B1 (window, anchor
    dates in the past), D3 (late). Every problem is reported at once (`RuleRefusals`).

    `send=True` (the request screen's one button) also sends it for approval in the same transaction
    when nothing it needs is missing (P2); otherwise it waits in Requested for its attachments.
    """
    revision = meeting_type.live_revision
    if not meeting_type.live or revision is None:
        raise RuleRefusal("", f"{meeting_type.name} has not been published yet, so it cannot be requested.")
    policy: MeetingType = revision.as_object()
    requested_at = requested_at or timezone.now()
    requested_on = rules_of.local_date(requested_at)
    assessed = request_assess(
        policy=policy,
        child=child,
        placement=placement,
        by=by,
        concern_raised_on=concern_raised_on,
        notified_on=notified_on,
        triggers=triggers,
        support_tried=support_tried,
        requested_on=requested_on,
        concern_raised_by_kind=concern_raised_by_kind,
        request_flags=request_flags,
    )
    problems = assessed.problems
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise RuleRefusals(problems)
    anchor_on, is_late, decision = assessed.anchor_on, assessed.is_late, assessed.decision
    window = rules_of.meeting_window(policy, anchor_on, is_late=is_late, timing=decision.timing)
    procedure_revision = None
    if policy.procedure_page_id:
        page = Page.objects.filter(pk=policy.procedure_page_id).first()
        procedure_revision = page.live_revision if page else None
    else:  # not linked in the CMS: the pack's live procedure page for this meeting code, if any
        procedure_revision = procedure_live_revision(
            meeting_code=policy.code, pack_slug=meeting_type.pack.slug
        )

    with transaction.atomic():
        meeting = Meeting.objects.create(
            meeting_type=meeting_type,
            policy_revision=revision,
            procedure_revision=procedure_revision,
            child=child,
            placement=placement,
            requested_by=by,
            requested_at=requested_at,
            concern_raised_on=concern_raised_on,
            concern_raised_by=concern_raised_by,
            concern_raised_by_kind=concern_raised_by_kind,
            request_flags=list(dict.fromkeys(request_flags)),
            notified_on=notified_on,
            anchor_on=anchor_on,
            triggers=list(triggers),
            support_tried=support_tried,
            request_details=request_details,
            is_late=is_late,
            facts=assessed.snapshot,
            decision=decision.as_json(),
            earliest_on=window.earliest_on,
            due_on=window.due_on,
            deadline_explanation=window.explanation,
            linked_from=linked_from,
        )
        meeting.reference = f"{policy.code.upper()}-{meeting.pk:06d}"
        meeting.save(update_fields=["reference"])
        for report in decision.reports:
            due_on, why = rules_of.report_due(policy, report, requested_on=requested_on, meeting_on=None)
            MeetingReport.objects.create(
                meeting=meeting,
                form_key=report["form_key"],
                label=report["label"],
                author_role=report["author_role"],
                timing=report["timing"],
                due_on=due_on,
                due_explanation=why,
            )
        MeetingTransition.objects.create(
            meeting=meeting,
            name="request",
            source="",
            target=meeting.state,
            by=by,
            at=timezone.now(),
            reason="Late request: needs the late-request approvers." if is_late else "",
        )
        if send and not request_attachments_missing(meeting):
            _submit(meeting, by)
        links_enqueue(meeting, "requested")  # linked meeting types started on the request (issue 10)
    return meeting


def request_attachments_missing(meeting: Meeting) -> list[str]:
    """Labels of the reports that must go with the request and have not been received (P2)."""
    return [r.label for r in meeting.reports.filter(timing=ReportTiming.WITH_REQUEST) if not r.is_received]


@records_actor
def report_attach(*, report: MeetingReport, by: User, submission_id: int | None = None) -> MeetingReport:
    """Record that a required report was received (P2 with the request, D8 before the meeting)."""
    with transaction.atomic():
        report = MeetingReport.objects.select_for_update().get(pk=report.pk)
        report.submission_id = submission_id
        report.received_at = timezone.now()
        report.received_by = by
        report.save(update_fields=["submission_id", "received_at", "received_by"])
    return report


@records_actor
def meeting_submit(*, meeting: Meeting, by: User) -> Meeting:
    """Send the request for approval with its required attachments (P2).

    It is routed to the mailboxes the policy names (D4, B2).

    Where the policy needs no approval (and the request is not late) it is approved at once.
    """
    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state != MeetingState.REQUESTED:
            raise state_refusal(meeting, "submit")
        missing = request_attachments_missing(meeting)
        if missing:
            raise RuleRefusal(
                _with_request_rule(meeting),
                f"Attach the {', '.join(missing)} before sending the request.",
            )
        _submit(meeting, by)
    return meeting


def _submit(meeting: Meeting, by: User) -> None:
    """The submit transition, the automatic approval where no gate applies, and the routing e-mail."""
    run_transition(meeting, "submit", by=by)
    if not rules_of.required_gates(meeting):
        run_transition(meeting, "approve", by=None, reason="This policy needs no approval.")
    enqueue("notify_request_routed", meeting.pk)


def _with_request_rule(meeting: Meeting) -> str:
    reports = [
        r for r in rules_of.meeting_reports_for(meeting) if r.get("timing") == ReportTiming.WITH_REQUEST
    ]
    return rules_of._gate_rule(meeting) or next((r.get("rule") for r in reports if r.get("rule")), "")
