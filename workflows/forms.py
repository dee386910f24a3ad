"""Worker forms for the meeting screens. They parse input only; every rule is checked by the services."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from portal import dates
from portal.govuk_forms import GovukDateField, GovukForm, Note
from portal.models import Placement

from .choices import Anchor, AnswerKind, Attendance, Requirement
from .models import MeetingType
from .policy import participant_label, policy_anchors
from .vocabularies import pack_vocabularies

REASON_HINT = "The people involved will read this."


class TimeInput(forms.TimeInput):
    input_type = "time"
    format = "%H:%M"


def _placement_label(placement: Placement) -> str:
    ended = f" to {dates.day(placement.end_date)}" if placement.end_date else " (current)"
    since = f"{dates.day(placement.start_date)}"
    return f"{placement.get_category_display()}: {placement.placed_with}, from {since}{ended}"


class MeetingTypeChoiceForm(GovukForm):
    meeting_type = forms.ModelChoiceField(
        queryset=MeetingType.objects.none(),
        widget=forms.RadioSelect,
        label="Which meeting do you want to request?",
        error_messages={"required": "Choose the meeting you want to request."},
    )

    def __init__(self, *args: Any, meeting_types, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting_type"].queryset = meeting_types
        self.fields["meeting_type"].label_from_instance = lambda mt: f"{mt.name} ({mt.pack.name})"


# Free text on a request: a documented maximum, and a sentence (never a silent cut) when it is passed.
REQUEST_TEXT_MAX = 10_000


def _too_long_message(label: str) -> str:
    return f"“{label}” can be at most {REQUEST_TEXT_MAX:,} characters; it has %(show_value)s. Shorten it."


class MeetingRequestForm(GovukForm):
    """The request for one meeting type: which placement, why, what was tried, and the anchor date (P1)."""

    placement = forms.ModelChoiceField(
        queryset=Placement.objects.none(),
        widget=forms.RadioSelect,
        label="Which placement is this about?",
        error_messages={"required": "Choose the placement this meeting is about."},
    )
    triggers = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Why is the meeting needed?"
    )
    support_tried = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=REQUEST_TEXT_MAX,
        help_text=f"Up to {REQUEST_TEXT_MAX:,} characters.",
    )
    concern_raised_on = GovukDateField(
        required=False, subject="The date the concern was raised", label="When was the concern raised?"
    )
    concern_raised_by_kind = forms.ChoiceField(
        required=False,
        label="Who raised the concern?",
        help_text="The kind of person, inside or outside the council.",
        widget=forms.Select(attrs={"class": "govuk-select"}),
        error_messages={"invalid_choice": "Choose who raised the concern from the list."},
    )
    concern_raised_by = forms.CharField(
        required=False,
        max_length=200,
        label="Their name or role",
        help_text="For example, the child's teacher.",
    )
    request_flags = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Does any of these describe the request?",
        help_text="Select all that apply.",
        error_messages={"invalid_choice": "Choose the request's flags from the list."},
    )
    notified_on = GovukDateField(
        required=False,
        subject="The date the risk was notified",
        label="When was the risk of breakdown notified?",
    )
    request_details = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Anything else the approver should know",
        max_length=REQUEST_TEXT_MAX,
        help_text=f"Up to {REQUEST_TEXT_MAX:,} characters.",
        error_messages={"max_length": _too_long_message("Anything else the approver should know")},
    )

    def __init__(
        self, *args: Any, policy: MeetingType, placements, vocabularies: dict | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy
        # The pack's own lists (issue 10): who can raise a concern, and the request flags it defines.

        vocabularies = vocabularies or pack_vocabularies(policy.pack if policy.pack_id else None)
        self.fields["concern_raised_by_kind"].choices = [("", "Choose who raised it")] + list(
            vocabularies["person_kind"]
        )
        if vocabularies["request_flag"]:
            self.fields["request_flags"].choices = list(vocabularies["request_flag"])
        else:
            del self.fields["request_flags"]
        self.fields["placement"].queryset = placements
        self.fields["placement"].label_from_instance = _placement_label
        triggers = [(row.value["key"], row.value["label"]) for row in policy.triggers]
        if triggers:
            self.fields["triggers"].choices = triggers
        else:
            del self.fields["triggers"]
        label = policy.support_tried_label or "What support has been tried so far?"
        self.fields["support_tried"].label = label
        self.fields["support_tried"].error_messages["max_length"] = _too_long_message(label.rstrip("?"))

        anchors = policy_anchors(policy)
        if Anchor.CONCERN_RAISED not in anchors:
            del self.fields["concern_raised_on"], self.fields["concern_raised_by"]
        if Anchor.NOTIFICATION not in anchors:
            del self.fields["notified_on"]
        # Everything is checked by the service (all problems at once); the form marks what is needed.
        needed = {
            "placement": True,
            "triggers": bool(triggers),
            "support_tried": policy.support_tried_required,
            "concern_raised_on": True,
            "notified_on": True,
        }
        for name, field in self.fields.items():
            field.optional = not needed.get(name, False)


class ReasonForm(GovukForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Reason",
        help_text=REASON_HINT,
        max_length=4000,
        error_messages={"required": "Give the reason."},
    )


class ApproveForm(GovukForm):
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note",
        help_text="The person who asked for the meeting will see it.",
    )


YES_NO = [("yes", "Yes"), ("no", "No")]


class ScheduleForm(GovukForm):
    """Chair, date, venue, invitations and the child's invitation decision (P3, P4, P5, G6)."""

    day = GovukDateField(subject="The date of the meeting", label="Date")
    start = forms.TimeField(
        widget=TimeInput,
        label="Start time",
        error_messages={"required": "Enter the start time.", "invalid": "Enter a time like 14:30."},
    )
    venue = forms.CharField(
        max_length=255, label="Where", error_messages={"required": "Say where it will be."}
    )
    chair = forms.ChoiceField(
        widget=forms.RadioSelect,
        label="Chair",
        error_messages={
            "required": "Choose a chair from those who may chair this meeting.",
            "invalid_choice": "Choose a chair from those who may chair this meeting.",
        },
    )
    child_invited = forms.ChoiceField(
        choices=YES_NO,
        widget=forms.RadioSelect,
        label="Is the child invited?",
        error_messages={"required": "Say whether the child is invited."},
    )
    child_invite_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why (how the child's wishes and feelings will be heard)",
    )
    late_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Why is the meeting late?",
    )

    def __init__(
        self,
        *args: Any,
        candidates,
        suggestions: list[dict],
        due_on: date | None = None,
        current=None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["child_invite_reason"].optional = False
        self.due_on = due_on
        if due_on is None:
            del self.fields["late_reason"]
        else:
            latest = f"{due_on:%A} {due_on.day} {due_on:%B %Y}"
            self.fields["late_reason"].label = f"If the meeting is after {latest}, why is it late?"
            self.fields["late_reason"].help_text = (
                "The procedure says the meeting should be held by then. You can still arrange it later: "
                "the reason is recorded on the meeting and it counts as late."
            )
            self.fields["late_reason"].optional = False
        self.candidates = candidates
        self.fields["chair"].choices = [(str(c.user.pk), str(c.user)) for c in candidates if c.eligible]
        if not self.fields["chair"].choices:
            self.fields["chair"].govuk_notes = [
                Note(
                    "before_input",
                    "Nobody may chair this meeting under the procedure's rules.",
                    "govuk-body govuk-!-font-weight-bold",
                    "p",
                    id=self["chair"].auto_id,
                )
            ]
        self.suggestions = [s for s in suggestions if s["role"] != "child"]
        # "Change the arrangements": each role's row starts from who was invited last time.
        earlier: dict[str, list] = {}
        for invitee in current or []:
            earlier.setdefault(invitee.role, []).append(invitee)
        for i, s in enumerate(self.suggestions):
            before = earlier.get(s["role"], [])
            was = before.pop(0) if before else None
            invited = (
                was.attendance != Attendance.NOT_INVITED
                if was
                else (not current and s["requirement"] == Requirement.REQUIRED)
            )
            self.fields[f"invite_{i}"] = forms.BooleanField(
                required=False, initial=invited, label=f"Invite {s['role_label'].lower()}"
            )
            self.fields[f"name_{i}"] = forms.CharField(
                required=False, max_length=200, initial=was.name if was else s["name"], label="Name"
            )
            self.fields[f"email_{i}"] = forms.EmailField(
                required=False,
                initial=(was.email if was else "") or s["email"],
                label="Email",
                error_messages={"invalid": "Enter a real email address."},
            )
            self.fields[f"reason_{i}"] = forms.CharField(
                required=False,
                max_length=500,
                initial=was.not_invited_reason if was else "",
                label="If not invited, why",
            )
            for name in ("name", "email"):
                self.fields[f"{name}_{i}"].optional = True
            self.fields[f"reason_{i}"].optional = False  # needed exactly when not invited: the label says so

    def invitee_rows(self) -> list[dict]:
        """The suggestion rows with their bound fields, for the template."""
        return [
            {
                **s,
                "invite": self[f"invite_{i}"],
                "name_field": self[f"name_{i}"],
                "email_field": self[f"email_{i}"],
                "reason_field": self[f"reason_{i}"],
            }
            for i, s in enumerate(self.suggestions)
        ]

    def scheduled_for(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"]))

    def invitees(self) -> list[dict]:
        rows = []
        for i, s in enumerate(self.suggestions):
            invited = self.cleaned_data.get(f"invite_{i}")
            name = (self.cleaned_data.get(f"name_{i}") or "").strip() or s["role_label"]
            reason = (self.cleaned_data.get(f"reason_{i}") or "").strip()
            if not invited and not reason and s["requirement"] != Requirement.REQUIRED:
                continue  # optional and left out: not part of the meeting
            rows.append(
                {
                    "role": s["role"],
                    "user": s["user"],
                    "name": name,
                    "email": self.cleaned_data.get(f"email_{i}") or "",
                    "requirement": s["requirement"],
                    "attendance": Attendance.INVITED if invited else Attendance.NOT_INVITED,
                    "not_invited_reason": "" if invited else reason,
                }
            )
        return rows


class HeldForm(GovukForm):
    """Who came (present, apologies, did not attend, not invited) (G3)."""

    held_day = GovukDateField(subject="The date the meeting was held", label="Date it was held")

    def __init__(self, *args: Any, invitees, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = list(invitees)
        choices = [
            (Attendance.PRESENT, "Present"),
            (Attendance.APOLOGIES, "Sent apologies"),
            (Attendance.DID_NOT_ATTEND, "Did not attend"),
        ]
        for invitee in self.invitees:
            field_choices = choices + (
                [(Attendance.NOT_INVITED, "Not invited")]
                if invitee.attendance == Attendance.NOT_INVITED
                else []
            )
            self.fields[f"attendance_{invitee.pk}"] = forms.ChoiceField(
                choices=field_choices,
                widget=forms.RadioSelect,
                label=f"{invitee.name} ({participant_label(invitee.role)})",
                initial=Attendance.NOT_INVITED
                if invitee.attendance == Attendance.NOT_INVITED
                else Attendance.PRESENT,
                error_messages={"required": f"Say whether {invitee.name} was present."},
            )

    def attendance(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"attendance_{i.pk}"] for i in self.invitees}

    def held_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["held_day"], time(12, 0)))


class CloseForm(GovukForm):
    """The policy's outcome questions (D10, B7), answered before closing."""

    def __init__(self, *args: Any, questions: list[dict], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in questions:
            key = f"q_{q['key']}"
            if q.get("answer_kind") == AnswerKind.YES_NO:
                self.fields[key] = forms.ChoiceField(
                    choices=YES_NO,
                    widget=forms.RadioSelect,
                    label=q["question"],
                    required=bool(q.get("required", True)),
                )
            else:
                self.fields[key] = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}),
                    label=q["question"],
                    required=bool(q.get("required", True)),
                )
            self.fields[key].error_messages["required"] = f"Answer “{q['question']}”."

    def answers(self) -> dict[str, Any]:
        return {k.removeprefix("q_"): v for k, v in self.cleaned_data.items()}


class ProviderNoticeForm(GovukForm):
    given_on = GovukDateField(
        subject="The date the provider gave notice", label="Date the provider gave notice"
    )
    immediate_safeguarding_move = forms.BooleanField(
        required=False, label="The child must move at once for safeguarding reasons"
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Note")
