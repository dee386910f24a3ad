"""Worker screens for meetings: thin views over the selectors and services.

A refused step (RuleRefusal) is shown as its plain sentence, beside the field it is about where it names
one, and what the worker typed is kept; the rule ID goes to the log. Meetings the user may not see are
404 (meeting_for_user).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from forms_builder.choices import ReportStatus
from forms_builder.models import FormSubmission
from forms_builder.services import report_status
from portal.paging import IdsFirstPaginator
from portal.selectors import child_get_for_user

from . import policy as rules_of
from . import services
from .choices import FINISHED_STATES, MeetingState
from .form_links import meeting_form_refusal
from .forms import (
    ActionCompleteForm,
    ApproveForm,
    CloseForm,
    HeldForm,
    MeetingRequestForm,
    MeetingTypeChoiceForm,
    ProviderNoticeForm,
    ReasonForm,
    ScheduleForm,
)
from .models import Meeting, MeetingType
from .paths import request_requirement_notes
from .rules import RuleRefusal, refusal_log
from .selectors import (
    actions_for_iro,
    actions_for_user,
    actions_for_user_scope,
    approval_queue_for_user,
    eligible_chairs,
    invitee_suggestions,
    meeting_actions_for_user,
    meeting_for_user,
    meeting_history,
    meetings_for_user,
)

PER_PAGE = 25


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    try:
        return meeting_for_user(request.user, pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting") from exc


def _posted(request: HttpRequest):
    """The POST data to bind a form to (even when empty, so an empty post shows its errors)."""
    return request.POST if request.method == "POST" else None


def _refused(request: HttpRequest, refusal: RuleRefusal) -> None:
    refusal_log(refusal, user=request.user, action=request.path)
    messages.error(request, refusal.message)


def _attach(request: HttpRequest, form, refusal: RuleRefusal) -> None:
    """Show each refusal beside its field (or at the top of the form); the rule ID goes to the log."""
    refusal_log(refusal, user=request.user, action=request.path)
    for one in getattr(refusal, "refusals", [refusal]):
        if one.field in form.fields:
            if one.field not in form.errors:
                form.add_error(one.field, one.message)
        else:
            form.add_error(None, one.message)


def _visible_children(user, child_ids: list[int]) -> set[int]:
    """Which of these children the user may open (one query), so names link only where they may go."""
    from portal.selectors import children_for_user

    return set(children_for_user(user).filter(pk__in=set(child_ids)).values_list("pk", flat=True))


def _child_link(user, child) -> str:
    """The child's page when this user may open it, else '' (names are plain text then)."""
    from portal.selectors import children_for_user

    return child.get_absolute_url() if children_for_user(user).filter(pk=child.pk).exists() else ""


def _context(meeting: Meeting, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "policy": meeting.policy,
        "pack_slug": meeting.meeting_type.pack.slug,
        "today": timezone.localdate(),
        **extra,
    }


# --------------------------------------------------------------------------------------------------
# Lists
# --------------------------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings the user may see, soonest deadline first, filtered by status and type."""
    meetings = meetings_for_user(request.user).select_related("child__team").order_by("due_on", "pk")
    state = request.GET.get("state", "")
    if state in MeetingState.values:
        meetings = meetings.filter(state=state)
    type_code = request.GET.get("type", "")
    if type_code:
        meetings = meetings.filter(meeting_type__code=type_code)
    if request.GET.get("open") == "1":
        meetings = meetings.exclude(state__in=FINISHED_STATES)
    page = IdsFirstPaginator(meetings, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "workflows/meeting_list.html",
        {
            "page": page,
            "visible_children": _visible_children(request.user, [m.child_id for m in page.object_list]),
            "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "states": MeetingState.choices,
            "types": MeetingType.objects.order_by("code").values_list("code", "name").distinct(),
            "state": state,
            "type_code": type_code,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "before_meeting": [
                MeetingState.REQUESTED,
                MeetingState.AWAITING_APPROVAL,
                MeetingState.APPROVED,
                MeetingState.SCHEDULED,
            ],
        },
    )


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    """Requests waiting for this user's decision (P2, B1, D3)."""
    queue = approval_queue_for_user(request.user)
    visible = _visible_children(request.user, [m.child_id for m in queue])
    rows = [
        {
            "meeting": m,
            "missing": rules_of.describe_missing(rules_of.missing_approvals(m)),
            "child_url": m.child.get_absolute_url() if m.child_id in visible else "",
        }
        for m in queue
    ]
    return render(request, "workflows/approval_queue.html", {"rows": rows, "today": timezone.localdate()})


