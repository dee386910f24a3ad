"""The daily reminder sweep's django-q2 schedule, created after every migrate (idempotent)."""

from __future__ import annotations

from typing import Any

from django_q.models import Schedule

SWEEP = {"name": "Reminders: daily sweep", "func": "reminders.tasks.reminders_daily_sweep"}


def schedules_ensure(using: str = "default", **kwargs: Any) -> None:
    """Create the daily schedule, or correct its function and type; leave its run time alone."""
    schedule = Schedule.objects.using(using).filter(name=SWEEP["name"]).first()
    if schedule is None:
        Schedule.objects.using(using).create(
            name=SWEEP["name"], func=SWEEP["func"], schedule_type=Schedule.DAILY, repeats=-1
        )
    elif (schedule.func, schedule.schedule_type, schedule.repeats) != (SWEEP["func"], Schedule.DAILY, -1):
        schedule.func, schedule.schedule_type, schedule.repeats = SWEEP["func"], Schedule.DAILY, -1
        schedule.save(using=using)
