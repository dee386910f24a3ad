"""After the meeting: minutes approved and circulated (P6, P7, D9), closing with the outcomes (D10,
B7, D11), and an agency provider's notice (B3)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from .. import policy as rules_of
from .. import services
from ..forms import CloseForm, ProviderNoticeForm
from .common import form_step, meeting_or_404, one_button, posted

minutes_approve = one_button(services.minutes_approve, "The minutes are approved.")
minutes_circulate = one_button(
    services.minutes_circulate,
    "The minutes have been sent to everyone invited and to those the procedure always includes.",
)


@login_required
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer the outcome questions (D10, B7) and close; follow-ups are created (D11)."""
    meeting = meeting_or_404(request, pk)
    form = CloseForm(posted(request), questions=rules_of.outcome_questions_for(meeting))
    return form_step(
        request,
        meeting,
        form,
        template="workflows/close.html",
        title="Close the meeting",
        run=lambda f: services.meeting_close(meeting=meeting, by=request.user, outcome_answers=f.answers()),
        success="The meeting is closed.",
    )


@login_required
def provider_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an agency provider's notice; refused before the meeting unless a safeguarding move (B3)."""
    meeting = meeting_or_404(request, pk)
    form = ProviderNoticeForm(posted(request))
    return form_step(
        request,
        meeting,
        form,
        template="workflows/provider_notice.html",
        title="Record a provider's notice",
        run=lambda f: services.provider_notice_record(
            meeting=meeting,
            by=request.user,
            given_on=f.cleaned_data["given_on"],
            immediate_safeguarding_move=f.cleaned_data["immediate_safeguarding_move"],
            note=f.cleaned_data["note"],
        ),
        success="The provider's notice is recorded.",
    )