@login_required
def my_actions(request: HttpRequest) -> HttpResponse:
    """Actions the user owns and, for IROs, the open actions of the children they review (D11)."""
    own = (
        actions_for_user(request.user)
        .select_related("meeting__meeting_type", "child")
        .order_by("due_on", "pk")
    )
    tracked = None
    if request.user.role == "iro":
        tracked = (
            actions_for_iro(request.user).exclude(owner=request.user).select_related("meeting__meeting_type")
        )
    return render(
        request,
        "workflows/my_actions.html",
        {
            "own": own,
            "tracked": tracked,
            "today": timezone.localdate(),
            "form": ActionCompleteForm(),
        },
    )


@login_required
@require_POST
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    action = actions_for_user_scope(request.user).filter(pk=pk).first()
    if action is None:
        raise Http404("No such action")
    form = ActionCompleteForm(request.POST)
    form.is_valid()
    try:
        services.action_complete(action=action, by=request.user, note=form.cleaned_data.get("note", ""))
        messages.success(request, f"Action marked complete: {action.description}")
    except RuleRefusal as refusal:
        _refused(request, refusal)
    return redirect(
        request.POST.get("next")
        if request.POST.get("next", "").startswith("/meetings/")
        else "workflows:my_actions"
    )


# --------------------------------------------------------------------------------------------------
# Request
# --------------------------------------------------------------------------------------------------


def _published_types():
    return (
        MeetingType.objects.filter(live=True, live_revision__isnull=False)
        .select_related("pack")
        .order_by("pack__name", "name")
    )


def _eligibility(types, child) -> list[dict]:
    """For each published meeting type: whether any of this child's placements qualifies and, if none
    does, why not in a sentence (the policy's own eligibility rule, D1/B1)."""
    placements = list(child.placements.order_by("-start_date"))
    rows = []
    for meeting_type in types:
        policy = meeting_type.live_revision.as_object()
        reasons = []
        eligible = False
        for placement in placements:
            refusal = rules_of.eligibility_refusal(policy, placement)
            if refusal is None:
                eligible = True
                break
            if refusal.message not in reasons:
                reasons.append(refusal.message)
        if not placements:
            reasons = [f"{child.full_name} has no placement recorded."]
        rows.append({"type": meeting_type, "eligible": eligible, "reasons": reasons})
    return rows


