"""The django-q2 schedules the outbox needs, created after every migrate (idempotent)."""

from __future__ import annotations

from typing import Any

from django_q.models import Schedule

SCHEDULES = [
    {"name": "Outbox: send pending messages", "func": "outbox.tasks.outbox_send_pending", "minutes": 1},
    {"name": "Queue heartbeat", "func": "outbox.tasks.queue_heartbeat", "minutes": 1},
]


def schedules_ensure(using: str = "default", **kwargs: Any) -> None:
    """Create or correct the schedules by name; leave their run times alone."""

    for spec in SCHEDULES:
        schedule = Schedule.objects.using(using).filter(name=spec["name"]).first()
        if schedule is None:
            Schedule.objects.using(using).create(
                name=spec["name"],
                func=spec["func"],
                schedule_type=Schedule.MINUTES,
                minutes=spec["minutes"],
                repeats=-1,
            )
        elif (schedule.func, schedule.schedule_type, schedule.minutes, schedule.repeats) != (
            spec["func"],
            Schedule.MINUTES,
            spec["minutes"],
            -1,
        ):
            schedule.func = spec["func"]
            schedule.schedule_type = Schedule.MINUTES
            schedule.minutes = spec["minutes"]
            schedule.repeats = -1
            schedule.save(using=using)
