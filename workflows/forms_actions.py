"""Forms for an action's status and for recording a looked-after review (issue 13). The services check
everything again; these forms put each missing answer beside its field."""

from __future__ import annotations

from typing import Any

from django import forms

from portal import dates
from portal.govuk_forms import GovukDateField, GovukForm, Reveal

from .actions import EVALUATION_NEEDED, NOTE_NEEDED
from .choices import ActionStatus
from .models import Action
from .reviews import CARRY_ON, DECISIONS, DUE_DATE, ReviewDecision

STATUS_CHOICES = [
    (ActionStatus.IN_PROGRESS.value, "In progress"),
    (ActionStatus.DONE.value, "Done"),
    (ActionStatus.DROPPED.value, "Dropped"),
]


class ActionStatusForm(GovukForm):
    """One status radio; each option reveals the text it needs (GOV.UK conditional radios)."""

    status = forms.ChoiceField(
        choices=STATUS_CHOICES,
        widget=forms.RadioSelect,
        label="Where is this action now?",
        error_messages={"required": "Choose in progress, done or dropped."},
    )
    progress_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What has been done so far"
    )
    done_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="What was done"
    )
    evaluated = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="How the outcome was evaluated",
        help_text="For example, what the child, carers or school said had changed.",
    )
    dropped_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Why the action is dropped"
    )

    NOTE_FIELD = {
        ActionStatus.IN_PROGRESS: "progress_note",
        ActionStatus.DONE: "done_note",
        ActionStatus.DROPPED: "dropped_reason",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        status.legend_class, status.legend_heading, status.choices_modifier = (
            "govuk-fieldset__legend--m",
            True,
            "",
        )
        status.reveal = {
            ActionStatus.IN_PROGRESS: Reveal(fields=("progress_note",)),
            ActionStatus.DONE: Reveal(fields=("done_note", "evaluated")),
            ActionStatus.DROPPED: Reveal(fields=("dropped_reason",)),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("status")
        if status:
            field = self.NOTE_FIELD[status]
            if not data.get(field, "").strip():
                self.add_error(field, NOTE_NEEDED[status])
            if status == ActionStatus.DONE and not data.get("evaluated", "").strip():
                self.add_error("evaluated", EVALUATION_NEEDED)
        return data

    def service_kwargs(self) -> dict[str, str]:
        status = self.cleaned_data["status"]
        return {
            "status": status,
            "note": self.cleaned_data[self.NOTE_FIELD[status]],
            "evaluated": self.cleaned_data["evaluated"] if status == ActionStatus.DONE else "",
        }


class ReviewForm(GovukForm):
    """The review's date and, for each action still to do, a decision (defaulting to carry on)."""

    held_on = GovukDateField(subject="Date of the review", label="Date of the review")
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Notes of the review"
    )

    def __init__(self, *args: Any, actions: list[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = actions
        for number, action in enumerate(actions, start=1):
            p = f"a{action.pk}"
            due = dates.day(action.due_on) if action.due_on else "no timescale"
            decision = self.fields[f"{p}_decision"] = forms.ChoiceField(
                choices=list(DECISIONS.items()),
                initial=CARRY_ON,
                widget=forms.RadioSelect,
                label=f"{number}. {action.description} ({action.meeting}, due {due})",
            )
            # Each decision but "carry on" opens what it needs (GOV.UK conditional radios).
            decision.reveal = {
                DUE_DATE: Reveal(fields=(f"{p}_due_on",)),
                ActionStatus.DONE: Reveal(
                    text="Write what was done and how the outcome was evaluated below."
                ),
                ActionStatus.DROPPED: Reveal(text="Write the reason below."),
            }
            self.fields[f"{p}_note"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                label="What was done, or the reason",
            )
            self.fields[f"{p}_evaluated"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                label="How the outcome was evaluated",
            )
            self.fields[f"{p}_due_on"] = GovukDateField(
                subject="New due date", label="New due date", required=False
            )

    def rows(self) -> list[dict[str, Any]]:
        """Each action with its bound fields, for the template."""
        return [
            {
                "action": a,
                "decision": self[f"a{a.pk}_decision"],
                "note": self[f"a{a.pk}_note"],
                "evaluated": self[f"a{a.pk}_evaluated"],
                "due_on": self[f"a{a.pk}_due_on"],
            }
            for a in self.actions
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for a in self.actions:
            p = f"a{a.pk}"
            decision = data.get(f"{p}_decision")
            if (
                decision in (ActionStatus.DONE, ActionStatus.DROPPED)
                and not data.get(f"{p}_note", "").strip()
            ):
                self.add_error(f"{p}_note", NOTE_NEEDED[decision])
            if decision == ActionStatus.DONE and not data.get(f"{p}_evaluated", "").strip():
                self.add_error(f"{p}_evaluated", EVALUATION_NEEDED)
            if decision == DUE_DATE and not data.get(f"{p}_due_on") and f"{p}_due_on" not in self.errors:
                self.add_error(f"{p}_due_on", "Enter the new due date.")
        return data

    def decisions(self) -> dict[int, ReviewDecision]:
        data = self.cleaned_data
        return {
            a.pk: ReviewDecision(
                decision=data[f"a{a.pk}_decision"],
                note=data.get(f"a{a.pk}_note", ""),
                evaluated=data.get(f"a{a.pk}_evaluated", ""),
                due_on=data.get(f"a{a.pk}_due_on"),
            )
            for a in self.actions
        }
