"""The timescale a procedure page states, checked against the meeting type's live rule (issue 9).

The procedure text is prose written by a policy owner; the deadline the portal enforces is the meeting
type's published `latest_days`. The procedure page shows the enforced timescale, taken from the meeting
type, and both the page and the CMS editor warn when the text names a different number of days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import strip_tags

from workflows.models import MeetingType
from workflows.policy import ANCHOR_LABELS, UNIT_WORDS
from workflows.policy import _default_timing as default
from workflows.policy_engine import rule_lists

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
DAYS = re.compile(
    r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?:working\s+|calendar\s+|clear\s+)?days?\b", re.I
)


@dataclass(frozen=True)
class Timescale:
    sentence: str  # e.g. "Hold the meeting within 5 working days of the date the concern was raised."
    latest_days: int | None
    days_in_text: tuple[int, ...]

    @property
    def disagrees(self) -> bool:
        """The text names numbers of days and none of them is the enforced latest day."""
        return bool(
            self.latest_days is not None and self.days_in_text and self.latest_days not in self.days_in_text
        )


def days_named(html: str) -> tuple[int, ...]:
    """Every 'N days' / 'N working days' the text mentions, as numbers, in order."""
    found = []
    for match in DAYS.finditer(strip_tags(html or "")):
        word = match.group(1).lower()
        found.append(int(word) if word.isdigit() else NUMBER_WORDS[word])
    return tuple(found)


def live_meeting_type(*, pack_slug: str, meeting_code: str):
    """The meeting type's published policy (as it applies to new meetings), or None."""
    mt = (
        MeetingType.objects.filter(pack__slug=pack_slug, code__iexact=meeting_code, live=True)
        .select_related("pack", "live_revision")
        .first()
    )
    if mt is None or mt.live_revision_id is None:
        return None
    return mt.live_revision.as_object()


def _default_timing(mt) -> dict:
    return default(mt) or {}


def timescale_sentence(mt) -> str:
    """The live timescale in one sentence, from the meeting type's timing entry for the usual case
    (the entry with no condition); a type whose timing varies says so."""
    timing = _default_timing(mt)
    earliest, latest = timing.get("earliest"), timing.get("latest")
    if latest is None and earliest is None:
        return ""
    unit = UNIT_WORDS.get(timing.get("unit") or "working", "days")
    anchor = ANCHOR_LABELS.get(timing.get("anchor") or "", "the anchor date")
    anchor = anchor[0].lower() + anchor[1:]
    side = "before" if timing.get("direction") == "before" else "after"
    if earliest is not None and latest is not None:
        sentence = f"Hold the meeting between {earliest} and {latest} {unit} {side} {anchor}."
    elif latest is not None:
        sentence = f"Hold the meeting within {latest} {unit} of {anchor}."
    else:
        sentence = f"Hold the meeting no sooner than {earliest} {unit} {side} {anchor}."
    if len(rule_lists(mt)["timing"]) > 1:
        sentence += " Some cases have their own timescale."
    return sentence


def procedure_timescale(page) -> Timescale | None:
    """The enforced timescale for a procedure page, compared with what its Timescales text says."""
    mt = live_meeting_type(pack_slug=page.pack_slug, meeting_code=page.meeting_code)
    if mt is None:
        return None
    return Timescale(
        sentence=timescale_sentence(mt),
        latest_days=_default_timing(mt).get("latest"),
        days_in_text=days_named(page.timescales),
    )
