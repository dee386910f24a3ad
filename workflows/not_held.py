"""The not-held path (issue 10): whether the policy decision stored on a meeting lets it be recorded as not
held, what that asks for (a reason, a submitted document) and who may decide it. These are the conditions
of the `record_not_held` transition (`workflows.models.meetings`); the service is `paths.meeting_not_held`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forms_builder.models import FormDefinition, FormSubmission
from portal.models import User
from portal.selectors import children_for_user, user_is_read_only

from .choices import NOT_HELD_SOURCES
from .policy import role_label
from .rules import G3, RuleRefusal

if TYPE_CHECKING:
    from .models import Meeting


def decision_of(meeting: Meeting) -> dict[str, Any]:
    """The stored policy decision of the meeting (empty for a meeting requested before decisions)."""
    return meeting.decision if isinstance(meeting.decision, dict) else {}


def _roles_words(roles: list[str]) -> str:
    labels = [role_label(r).lower() for r in roles]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


# --------------------------------------------------------------------------------------------------
# Not held
# --------------------------------------------------------------------------------------------------


def not_held_path(meeting: Meeting) -> dict | None:
    """The policy's not-held entry for this case, or None when the policy gives no such path."""
    path = decision_of(meeting).get("not_held")
    return path if isinstance(path, dict) else None


def _no_path(meeting: Meeting) -> RuleRefusal:
    return RuleRefusal(
        G3,
        f"The procedure gives no way to decide that a {meeting.meeting_type.name.lower()} will not be held "
        "in this case. If it is no longer needed, cancel it with the reason.",
    )


def not_held_document(meeting: Meeting, form_key: str):
    """The submitted form the not-held path asks for, written for this meeting, or None."""
    submissions = FormSubmission.objects.filter(
        definition__key=form_key, child_id=meeting.child_id, status="submitted"
    )
    if meeting.not_held_submission_id:
        found = submissions.filter(pk=meeting.not_held_submission_id).first()
        if found:
            return found
    return submissions.filter(subject_reference=meeting.reference or "-").order_by("-pk").first()


def not_held_document_label(form_key: str) -> str:
    title = FormDefinition.objects.filter(key=form_key).values_list("title", flat=True).first()
    return title or form_key.replace("-", " ").replace("_", " ")


def not_held_document_refusal(meeting: Meeting, user: User, *, step: str = "start") -> str | None:
    """Why `user` may not write the document the not-held path asks for, as a sentence; None when they
    may: the child's social worker or one of the path's deciders, before the meeting is held."""
    form_key = (not_held_path(meeting) or {}).get("document_form_key") or ""
    label = not_held_document_label(form_key)
    if step == "start" and meeting.state not in NOT_HELD_SOURCES:
        return f"The {label} can no longer be started: this meeting is {meeting.get_state_display().lower()}."
    if user.pk == meeting.child.social_worker_id or not_held_decider_refusal(meeting, user) is None:
        return None
    roles = (not_held_path(meeting) or {}).get("decided_by_roles") or []
    who = f"the child's social worker or the {_roles_words(roles)}" if roles else "the child's social worker"
    return f"Only {who} can write the {label} for this meeting."


def not_held_refusal(meeting: Meeting) -> RuleRefusal | None:
    """Why the meeting cannot be recorded as not held yet (no path, no reason, no document), or None.

    The transition's condition: state-independent, read from the stored decision.
    """
    path = not_held_path(meeting)
    if path is None:
        return _no_path(meeting)
    rule = path.get("rule") or ""
    if path.get("reason_required") and not (meeting.not_held_reason or "").strip():
        return RuleRefusal(rule, "Give the reason the meeting will not be held.", field="reason")
    form_key = path.get("document_form_key") or ""
    if form_key and not_held_document(meeting, form_key) is None:
        return RuleRefusal(
            rule,
            f"Submit the {not_held_document_label(form_key)} for this meeting first: the procedure asks for "
            "it before deciding that the meeting will not be held.",
        )
    return None


def not_held_decider_refusal(meeting: Meeting, user: User) -> RuleRefusal | None:
    """Why `user` may not decide that this meeting will not be held, or None (issue 10).

    The path names the roles that decide; like approvers, the person must also work with the child (the
    child is among those they may see: their own team's children for a team manager).
    """
    path = not_held_path(meeting)
    if path is None:
        return _no_path(meeting)
    rule = path.get("rule") or ""
    if user_is_read_only(user):
        return RuleRefusal(rule, "You can read this meeting but not change it.")
    roles = [r for r in path.get("decided_by_roles") or [] if r]
    if not roles:
        return RuleRefusal(
            rule, "The procedure names nobody who may decide that this meeting will not be held."
        )
    if user.role not in roles:
        return RuleRefusal(
            rule, f"Only the {_roles_words(roles)} can decide that this meeting will not be held."
        )
    if not children_for_user(user).filter(pk=meeting.child_id).exists():
        return RuleRefusal(
            rule,
            f"Only a {_roles_words(roles)} who works with {meeting.child.full_name} can decide that this "
            "meeting will not be held.",
        )
    return None
