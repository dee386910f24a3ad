"""Prefill sources: answers a form can take from the case record when a worker starts it.

The context is a plain dict so this app never depends on the meeting engine:
``{"child": Child, "placement": Placement | None, "meeting": <object with scheduled_for, venue,
chair, reference> | None}``. Each source returns the raw form value (a string, or a user pk for a
person field) or ``None`` when the record has nothing to give.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.utils import timezone

PrefillContext = dict[str, Any]


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _person_name(person: Any) -> str | None:
    if person is None:
        return None
    name = person.get_full_name() if hasattr(person, "get_full_name") else str(person)
    return name or str(person)


def _placement(ctx: PrefillContext) -> Any:
    return ctx.get("placement")


def _meeting_when(ctx: PrefillContext) -> datetime | None:
    meeting = ctx.get("meeting")
    when = getattr(meeting, "scheduled_for", None) if meeting is not None else None
    if when is None:
        return None
    if timezone.is_aware(when):
        when = timezone.localtime(when)
    return when


def _carers(ctx: PrefillContext) -> str | None:
    placement = _placement(ctx)
    return placement.placed_with or None if placement else None


def _carers_reference(ctx: PrefillContext) -> str | None:
    placement = _placement(ctx)
    household = getattr(placement, "carer_household", None) if placement else None
    return household.local_reference if household else None


def _supervising_social_worker(ctx: PrefillContext) -> str | None:
    placement = _placement(ctx)
    household = getattr(placement, "carer_household", None) if placement else None
    return _person_name(household.supervising_social_worker) if household else None


def _meeting_attr(name: str) -> Callable[[PrefillContext], str | None]:
    def read(ctx: PrefillContext) -> str | None:
        meeting = ctx.get("meeting")
        value = getattr(meeting, name, None) if meeting is not None else None
        if value is None or value == "":
            return None
        return _person_name(value) if name == "chair" else str(value)

    return read


PREFILL_SOURCES: dict[str, tuple[str, Callable[[PrefillContext], Any]]] = {
    "child_name": ("Child's name", lambda c: c["child"].full_name),
    "child_date_of_birth": ("Child's date of birth", lambda c: _d(c["child"].date_of_birth)),
    "child_reference": ("Child's case record number", lambda c: c["child"].local_reference),
    "social_worker": ("Child's social worker", lambda c: _person_name(c["child"].social_worker)),
    "iro": ("Child's IRO", lambda c: _person_name(c["child"].iro)),
    "placement_type": (
        "Type of placement",
        lambda c: _placement(c).get_category_display() if _placement(c) else None,
    ),
    "placement_start_date": (
        "Date the placement started",
        lambda c: _d(_placement(c).start_date) if _placement(c) else None,
    ),
    "placement_end_date": (
        "Date the placement ended",
        lambda c: _d(_placement(c).end_date) if _placement(c) else None,
    ),
    "placement_dates": (
        "Dates the child was in the placement",
        lambda c: (
            f"{_placement(c).start_date:%d/%m/%Y} to "
            + (f"{_placement(c).end_date:%d/%m/%Y}" if _placement(c).end_date else "now")
            if _placement(c)
            else None
        ),
    ),
    "placement_ratified_on": (
        "Date the placement was ratified as permanent",
        lambda c: _d(_placement(c).ratified_permanent_on) if _placement(c) else None,
    ),
    "carers": ("Carers or home", _carers),
    "carers_reference": ("Carers' case record number", _carers_reference),
    "supervising_social_worker": ("Carers' supervising social worker", _supervising_social_worker),
    "meeting_date": ("Meeting date", lambda c: _d(_meeting_when(c).date()) if _meeting_when(c) else None),
    "meeting_datetime": (
        "Meeting date and time",
        lambda c: _meeting_when(c).strftime("%Y-%m-%dT%H:%M") if _meeting_when(c) else None,
    ),
    "meeting_venue": ("Meeting venue", _meeting_attr("venue")),
    "meeting_chair": ("Meeting chair", _meeting_attr("chair")),
    "meeting_reference": ("Meeting reference", _meeting_attr("reference")),
    "today": ("Today's date", lambda c: timezone.localdate().isoformat()),
}

PREFILL_CHOICES = [("", "No prefill")] + [(key, label) for key, (label, _) in PREFILL_SOURCES.items()]


def prefill_value(source: str, context: PrefillContext) -> Any:
    """The value of one prefill source, or None (unknown source, missing record, or a broken one)."""
    entry = PREFILL_SOURCES.get(source)
    if entry is None or context.get("child") is None:
        return None
    try:
        return entry[1](context)
    except (AttributeError, TypeError, ValueError):
        return None
