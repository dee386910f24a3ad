"""Reading the recorded changes of a meeting for someone allowed to see it (managers, auditors, G7).

It reads the meetings' and forms' history tables (django-simple-history, see `audit.history`), so it
lives with the meetings, above both: the audit app only records (issue 15: layers point one way).

State changes are listed from MeetingTransition by the meeting page itself; these are the other
changes: the meeting's details, invitations, reports received, decisions and actions (including those
replaced when the minutes were recorded again), and every save and submit of the meeting's forms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from forms_builder.models import FormSubmission
from portal import dates

from .models import Action, Decision, Invitee, Meeting, MeetingReport
from .selectors import meetings_for_user

MEETING_FIELDS_NOT_SHOWN = {"id", "reference", "state"}
LONG = 120


@dataclass(frozen=True)
class Change:
    at: datetime
    who: Any
    what: str


def _short(value: Any) -> str:
    if value in (None, ""):
        return "nothing"
    if isinstance(value, datetime):
        return dates.moment(value)
    text = str(value)
    return text if len(text) <= LONG else text[: LONG - 1] + "…"


def _meeting_details(meeting: Any) -> list[Change]:
    rows = list(
        Meeting.changes.filter(id=meeting.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fields = [f for f in Meeting.changes.model.tracked_fields if f.name not in MEETING_FIELDS_NOT_SHOWN]
    diffs = []  # (row, [(field, old, new)]): the related rows named below are read once per model
    wanted: dict[Any, set] = {}
    for before, after in pairwise(rows):
        parts = []
        for field in fields:
            old, new = getattr(before, field.attname), getattr(after, field.attname)
            if old == new:
                continue
            if field.is_relation:
                wanted.setdefault(field.related_model, set()).update(v for v in (old, new) if v is not None)
            parts.append((field, old, new))
        if parts:
            diffs.append((after, parts))
    related = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items()}

    def shown(field, value):
        return related[field.related_model].get(value) if field.is_relation and value is not None else value

    return [
        Change(
            after.history_date,
            after.history_user,
            "Changed "
            + "; ".join(
                f"{field.verbose_name}: {_short(shown(field, old))} → {_short(shown(field, new))}"
                for field, old, new in parts
            ),
        )
        for after, parts in diffs
    ]


def _invitees(meeting: Any) -> list[Change]:
    changes = []
    for row in Invitee.changes.filter(meeting_id=meeting.pk).select_related("history_user"):
        who = f"{row.name} ({row.get_role_display().lower()})"
        if row.history_type == "+":
            what = (
                f"Recorded {who} as not invited: {row.not_invited_reason}"
                if row.attendance == "not_invited"
                else f"Invited {who}"
            )
        elif row.history_type == "-":
            what = f"Removed {who} from the invitations"
        else:
            what = f"Attendance of {who}: {row.get_attendance_display().lower()}"
        changes.append(Change(row.history_date, row.history_user, what))
    return changes


def _decisions_and_actions(meeting: Any) -> list[Change]:
    changes = []
    for row in Decision.changes.filter(meeting_id=meeting.pk).select_related("history_user"):
        if row.history_type == "-" or (row.history_type == "~" and row.superseded_at):
            verb = "Decision replaced (minutes recorded again)"
        else:
            verb = {"+": "Decision recorded"}.get(row.history_type, "Decision changed")
        changes.append(Change(row.history_date, row.history_user, f"{verb}: {_short(row.text)}"))
    for row in Action.changes.filter(meeting_id=meeting.pk).select_related("history_user"):
        if row.history_type == "+":
            verb = "Action agreed"
        elif row.history_type == "-" or row.superseded_at:
            verb = "Action replaced (minutes recorded again)"
        elif row.status == "done":
            verb = "Action completed"
        else:
            verb = f"Action {row.get_status_display().lower()}"
        changes.append(Change(row.history_date, row.history_user, f"{verb}: {_short(row.description)}"))
    return changes


def _reports(meeting: Any) -> list[Change]:
    changes = []
    rows = MeetingReport.changes.filter(meeting_id=meeting.pk).select_related("history_user")
    for row in rows.order_by("id", "history_date", "history_id"):
        previous = row.prev_record if row.history_type == "~" else None
        if previous is None:
            continue
        if row.received_at and not previous.received_at:
            changes.append(Change(row.history_date, row.history_user, f"Report received: {row.label}"))
        elif row.due_on != previous.due_on:
            changes.append(
                Change(row.history_date, row.history_user, f"{row.label} due {_short(row.due_on)}")
            )
    return changes


def _forms(meeting: Any) -> list[Change]:
    """Every save and submit of the forms started for this meeting; consecutive saves by one person
    are one line ("saved 5 times, saves 2 to 6")."""
    rows = (
        FormSubmission.changes.filter(subject_reference=meeting.reference, child_id=meeting.child_id)
        .select_related("history_user", "definition")
        .order_by("id", "history_date", "history_id")
    )
    changes: list[Change] = []
    run: list[Any] = []

    def flush() -> None:
        if not run:
            return
        first, last = run[0], run[-1]
        title = last.definition.title
        if len(run) == 1:
            what = f"Saved the draft {title} (save {last.version})"
        else:
            what = f"Saved the draft {title} {len(run)} times (saves {first.version} to {last.version})"
        changes.append(Change(last.history_date, last.history_user, what))
        run.clear()

    for row in rows:
        if row.history_change_reason == "submission_share":
            flush()
            names = ", ".join(str(c.user) for c in row.collaborators.select_related("user"))
            what = f"Let {names} edit the draft {row.definition.title}"
            changes.append(Change(row.history_date, row.history_user, what))
            continue
        if row.history_type == "~" and row.status == "draft":
            if run and (run[-1].id, run[-1].history_user_id) != (row.id, row.history_user_id):
                flush()
            run.append(row)
            continue
        flush()
        title = row.definition.title
        if row.history_type == "+":
            changes.append(Change(row.history_date, row.history_user, f"Started the form {title}"))
        elif row.status == "submitted":
            changes.append(
                Change(row.history_date, row.history_user, f"Submitted {title} (save {row.version})")
            )
    flush()
    return changes


def meeting_changes(*, meeting: Any, user: Any) -> list[Change]:
    """The recorded changes of `meeting`, oldest first; nothing for someone who may not see it."""
    read_for = getattr(meeting, "read_for_user_id", None)  # set by workflows.selectors.meeting_for_user
    if read_for != user.pk and not meetings_for_user(user).filter(pk=meeting.pk).exists():
        return []
    changes = (
        _meeting_details(meeting)
        + _invitees(meeting)
        + _decisions_and_actions(meeting)
        + _reports(meeting)
        + _forms(meeting)
    )
    return sorted(changes, key=lambda c: c.at)
