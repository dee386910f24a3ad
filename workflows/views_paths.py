"""Worker screens for the alternative paths (issue 10): record that a meeting will not be held, and the
"consider a meeting" tasks case triggers give. Thin views over `workflows.paths` and
`workflows.case_triggers`; a refusal is shown as its plain sentence, what was typed is kept.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from portal.govuk_forms import GovukForm
from portal.paging import IdsFirstPaginator
from portal.selectors import children_for_user

from .case_triggers import (
    consider_refusal,
    consider_task_decide,
    consider_tasks_for_user,
    consider_tasks_waiting,
)
from .choices import NOT_HELD_SOURCES, ConsiderDecision
from .models import Meeting
from .not_held import not_held_decider_refusal, not_held_document_label, not_held_path
from .paths import meeting_not_held
from .rules import RuleRefusal, refusal_log
from .selectors import meeting_for_user

PER_PAGE = 25


class NotHeldForm(GovukForm):
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Why will the meeting not be held?",
        max_length=4000,
    )

    def __init__(self, *args, reason_required: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.required = reason_required
        field.error_messages["required"] = "Give the reason the meeting will not be held."
        field.help_text = "Everyone involved will read this. It is kept in the meeting's history."


class ConsiderForm(GovukForm):
    decision = forms.ChoiceField(
        choices=ConsiderDecision.choices,
        widget=forms.RadioSelect,
        label="What have you decided?",
        error_messages={"required": "Choose whether to hold the meeting."},
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Why will the meeting not be held?",
        help_text="Needed when you decide not to hold it.",
        max_length=4000,
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == ConsiderDecision.DO_NOT_HOLD and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason the meeting will not be held.")
        return data


def _attach(request: HttpRequest, form: forms.Form, refusal: RuleRefusal) -> None:
    refusal_log(refusal, user=request.user, action=request.path)
    if refusal.field in form.fields:
        form.add_error(refusal.field, refusal.message)
    else:
        form.add_error(None, refusal.message)


def _sees_child(user, child_id: int) -> bool:
    return children_for_user(user).filter(pk=child_id).exists()


def _meeting(request: HttpRequest, pk: int) -> Meeting:
    try:
        return meeting_for_user(request.user, pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("No such meeting") from exc


@login_required
def meeting_not_held_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the meeting will not be held, under the policy's not-held path (issue 10).

    With no path for this case, or for someone who may not decide it, the page says why and shows no form.
    """
    meeting = _meeting(request, pk)
    path = not_held_path(meeting) or {}
    refusal = not_held_decider_refusal(meeting, request.user)
    if refusal is None and meeting.state not in NOT_HELD_SOURCES:
        refusal = RuleRefusal(
            "",
            f"This meeting is {meeting.get_state_display().lower()}, "
            "so it can no longer be recorded as not held.",
        )
    form = NotHeldForm(
        request.POST if request.method == "POST" else None, reason_required=bool(path.get("reason_required"))
    )
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            meeting_not_held(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        except RuleRefusal as exc:
            _attach(request, form, exc)
        else:
            messages.success(request, "Recorded: the meeting will not be held.")
            return redirect("workflows:meeting_detail", pk=meeting.pk)
    if refusal is not None:
        refusal_log(refusal, user=request.user, action=request.path)
    document_key = path.get("document_form_key") or ""
    return render(
        request,
        "workflows/not_held.html",
        {
            "meeting": meeting,
            "today": timezone.localdate(),
            "title": "Record that the meeting will not be held",
            "form": form,
            "refusal": refusal,
            "path": path,
            "document_label": not_held_document_label(document_key) if document_key else "",
            "document_link": (
                f"/forms/start/{document_key}/?child={meeting.child_id}&placement={meeting.placement_id}"
                f"&subject={meeting.reference}"
                f"&next={reverse('workflows:meeting_not_held', args=[meeting.pk])}"
                if document_key
                else ""
            ),
        },
        status=400 if request.method == "POST" and (form.errors or refusal) else 200,
    )


@login_required
def consider_task_list(request: HttpRequest) -> HttpResponse:
    """The "consider a meeting" tasks the user may see: waiting for their decision first, then the rest."""
    waiting = list(consider_tasks_waiting(request.user))
    others = (
        consider_tasks_for_user(request.user)
        .exclude(pk__in=[t.pk for t in waiting])
        .order_by("-created_at", "-pk")
    )
    page = IdsFirstPaginator(others, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workflows/consider_list.html",
        {"waiting": waiting, "page": page, "today": timezone.localdate()},
    )


@login_required
def consider_task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One task: why it was given, and the decision (hold: the request screen follows; do not hold: why)."""
    task = consider_tasks_for_user(request.user).filter(pk=pk).first()
    if task is None:
        raise Http404("No such task")
    refusal = consider_refusal(task, request.user)
    form = ConsiderForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and refusal is None and form.is_valid():
        data = form.cleaned_data
        try:
            task = consider_task_decide(
                task=task, by=request.user, decision=data["decision"], reason=data["reason"]
            )
        except RuleRefusal as exc:
            _attach(request, form, exc)
        else:
            if task.decision == ConsiderDecision.HOLD and not _sees_child(request.user, task.child_id):
                who = task.child.social_worker or "the child's social worker"
                messages.success(request, f"Recorded: the meeting will be held. Ask {who} to request it.")
                return redirect("workflows:consider_task", pk=task.pk)
            if task.decision == ConsiderDecision.HOLD:
                messages.success(request, "Recorded: the meeting will be held. Make the request now.")
                url = reverse("workflows:meeting_request", args=[task.child_id])
                return redirect(
                    f"{url}?type={task.meeting_type_id}&placement={task.placement_id}&consider={task.pk}"
                )
            messages.success(request, "Recorded: the meeting will not be held, with your reason.")
            return redirect("workflows:consider_task_list")
    return render(
        request,
        "workflows/consider_task.html",
        {
            "task": task,
            "form": form,
            "refusal": refusal if not task.decision else None,
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )
