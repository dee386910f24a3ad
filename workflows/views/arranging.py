"""Arranging the meeting (chair, date, venue, invitations) and recording that it was held (P3, P4, P5,
P8)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .. import services
from ..forms import HeldForm, ScheduleForm
from ..participants import eligible_chairs, invitee_suggestions
from .common import form_step, meeting_or_404, posted


@login_required
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Chair, date, venue, invitations (P3, P4, P5, B5, D5, G6)."""
    meeting = meeting_or_404(request, pk)
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
        posted(request),
        initial=initial,
        candidates=candidates,
        suggestions=invitee_suggestions(meeting),
        due_on=meeting.due_on,
        current=list(meeting.invitees.order_by("pk")) if meeting.scheduled_for else None,
    )

    def run(form: ScheduleForm):
        data = form.cleaned_data
        return services.meeting_schedule(
            meeting=meeting,
            by=request.user,
            chair=next(c.user for c in candidates if str(c.user.pk) == data["chair"]),
            scheduled_for=form.scheduled_for(),
            venue=data["venue"],
            child_invited=data["child_invited"] == "yes",
            child_invite_reason=data["child_invite_reason"],
            invitees=form.invitees(),
            late_reason=data.get("late_reason", ""),
        )

    return form_step(
        request,
        meeting,
        form,
        template="workflows/schedule.html",
        title="Arrange the meeting",
        run=run,
        success="The meeting has been arranged and the invitations sent.",
        candidates=candidates,
        refused=[c for c in candidates if not c.eligible],
    )


@login_required
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the meeting took place and who came; starts the minutes clock (P8)."""
    meeting = meeting_or_404(request, pk)
    initial = {
        "held_day": timezone.localtime(meeting.scheduled_for).date() if meeting.scheduled_for else None
    }
    form = HeldForm(posted(request), invitees=meeting.invitees.order_by("pk"), initial=initial)
    return form_step(
        request,
        meeting,
        form,
        template="workflows/held.html",
        title="Record that the meeting was held",
        run=lambda f: services.meeting_record_held(
            meeting=meeting, by=request.user, held_at=f.held_at(), attendance=f.attendance()
        ),
        success="The meeting is recorded as held. The minutes are now due.",
    )
