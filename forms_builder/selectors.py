"""Reads for a user: which submissions they may see, which people a person question offers."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.models import Child, User
from portal.selectors import child_get_for_user

from .answers import submission_rows
from .choices import SubmissionStatus
from .models import FormDefinition, FormSubmission
from .signals import subject_people

__all__ = ["submission_rows"]  # re-exported for the meeting engine


def child_for_user(*, user: User, pk: Any) -> Child:
    """The child if this user may see them, else 404 (delegates to the portal's selector)."""
    if not re.fullmatch(r"[0-9]{1,18}", str(pk or "")):
        raise Http404("No such child")
    pk = int(pk)
    try:
        child = child_get_for_user(user=user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404("No such child") from exc
    if child is None:
        raise Http404("No such child")
    return child


def subject_for_user(*, user: User, reference: str) -> Any:
    """The subject a form is for (a meeting), if this user may see it, via an optional settings hook.

    ``FORMS_BUILDER_SUBJECT_RESOLVER`` is a dotted path to ``f(*, reference, user) -> object | None``
    returning something with ``child_id``, ``scheduled_for``, ``venue``, ``chair`` and ``reference``.
    This keeps the form builder free of any dependency on the meeting engine.
    """
    path = getattr(settings, "FORMS_BUILDER_SUBJECT_RESOLVER", "")
    if not reference or not path:
        return None
    try:
        return import_string(path)(reference=reference, user=user)
    except ObjectDoesNotExist:
        return None


def child_for_form(*, user: User, pk: Any, subject: str = "") -> Child:
    """The child of a form this user may start or read, else 404.

    Anyone who can see the child; or, for a form about a subject the user may see (a meeting they
    chair, are invited to or write a report for), that subject's child. An independent chair or the
    supervising social worker of a placement that has ended still writes the meeting's minutes or
    report; who may write which form is the form services' check, not this one.
    """
    try:
        return child_for_user(user=user, pk=pk)
    except Http404:
        found = subject_for_user(user=user, reference=subject) if subject else None
        if found is None or str(getattr(found, "child_id", "")) != str(pk):
            raise
        return found.child


def submission_get_for_user(*, user: User, pk: int, for_edit: bool = False) -> FormSubmission:
    """The author may edit their draft; anyone who can see the child, or the meeting it is for, may read
    it; others get 404."""
    try:
        submission = FormSubmission.objects.select_related("definition", "revision", "child", "author").get(
            pk=pk
        )
    except FormSubmission.DoesNotExist as exc:
        raise Http404("No such form") from exc
    if submission.can_edit(user):
        return submission
    if for_edit:
        raise Http404("No such form")
    child_for_form(user=user, pk=submission.child_id, subject=submission.subject_reference)
    return submission


def drafts_for_user(*, user: User) -> QuerySet[FormSubmission]:
    return (
        FormSubmission.objects.filter(Q(author=user) | Q(collaborators=user), status=SubmissionStatus.DRAFT)
        .distinct()
        .select_related("definition", "child")
        .order_by("-updated_at")
    )


def published_definition(*, key: str) -> FormDefinition:
    try:
        definition = FormDefinition.objects.get(key=key, live=True)
    except FormDefinition.DoesNotExist as exc:
        raise Http404("No such form") from exc
    if definition.live_revision_id is None:
        raise Http404("This form has not been published")
    return definition


def people_for_child(
    *, child: Child, placement: Any = None, extra: list[Any] | None = None, subject_reference: str = ""
) -> list[Any]:
    """The people a 'person' question offers: those involved with the child and, for a form started
    for a subject (a meeting), the people the subject adds (its chair and invitees, via
    `signals.subject_people`). Users, then ``(value, label)`` pairs for people without an account."""
    people: dict[int, User] = {}
    others: dict[str, str] = {}

    def add(person: Any) -> None:
        if isinstance(person, User) and person.pk:
            people.setdefault(person.pk, person)
        elif isinstance(person, tuple) and len(person) == 2 and str(person[0]).startswith("name:"):
            others.setdefault(str(person[0]), str(person[1]))

    add(child.social_worker)
    add(child.iro)
    if child.team_id and child.team.manager_id:
        add(child.team.manager)
    today = timezone.localdate()
    for involvement in child.involvements.select_related("user").filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    ):
        add(involvement.user)
    household = getattr(placement, "carer_household", None) if placement else None
    if household is not None and household.supervising_social_worker_id:
        add(household.supervising_social_worker)
    for person in extra or []:
        add(person)
    if subject_reference:
        for _receiver, found in subject_people.send(
            sender=FormSubmission, child=child, placement=placement, subject_reference=subject_reference
        ):
            for person in found or []:
                add(person)
    users = sorted(people.values(), key=lambda u: (u.get_full_name() or u.username).lower())
    return users + sorted(others.items(), key=lambda item: item[1].lower())