@login_required
def meeting_request(request: HttpRequest, child_pk: int) -> HttpResponse:
    """Request a meeting for a child: choose the type, then the placement, reasons and dates (P1, D1, B1).

    One button: the request is made and, when nothing it needs is missing, sent for approval (P2).
    """
    child = child_get_for_user(user=request.user, pk=child_pk)
    types = _published_types()
    type_pk = request.POST.get("meeting_type_pk") or request.GET.get("type")
    meeting_type = types.filter(pk=type_pk).first() if str(type_pk or "").isdigit() else None
    if meeting_type is None:
        rows = _eligibility(types, child)
        eligible = types.filter(pk__in=[r["type"].pk for r in rows if r["eligible"]])
        choose = MeetingTypeChoiceForm(
            request.GET if {"step", "meeting_type"} & request.GET.keys() else None, meeting_types=eligible
        )
        if choose.is_bound and choose.is_valid():
            return redirect(f"{request.path}?type={choose.cleaned_data['meeting_type'].pk}")
        return render(
            request,
            "workflows/request_choose.html",
            {"child": child, "form": choose, "not_eligible": [r for r in rows if not r["eligible"]]},
        )

    policy = meeting_type.live_revision.as_object()
    placements = child.placements.order_by("-start_date")
    form = MeetingRequestForm(
        _posted(request),
        policy=policy,
        placements=placements,
        initial={"placement": request.GET.get("placement")},  # from a "consider a meeting" task (issue 10)
    )
    if request.method == "POST":
        form.is_valid()
        data = form.cleaned_data
        args = {
            "child": child,
            "placement": data.get("placement"),
            "by": request.user,
            "concern_raised_on": data.get("concern_raised_on"),
            "notified_on": data.get("notified_on"),
            "triggers": data.get("triggers", []),
            "support_tried": data.get("support_tried", ""),
            "concern_raised_by_kind": data.get("concern_raised_by_kind", ""),
            "request_flags": data.get("request_flags", []),
        }
        if form.errors:  # the boxes that could not be read, and every rule the rest breaks, together
            _anchor, problems = services.meeting_request_problems(
                policy=policy, requested_on=timezone.localdate(), **args
            )
            for problem in problems:
                if problem.field in form.fields and problem.field in form.errors:
                    continue
                if problem.field == "placement" and "placement" not in form.cleaned_data:
                    continue
                _attach(request, form, problem)
        else:
            try:
                meeting = services.meeting_request(
                    meeting_type=meeting_type,
                    concern_raised_by=data.get("concern_raised_by", ""),
                    request_details=data.get("request_details", ""),
                    send=True,
                    **args,
                )
            except RuleRefusal as exc:
                _attach(request, form, exc)
            else:
                _consider_task_link(request, meeting)
                if meeting.state == MeetingState.REQUESTED:
                    missing = " and the ".join(services.request_attachments_missing(meeting))
                    messages.success(
                        request,
                        f"Meeting requested: {meeting.reference}. It will go for approval once the "
                        f"{missing} is attached: then press “Send for approval”.",
                    )
                else:
                    messages.success(
                        request,
                        f"Meeting requested and sent for approval: {meeting.reference}."
                        if meeting.state == MeetingState.AWAITING_APPROVAL
                        else f"Meeting requested: {meeting.reference}. It needs no approval and can be "
                        "arranged now.",
                    )
                return redirect("workflows:meeting_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workflows/request.html",
        {
            "child": child,
            "meeting_type": meeting_type,
            "policy": policy,
            "form": form,
            "pack_slug": meeting_type.pack.slug,
            # Offered or at the team's discretion: said on the request screen (issue 10).
            "requirement_notes": request_requirement_notes(
                policy=policy, child=child, by=request.user, today=timezone.localdate()
            ),
        },
        status=status,
    )


def _consider_task_link(request: HttpRequest, meeting: Meeting) -> None:
    """A request made from a "consider a meeting" task's "hold" decision is recorded on the task."""
    from .case_triggers import consider_task_link_meeting, consider_tasks_for_user

    task_pk = request.GET.get("consider", "")
    task = consider_tasks_for_user(request.user).filter(pk=task_pk).first() if task_pk.isdigit() else None
    if task is not None:
        consider_task_link_meeting(task=task, meeting=meeting)


