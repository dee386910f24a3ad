"""Asking for a meeting: choose the type, then the placement, reasons and dates; send it (P1, P2, D1, B1)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.selectors import child_get_for_user

from .. import policy as rules_of
from .. import services
from ..case_triggers import consider_task_link_meeting, consider_tasks_for_user
from ..choices import MeetingState
from ..forms import (
    MeetingRequestForm,
    MeetingTypeChoiceForm,
)
from ..models import Meeting, MeetingType
from ..paths import request_requirement_notes
from ..rules import RuleRefusal
from .common import (
    attach,
    button_step,
    meeting_or_404,
    posted,
)


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
        posted(request),
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
                attach(request, form, problem)
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
                attach(request, form, exc)
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
    task_pk = request.GET.get("consider", "")
    task = consider_tasks_for_user(request.user).filter(pk=task_pk).first() if task_pk.isdigit() else None
    if task is not None:
        consider_task_link_meeting(task=task, meeting=meeting)


@login_required
@require_POST
def meeting_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the request; the message says what happened: sent for approval, or (where the policy needs
    no approval) approved at once and ready to arrange."""
    meeting = meeting_or_404(request, pk)
    return button_step(
        request,
        meeting,
        lambda: services.meeting_submit(meeting=meeting, by=request.user),
        lambda sent: (
            "The request has been sent for approval."
            if sent.state == MeetingState.AWAITING_APPROVAL
            else "The request has been sent. It needs no approval and can be arranged now."
        ),
    )
