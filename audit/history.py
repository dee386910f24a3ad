"""One history mechanism for changes outside the meeting's transitions: django-simple-history.

Each tracked model declares `changes = TrackedHistory()`; its history table lives in this app and is
append-only (`audit.append_only`). Who made a change is, in order: the user a service is acting for
(`@records_actor` on services taking `by=`, or `acting_as(user)` in tasks and commands), else the
signed-in user of the current request (simple-history's `HistoryRequestMiddleware`), else nobody (the
system). Saves and deletes are recorded by simple-history's signals; `TrackedManager` also records
`bulk_create` and queryset `update()`, which send no signals.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.db import models, transaction
from simple_history.models import HistoricalRecords
from simple_history.utils import get_change_reason_from_object

_actor: ContextVar[Any] = ContextVar("history_actor", default=None)
_reason: ContextVar[str] = ContextVar("history_reason", default="")
_tracking: ContextVar[bool] = ContextVar("history_tracking", default=True)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def acting_as(user: Any, reason: str = "") -> Iterator[None]:
    """Record changes made inside the block as made by `user` (tasks, commands, services)."""
    actor_token = _actor.set(user)
    reason_token = _reason.set(reason or _reason.get())
    try:
        yield
    finally:
        _actor.reset(actor_token)
        _reason.reset(reason_token)


@contextmanager
def untracked() -> Iterator[None]:
    """Bulk seeding only (benchmarks): `bulk_create` and `update()` inside write no history rows."""
    token = _tracking.set(False)
    try:
        yield
    finally:
        _tracking.reset(token)


def records_actor(func: F) -> F:
    """Decorate a service taking `by=`: what it changes is recorded as changed by `by`, with the
    service's name as the reason (the innermost service: minutes_record when a submitted form records
    the minutes)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        by = kwargs.get("by")
        actor = by if getattr(by, "is_authenticated", False) else _actor.get()
        with acting_as(actor, reason=func.__name__):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def history_user(instance: Any = None, request: Any = None, **kwargs: Any) -> Any:
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class TrackedHistory(HistoricalRecords):
    """`HistoricalRecords` with this project's defaults: tables in the audit app, who from `history_user`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("app", "audit")
        kwargs.setdefault("get_user", history_user)
        super().__init__(**kwargs)

    def get_change_reason_for_object(self, instance: Any, history_type: str, using: Any) -> str:
        return get_change_reason_from_object(instance) or _reason.get()


def _history_manager(model: type[models.Model]) -> Any:
    name = getattr(model._meta, "simple_history_manager_attribute", None)
    return getattr(model, name) if name else None


class TrackedQuerySet(models.QuerySet):
    """A queryset whose bulk writes are recorded too (simple-history only hears save() and delete())."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list:
        objs = super().bulk_create(objs, *args, **kwargs)
        history = _history_manager(self.model)
        if history is not None and _tracking.get():
            history.bulk_history_create(
                [o for o in objs if o.pk is not None], default_change_reason=_reason.get()
            )
        return objs

    def update(self, **kwargs: Any) -> int:
        history = _history_manager(self.model)
        if history is None or not _tracking.get():
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            # Lock the rows this update matches, so exactly those are updated and recorded.
            pks = list(self.select_for_update().values_list("pk", flat=True))
            if not pks:
                return 0
            rows = self.model._base_manager.using(self.db).filter(pk__in=pks)
            count = models.QuerySet.update(rows, **kwargs)
            history.bulk_history_create(list(rows), update=True, default_change_reason=_reason.get())
        return count


class TrackedManager(models.Manager.from_queryset(TrackedQuerySet)):
    pass
