"""Sign-in lockout (django-axes): the page a locked-out person sees, who is locked, and who unlocks whom.

Settings (portal/settings/base.py, AXES_*): five wrong passwords for one username lock it for 15
minutes on the worker site and the CMS alike. A team manager or assistant team manager may unlock the
people of the teams they manage ("Locked accounts" on the worker site); a superuser anyone; on the
server, `manage.py axes_reset_username USERNAME`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q, QuerySet, Sum
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.log_actions import log

from .choices import MANAGER_ROLES
from .forms import SignInForm
from .models import User
from .selectors import teams_managed_by, user_is_read_only

logger = logging.getLogger(__name__)

LOCKED_STATUS = 429


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"You have entered the wrong password too many times, so this account is locked for {minutes} "
        "minutes. Try again after that, or ask your team manager to unlock it."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the same sign-in page (worker site or CMS) with the lockout message.

    The username typed stays in the form; the password never does.
    """
    context = dict(getattr(original_response, "context_data", None) or {})
    template = getattr(original_response, "template_name", None)
    form = context.get("form")
    if not template or form is None:
        template, form = "portal/login.html", SignInForm(request, data=request.POST or None)
        form.is_valid()
    form._errors = ErrorDict()
    form.add_error(None, lockout_message())
    context.update(form=form, locked_out=True)
    logger.warning("Sign-in locked out for username %r (AXES)", (credentials or {}).get("username"))
    # Rendered here: AxesMiddleware runs after the view's response has been rendered.
    return TemplateResponse(request, template, context, status=LOCKED_STATUS).render()


@dataclass(frozen=True)
class LockedAccount:
    user: User
    failures: int
    last_attempt: datetime


def may_unlock(*, by: User, user: User) -> bool:
    """A superuser unlocks anyone; a (assistant) team manager the people of the teams they manage."""
    if by.is_superuser:
        return True
    if user_is_read_only(by) or by.role not in MANAGER_ROLES or not user.team_id:
        return False
    return teams_managed_by(by).filter(pk=user.team_id).exists()


def may_unlock_anyone(user: User) -> bool:
    return user.is_superuser or (user.role in MANAGER_ROLES and not user_is_read_only(user))


def unlockable_users(by: User) -> QuerySet[User]:
    if by.is_superuser:
        return User.objects.all()
    if not may_unlock_anyone(by):
        return User.objects.none()
    return User.objects.filter(Q(team__in=teams_managed_by(by).values("pk")))


def locked_accounts_for(user: User) -> list[LockedAccount]:
    """The accounts locked right now that `user` may unlock, longest locked first."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
    )
    by_username = {row["username"]: row for row in attempts}
    if not by_username:
        return []
    people = unlockable_users(user).filter(username__in=by_username)
    locked = [
        LockedAccount(
            user=person,
            failures=by_username[person.username]["failures"],
            last_attempt=by_username[person.username]["last"],
        )
        for person in people
    ]
    return sorted(locked, key=lambda account: account.last_attempt)


def user_unlock(*, user: User, by: User) -> int:
    """Clear the failed sign-ins of `user` so they can sign in again; recorded in the CMS history.

    Refuses anyone who may not unlock this person (may_unlock). Returns the attempts cleared.
    """
    if not may_unlock(by=by, user=user):
        raise PermissionDenied("You can only unlock the accounts of people in the teams you manage.")
    with transaction.atomic():
        cleared = axes_reset(username=user.username)
        log(instance=user, action="wagtail.unlock", user=by, data={"reason": "sign-in lockout"})
    logger.info("Sign-in lockout of %s cleared by %s (%s attempts)", user.username, by.username, cleared)
    return cleared
