"""How the portal writes dates and times for people, in one place (GOV.UK style: "9 March 2026", no
leading zeros, 24-hour times). Templates use the same shapes with Django's ``date`` filter
("j M Y", "l j F Y", "H:i")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def _local(value: date) -> date:
    """A moment in the site's time zone (a plain date as it is)."""
    return timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value


def day(d: date) -> str:
    """9 Mar 2026 (a moment: the day it is in the site's time zone)."""
    d = _local(d)
    return f"{d.day} {d:%b %Y}"


def day_full(d: date) -> str:
    """9 March 2026"""
    return f"{d.day} {d:%B %Y}"


def day_with_weekday(d: date) -> str:
    """Mon 9 Mar 2026"""
    return f"{d:%a} {day(d)}"


def day_long(d: date) -> str:
    """Monday 9 March 2026"""
    return f"{d:%A} {day_full(d)}"


def moment(value: datetime) -> str:
    """9 Mar 2026 14:05, in the site's time zone."""
    local = _local(value)
    return f"{day(local)} {local:%H:%M}"


def time_on_day(value: datetime) -> str:
    """14:05 on 9 Mar 2026, in the site's time zone."""
    local = _local(value)
    return f"{local:%H:%M} on {day(local)}"


def moment_long(value: datetime) -> str:
    """Monday 9 March 2026 14:05, in the site's time zone."""
    local = _local(value)
    return f"{day_long(local)} {local:%H:%M}"
