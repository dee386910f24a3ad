"""What every meeting screen shares: the meeting or 404, the form bound to what was posted, a refusal
shown as its plain sentence beside the field it is about (the rule ID goes to the log, what the worker
typed is kept), and the one shape of a step, a button (``button_step``) or a form (``form_step``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.selectors import children_for_user

from ..models import Meeting
from ..rules import RuleRefusal, refusal_log
from ..selectors import meeting_for_user


def meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    """The meeting if this user may see it; 404 otherwise (never "forbidden", which would confirm it)."""
    try:
        return meeting_for_user(request.user, pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting") from exc


def posted(request: HttpRequest):
    """The POST data to bind a form to (even when empty, so an empty post shows its errors)."""
    return request.POST if request.method == "POST" else None


def refused(request: HttpRequest, refusal: RuleRefusal) -> None:
    """A refused button: its sentence as a message at the top of the page."""
    refusal_log(refusal, user=request.user, action=request.path)
    messages.error(request, refusal.message)


def attach(request: HttpRequest, form: forms.Form, refusal: RuleRefusal) -> None:
    """Show each refusal beside its field (or at the top of the form); the rule ID goes to the log."""
    refusal_log(refusal, user=request.user, action=request.path)
    for one in getattr(refusal, "refusals", [refusal]):
        if one.field in form.fields:
            if one.field not in form.errors:
                form.add_error(one.field, one.message)
        else:
            form.add_error(None, one.message)


def visible_children(user, child_ids: list[int]) -> set[int]:
    """Which of these children the user may open (one query), so names link only where they may go."""
    return set(children_for_user(user).filter(pk__in=set(child_ids)).values_list("pk", flat=True))


def child_link(user, child) -> str:
    """The child's page when this user may open it, else '' (names are plain text then)."""
    return child.get_absolute_url() if children_for_user(user).filter(pk=child.pk).exists() else ""


def step_context(meeting: Meeting, request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "meeting": meeting,
        "policy": meeting.policy,
        "pack_slug": meeting.meeting_type.pack.slug,
        "today": timezone.localdate(),
        **extra,
    }


def to_meeting(meeting: Meeting) -> HttpResponse:
    return redirect("workflows:meeting_detail", pk=meeting.pk)


def _said(success: str | Callable[[Any], str], result: Any) -> str:
    return success(result) if callable(success) else success


def button_step(
    request: HttpRequest, meeting: Meeting, run: Callable[[], Any], success: str | Callable[[Any], str]
) -> HttpResponse:
    """Run a one-button step; a refusal (stale page included) comes back as a message with its rule.
    ``success`` is the message, or makes it from what ``run`` returned."""
    try:
        result = run()
    except RuleRefusal as refusal:
        refused(request, refusal)
    else:
        messages.success(request, _said(success, result))
    return to_meeting(meeting)


def one_button(service, success: str):
    """A view for a step that needs nothing but the button: ``service(meeting=, by=)``."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        meeting = meeting_or_404(request, pk)
        return button_step(request, meeting, lambda: service(meeting=meeting, by=request.user), success)

    return view


def form_step(
    request: HttpRequest,
    meeting: Meeting,
    form: forms.Form,
    *,
    template: str,
    title: str,
    run: Callable[[forms.Form], Any],
    success: str | Callable[[Any], str],
    **extra: Any,
) -> HttpResponse:
    """The one shape of a step with a form: GET shows it; a valid POST runs ``run(form)`` (the service,
    which checks every rule); a refusal comes back beside its field with what was typed kept (400);
    success says so and goes back to the meeting page."""
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form)
        except RuleRefusal as refusal:
            attach(request, form, refusal)
        else:
            messages.success(request, _said(success, result))
            return to_meeting(meeting)
    return render(
        request,
        template,
        step_context(meeting, request, form=form, title=title, **extra),
        status=400 if request.method == "POST" else 200,
    )