# --------------------------------------------------------------------------------------------------
# The meeting page and its steps
# --------------------------------------------------------------------------------------------------


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
    meeting = _meeting(request, pk)
    policy = meeting.policy
    allowed = meeting_actions_for_user(meeting, request.user)
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
        _context(
            meeting,
            request,
            allowed=allowed,
            trigger_labels=[labels.get(t, t) for t in meeting.triggers],
            flags=rules_of.meeting_flags(meeting),
            approvals=meeting.approvals.select_related("by").order_by("at"),
            missing=rules_of.describe_missing(rules_of.missing_approvals(meeting))
            if meeting.state == MeetingState.AWAITING_APPROVAL
            else "",
            reports=reports,
            minutes=minutes,
            minutes_link=_form_link(meeting, policy.minutes_form_key) if policy.minutes_form_key else "",
            invitees=meeting.invitees.select_related("user").order_by("pk"),
            decisions=meeting.decisions.order_by("pk"),
            actions=meeting.actions.select_related("owner").order_by("due_on", "pk"),
            history=meeting_history(meeting),
            approve_form=ApproveForm(),
            child_url=_child_link(request.user, meeting.child),
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


def _step(request: HttpRequest, meeting: Meeting, run, success: str) -> HttpResponse:
    """Run a one-button step; a refusal (stale page included) comes back as a message with its rule."""
    try:
        run()
        messages.success(request, success)
    except RuleRefusal as refusal:
        _refused(request, refusal)
    return redirect("workflows:meeting_detail", pk=meeting.pk)


def _one_button(service, success: str):
    """A view for a step that needs nothing but the button: ``service(meeting=, by=)``."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        meeting = _meeting(request, pk)
        return _step(request, meeting, lambda: service(meeting=meeting, by=request.user), success)

    return view


@login_required
@require_POST
def meeting_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the request; the message says what happened: sent for approval, or (where the policy needs
    no approval) approved at once and ready to arrange."""
    meeting = _meeting(request, pk)
    try:
        meeting = services.meeting_submit(meeting=meeting, by=request.user)
    except RuleRefusal as refusal:
        _refused(request, refusal)
    else:
        messages.success(
            request,
            "The request has been sent for approval."
            if meeting.state == MeetingState.AWAITING_APPROVAL
            else "The request has been sent. It needs no approval and can be arranged now.",
        )
    return redirect("workflows:meeting_detail", pk=meeting.pk)


minutes_approve = _one_button(services.minutes_approve, "The minutes are approved.")
minutes_circulate = _one_button(
    services.minutes_circulate,
    "The minutes have been sent to everyone invited and to those the procedure always includes.",
)


@login_required
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the request, then approve it (P2, B1, D3): a confirmation page, never a one-click approval
    from a list. Posting from the confirmation page (or the meeting page's form) records the approval."""
    meeting = _meeting(request, pk)
    if request.method != "POST":
        refusal = rules_of.approver_refusal(meeting, request.user)
        return render(
            request,
            "workflows/approve.html",
            _context(
                meeting,
                request,
                form=ApproveForm(),
                refusal=refusal,
                title="Approve the request",
                child_url=_child_link(request.user, meeting.child),
                missing=rules_of.describe_missing(rules_of.missing_approvals(meeting))
                if meeting.state == MeetingState.AWAITING_APPROVAL
                else "",
                back_url=request.GET.get("back", "")
                if request.GET.get("back", "").startswith("/meetings/")
                else "",
            ),
        )
    form = ApproveForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    response = _step(
        request,
        meeting,
        lambda: services.meeting_approve(meeting=meeting, by=request.user, note=note),
        "Your approval has been recorded.",
    )
    return response


def _reason_step(
    request: HttpRequest,
    pk: int,
    *,
    run,
    title: str,
    button: str,
    hint: str,
    success: str,
    needs: set[str] | None = None,
) -> HttpResponse:
    meeting = _meeting(request, pk)
    form = ReasonForm(_posted(request))
    form.fields["reason"].help_text = hint
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            run(meeting, form.cleaned_data["reason"])
        except RuleRefusal as exc:
            _attach(request, form, exc)
        else:
            messages.success(request, success)
            return redirect("workflows:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "workflows/reason.html",
        _context(
            meeting,
            request,
            form=form,
            refusal=refusal,
            title=title,
            button=button,
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline with a reason the requester sees (P2)."""
    return _reason_step(
        request,
        pk,
        title="Decline the request",
        button="Decline the request",
        hint="The person who asked for the meeting will read this reason.",
        run=lambda m, reason: services.meeting_decline(meeting=m, by=request.user, reason=reason),
        success="The request has been declined and the requester can see your reason.",
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel from any open state, with a reason (G8)."""
    return _reason_step(
        request,
        pk,
        title="Cancel the meeting",
        button="Cancel the meeting",
        hint="Everyone involved will see why the meeting was cancelled.",
        run=lambda m, reason: services.meeting_cancel(meeting=m, by=request.user, reason=reason),
        success="The meeting has been cancelled.",
    )


@login_required
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Chair, date, venue, invitations (P3, P4, P5, B5, D5, G6)."""
    meeting = _meeting(request, pk)
    candidates = eligible_chairs(meeting)
    initial = {}
    if meeting.scheduled_for:
        local = timezone.localtime(meeting.scheduled_for)
        initial = {
            "day": local.date(),
            "start": f"{local:%H:%M}",
            "venue": meeting.venue,
            "chair": str(meeting.chair_id or ""),
            "child_invited": {True: "yes", False: "no"}.get(meeting.child_invited, ""),
            "child_invite_reason": meeting.child_invite_reason,
            "late_reason": meeting.late_reason,
        }
    form = ScheduleForm(
        _posted(request),
        initial=initial,
        candidates=candidates,
        suggestions=invitee_suggestions(meeting),
        due_on=meeting.due_on,
        current=list(meeting.invitees.order_by("pk")) if meeting.scheduled_for else None,
    )
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chair = next(c.user for c in candidates if str(c.user.pk) == data["chair"])
        try:
            services.meeting_schedule(
                meeting=meeting,
                by=request.user,
                chair=chair,
                scheduled_for=form.scheduled_for(),
                venue=data["venue"],
                child_invited=data["child_invited"] == "yes",
                child_invite_reason=data["child_invite_reason"],
                invitees=form.invitees(),
                late_reason=data.get("late_reason", ""),
            )
        except RuleRefusal as exc:
            _attach(request, form, exc)
        else:
            messages.success(request, "The meeting has been arranged and the invitations sent.")
            return redirect("workflows:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "workflows/schedule.html",
        _context(
            meeting,
            request,
            form=form,
            refusal=refusal,
            title="Arrange the meeting",
            candidates=candidates,
            refused=[c for c in candidates if not c.eligible],
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the meeting took place and who came; starts the minutes clock (P8)."""
    meeting = _meeting(request, pk)
    invitees = meeting.invitees.order_by("pk")
    initial = {
        "held_day": timezone.localtime(meeting.scheduled_for).date() if meeting.scheduled_for else None
    }
    form = HeldForm(_posted(request), invitees=invitees, initial=initial)
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_held(
                meeting=meeting, by=request.user, held_at=form.held_at(), attendance=form.attendance()
            )
        except RuleRefusal as exc:
            _attach(request, form, exc)
        else:
            messages.success(request, "The meeting is recorded as held. The minutes are now due.")
            return redirect("workflows:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "workflows/held.html",
        _context(meeting, request, form=form, refusal=refusal, title="Record that the meeting was held"),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the outcome questions (D10, B7) and close; follow-ups are created (D11)."""
    meeting = _meeting(request, pk)
    form = CloseForm(_posted(request), questions=rules_of.outcome_questions_for(meeting))
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_close(meeting=meeting, by=request.user, outcome_answers=form.answers())
        except RuleRefusal as exc:
            _attach(request, form, exc)
        else:
            messages.success(request, "The meeting is closed.")
            return redirect("workflows:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "workflows/close.html",
        _context(meeting, request, form=form, refusal=refusal, title="Close the meeting"),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def provider_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an agency provider's notice; refused before the meeting unless a safeguarding move (B3)."""
    meeting = _meeting(request, pk)
    form = ProviderNoticeForm(_posted(request))
    refusal = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.provider_notice_record(
                meeting=meeting,
                by=request.user,
                given_on=data["given_on"],
                immediate_safeguarding_move=data["immediate_safeguarding_move"],
                note=data["note"],
            )
        except RuleRefusal as exc:
            _attach(request, form, exc)
        else:
            messages.success(request, "The provider's notice is recorded.")
            return redirect("workflows:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "workflows/provider_notice.html",
        _context(meeting, request, form=form, refusal=refusal, title="Record a provider's notice"),
        status=400 if request.method == "POST" else 200,
    )
