"""The meeting page: where it stands, its deadlines, reports, minutes, history and the buttons this
user may press (workflows.permissions)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from forms_builder.choices import ReportStatus
from forms_builder.models import FormSubmission
from forms_builder.services import report_status

from .. import policy as rules_of
from .. import services
from ..choices import MeetingState
from ..form_links import INVOLVEMENT_FOR_ROLE, meeting_form_refusal
from ..forms import (
    ApproveForm,
)
from ..models import Invitee, Meeting, MeetingApproval
from ..permissions import meeting_buttons
from ..selectors import (
    meeting_history,
)
from .common import (
    child_link,
    meeting_or_404,
    step_context,
)


def _reports(meeting: Meeting) -> list[dict]:
    reports = list(meeting.reports.all())
    ids = [r.submission_id for r in reports if r.submission_id]
    keys = [r.form_key for r in reports]
    submissions = {s.pk: s for s in FormSubmission.objects.filter(pk__in=ids)}
    drafts = {}
    for s in (
        FormSubmission.objects.filter(
            definition__key__in=keys, subject_reference=meeting.reference or "-", child_id=meeting.child_id
        )
        .select_related("definition")
        .order_by("-updated_at")
    ):
        drafts.setdefault(s.definition.key, s)
    rows = []
    for report in reports:
        submission = submissions.get(report.submission_id) or drafts.get(report.form_key)
        status = report_status(submission=submission, due_on=report.due_on)
        if report.is_received and status != ReportStatus.SUBMITTED:
            status = ReportStatus.SUBMITTED  # received outside the form (e.g. a document filed elsewhere)
        rows.append({"report": report, "submission": submission, "status": status})
    return rows


def _form_link(meeting: Meeting, form_key: str) -> str:
    return (
        f"/forms/start/{form_key}/?child={meeting.child_id}&placement={meeting.placement_id}"
        f"&subject={meeting.reference}&next=/meetings/{meeting.pk}/"
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_or_404(request, pk)
    # Read once for every report's link, the flags and the lists below (a query each, whatever the
    # number of reports, invitees or involvements).
    prefetch_related_objects(
        [meeting],
        "reports",
        Prefetch("invitees", queryset=Invitee.objects.select_related("user").order_by("pk")),
        Prefetch("approvals", queryset=MeetingApproval.objects.select_related("by").order_by("at", "pk")),
    )
    if any(INVOLVEMENT_FOR_ROLE.get(r.author_role) for r in meeting.reports.all()):
        prefetch_related_objects([meeting], "child__involvements")  # who may write those reports
    policy = meeting.policy
    allowed = meeting_buttons(meeting, request.user)
    minutes = None
    if meeting.minutes_submission_id:
        minutes = FormSubmission.objects.filter(pk=meeting.minutes_submission_id).first()
    labels = {row.value["key"]: row.value["label"] for row in policy.triggers}
    reports = _reports(meeting)
    for row in reports:
        # Only the report's author role gets the link: the same check the form services make.
        refusal = meeting_form_refusal(meeting=meeting, form_key=row["report"].form_key, user=request.user)
        row["link"] = "" if refusal else _form_link(meeting, row["report"].form_key)
    return render(
        request,
        "workflows/meeting_detail.html",
        step_context(
            meeting,
            request,
            allowed=allowed,
            trigger_labels=[labels.get(t, t) for t in meeting.triggers],
            flags=rules_of.meeting_flags(meeting),
            approvals=meeting.approvals.all(),
            missing=rules_of.waiting_for(meeting) if meeting.state == MeetingState.AWAITING_APPROVAL else "",
            reports=reports,
            minutes=minutes,
            minutes_link=_form_link(meeting, policy.minutes_form_key) if policy.minutes_form_key else "",
            invitees=meeting.invitees.all(),
            decisions=meeting.decisions.order_by("pk"),
            actions=meeting.actions.select_related("owner")
            .with_overdue(timezone.localdate())
            .order_by("due_on", "pk"),
            history=meeting_history(meeting),
            approve_form=ApproveForm(),
            child_url=child_link(request.user, meeting.child),
            attachments_missing=services.request_attachments_missing(meeting)
            if meeting.state == MeetingState.REQUESTED
            else [],
            procedure_sections=_procedure_sections(meeting),
        ),
    )


def _procedure_sections(meeting: Meeting) -> list[str]:
    """The procedure's sections that matter at this stage, shown together once on the meeting page."""
    if meeting.state in {MeetingState.REQUESTED, MeetingState.AWAITING_APPROVAL}:
        return ["when_to_hold"]
    if meeting.state in {MeetingState.APPROVED, MeetingState.SCHEDULED}:
        return ["who_chairs", "who_attends"]
    return ["after_meeting"]
