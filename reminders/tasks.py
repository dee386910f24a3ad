"""django-q2 entry point for the daily sweep. Thin: the work is in `reminders.sweep`."""

from __future__ import annotations

from .sweep import reminders_sweep


def reminders_daily_sweep() -> int:
    """Scheduled daily: send today's reminders and escalations. Returns how many were queued."""
    return len(reminders_sweep())
