"""Screens for an action's status and the IRO's review pack (issue 13). Thin: the services in
workflows/actions.py and workflows/reviews.py check who may do what and write the history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from portal.redirects import safe_next
from portal.selectors import child_get_for_user

from . import services
from .actions import action_change_refusal, action_history
from .choices import ACTIVE_ACTION_STATUSES
from .forms_actions import ActionStatusForm, ReviewForm
from .reviews import actions_to_decide, review_pack, review_refusal
from .rules import RuleRefusal, refusal_log
from .selectors import actions_for_user_scope


def _next_url(request: HttpRequest, default: str) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), default)


@login_required
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """An action, its status history and (for who may change it) the form to move it on."""
    action = (
        actions_for_user_scope(request.user)
        .filter(pk=pk)
        .select_related("meeting__meeting_type", "child__team", "owner")
        .first()
    )
    if action is None:
        raise Http404("No such action")
    back = _next_url(request, action.meeting.get_absolute_url())
    can_change = (
        action.status in ACTIVE_ACTION_STATUSES and action_change_refusal(action, request.user) is None
    )
    refusal = None
    form = ActionStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_status_set(action=action, by=request.user, **form.service_kwargs())
        except RuleRefusal as exc:
            refusal_log(exc, user=request.user, action=request.path)
            refusal = exc
        else:
            action.refresh_from_db()
            messages.success(request, f"Action now {action.get_status_display().lower()}: {action}")
            return redirect(back)
    return render(
        request,
        "workflows/action_update.html",
        {
            "action": action,
            "history": action_history(action),
            "form": form,
            "refusal": refusal,
            "can_change": can_change,
            "back_url": back,
            "today": timezone.localdate(),
        },
        status=403 if refusal else 200,
    )


@login_required
def child_review(request: HttpRequest, child_pk: int) -> HttpResponse:
    """The IRO's review pack for one child (printable) and, for the child's IRO, recording the review."""
    child = child_get_for_user(user=request.user, pk=child_pk)
    previous, meetings = review_pack(child)
    may_record = review_refusal(child, request.user) is None
    to_decide = actions_to_decide(child) if may_record else []
    form = ReviewForm(request.POST or None, actions=to_decide, initial={"held_on": timezone.localdate()})
    refusal = None
    if request.method == "POST":
        if not may_record:
            refusal = review_refusal(child, request.user)
            refusal_log(refusal, user=request.user, action=request.path)
        elif form.is_valid():
            try:
                review = services.looked_after_review_record(
                    child=child,
                    by=request.user,
                    held_on=form.cleaned_data["held_on"],
                    decisions=form.decisions(),
                    note=form.cleaned_data["note"],
                )
            except RuleRefusal as exc:
                refusal_log(exc, user=request.user, action=request.path)
                refusal = exc
            else:
                messages.success(request, f"Review of {review.held_on:%-d %B %Y} recorded.")
                return redirect("workflows:child_review", child_pk=child.pk)
    return render(
        request,
        "workflows/review_pack.html",
        {
            "child": child,
            "previous": previous,
            "meetings": meetings,
            "form": form,
            "rows": form.rows(),
            "may_record": may_record,
            "refusal": refusal,
            "today": timezone.localdate(),
        },
        status=403 if refusal and not may_record else 200,
    )
