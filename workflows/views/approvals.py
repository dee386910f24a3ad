"""Deciding on a request (P2, B1, D3), and the steps that need only a reason: decline and cancel (G8)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.redirects import safe_next

from .. import policy as rules_of
from .. import services
from ..choices import MeetingState
from ..forms import ApproveForm, ReasonForm
from .common import button_step, child_link, form_step, meeting_or_404, posted, step_context


@login_required
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the request, then approve it (P2, B1, D3): a confirmation page, never a one-click approval
    from a list. Posting from the confirmation page (or the meeting page's form) records the approval."""
    meeting = meeting_or_404(request, pk)
    if request.method != "POST":
        return render(
            request,
            "workflows/approve.html",
            step_context(
                meeting,
                request,
                form=ApproveForm(),
                refusal=rules_of.approver_refusal(meeting, request.user),
                title="Approve the request",
                child_url=child_link(request.user, meeting.child),
                missing=rules_of.waiting_for(meeting)
                if meeting.state == MeetingState.AWAITING_APPROVAL
                else "",
                back_url=safe_next(request, request.GET.get("back")),
            ),
        )
    form = ApproveForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    return button_step(
        request,
        meeting,
        lambda: services.meeting_approve(meeting=meeting, by=request.user, note=note),
        "Your approval has been recorded.",
    )


def _reason_step(
    request: HttpRequest, pk: int, *, service, title: str, hint: str, success: str
) -> HttpResponse:
    """A step that needs only a reason: ``service(meeting=, by=, reason=)``."""
    meeting = meeting_or_404(request, pk)
    form = ReasonForm(posted(request))
    form.fields["reason"].help_text = hint
    return form_step(
        request,
        meeting,
        form,
        template="workflows/reason.html",
        title=title,
        button=title,
        run=lambda f: service(meeting=meeting, by=request.user, reason=f.cleaned_data["reason"]),
        success=success,
    )


@login_required
def meeting_decline(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline with a reason the requester sees (P2)."""
    return _reason_step(
        request,
        pk,
        service=services.meeting_decline,
        title="Decline the request",
        hint="The person who asked for the meeting will read this reason.",
        success="The request has been declined and the requester can see your reason.",
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel from any open state, with a reason (G8)."""
    return _reason_step(
        request,
        pk,
        service=services.meeting_cancel,
        title="Cancel the meeting",
        hint="Everyone involved will see why the meeting was cancelled.",
        success="The meeting has been cancelled.",
    )
