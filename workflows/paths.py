"""Alternative paths a policy can give a meeting (issue 10): not held, linked meetings, recurrence, and
the requirement and prerequisites read at the request.

Every rule here reads the policy decision stored on the meeting (`Meeting.decision`, the shape in
docs/rules-as-data.md: `not_held`, `linked_meetings`, `recurrence`, `prerequisites`, `requirement`),
never the meeting type's fields, so a meeting keeps the decision made for its case at the request.
Services keep the house pattern: lock, check (a `RuleRefusal` with the entry's rule reference and a plain
sentence), transition, history row, side effects through the outbox after commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from audit.history import records_actor
from portal.models import Child, User

from .choices import NOT_HELD_SOURCES, MeetingState
from .models import Action, Meeting, MeetingTransition, MeetingType
from .rules import G3, RuleRefusal

RECURRENCE_KEY = "review_again"


def decision_of(meeting: Meeting) -> dict[str, Any]:
    """The stored policy decision of the meeting (empty for a meeting requested before decisions)."""
    return meeting.decision if isinstance(meeting.decision, dict) else {}


def _roles_words(roles: list[str]) -> str:
    from .policy import role_label

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
    from forms_builder.models import FormSubmission

    submissions = FormSubmission.objects.filter(
        definition__key=form_key, child_id=meeting.child_id, status="submitted"
    )
    if meeting.not_held_submission_id:
        found = submissions.filter(pk=meeting.not_held_submission_id).first()
        if found:
            return found
    return submissions.filter(subject_reference=meeting.reference or "-").order_by("-pk").first()


def not_held_document_label(form_key: str) -> str:
    from forms_builder.models import FormDefinition

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
    from portal.selectors import children_for_user, user_is_read_only

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


@records_actor
def meeting_not_held(
    *, meeting: Meeting, by: User, reason: str = "", submission_id: int | None = None
) -> Meeting:
    """Record the decision that the meeting will not be held, under the policy's not-held path.

    Refused when the policy gives no such path for this case, when `by` is not one of its deciders for
    this child, without a reason where the path needs one, or before the document it asks for is
    submitted. The meeting is then finished (never overdue); its history names who, when and why.
    """
    from .transitions import enqueue, locked, run_transition, state_refusal

    with transaction.atomic():
        meeting = locked(meeting)
        if meeting.state not in NOT_HELD_SOURCES:
            raise state_refusal(meeting, "record_not_held")
        refusal = not_held_decider_refusal(meeting, by)
        if refusal:
            raise refusal
        meeting.not_held_reason = reason.strip()
        if submission_id is not None:
            meeting.not_held_submission_id = submission_id
        refusal = not_held_refusal(meeting)
        if refusal:
            raise refusal
        path = not_held_path(meeting) or {}
        if path.get("document_form_key"):
            document = not_held_document(meeting, path["document_form_key"])
            meeting.not_held_submission_id = document.pk if document else None
        run_transition(
            meeting,
            "record_not_held",
            by=by,
            reason=meeting.not_held_reason or "Decided that the meeting will not be held.",
        )
        enqueue("notify_meeting_not_held", meeting.pk)
    return meeting


# --------------------------------------------------------------------------------------------------
# Linked meetings
# --------------------------------------------------------------------------------------------------


def links_enqueue(meeting: Meeting, event: str) -> None:
    """On `event` (requested or closed), queue the start of the decision's linked meetings (durable,
    after commit, once: the outbox keys it by meeting and event)."""
    entries = [e for e in decision_of(meeting).get("linked_meetings") or [] if e.get("on_event") == event]
    if entries:
        from .transitions import enqueue

        enqueue("meeting_links_start", meeting.pk, event)


def _event_day(meeting: Meeting, event: str) -> date:
    from .policy import local_date

    if event == "closed" and meeting.closed_at:
        return local_date(meeting.closed_at)
    return local_date(meeting.requested_at)


def _record_on(meeting: Meeting, name: str, reason: str) -> None:
    MeetingTransition.objects.create(
        meeting=meeting,
        name=name,
        source=meeting.state,
        target=meeting.state,
        by=None,
        at=timezone.now(),
        reason=reason,
    )


def _chain_type_ids(meeting: Meeting) -> set[int]:
    """The meeting types of this meeting and of every meeting it was linked from (at most 50 back)."""
    found: set[int] = set()
    current: Meeting | None = meeting
    for _ in range(50):
        if current is None:
            break
        found.add(current.meeting_type_id)
        current = current.linked_from
    return found


def linked_meetings_start(meeting_id: int, event: str) -> list[Meeting]:
    """Start each linked meeting type the decision names for `event`, once (issue 10).

    Same pack, same child and placement, requested by the original requester through the normal
    `meeting_request` (so every rule of the linked type applies), its timescale counted from the day of
    the event. A linked type that cannot be started is recorded on the original meeting with the reason.
    """
    from .services import meeting_request

    meeting = Meeting.objects.select_related("meeting_type__pack", "child", "placement", "requested_by").get(
        pk=meeting_id
    )
    started: list[Meeting] = []
    for entry in decision_of(meeting).get("linked_meetings") or []:
        if entry.get("on_event") != event:
            continue
        code = entry.get("meeting_type_code") or ""
        linked_type = MeetingType.objects.filter(pack_id=meeting.meeting_type.pack_id, code=code).first()
        if linked_type is None:
            _record_on(meeting, "link_refused", f"The linked meeting type {code} is not in this pack.")
            continue
        if Meeting.objects.filter(linked_from=meeting, meeting_type=linked_type).exists():
            continue
        if event == "requested" and linked_type.pk in _chain_type_ids(meeting):
            _record_on(
                meeting,
                "link_refused",
                f"{linked_type.name} was not started: it is already in this chain of linked requests, so "
                "starting it again on request would never end.",
            )
            continue
        day = _event_day(meeting, event)
        known = {
            row.value["key"]
            for row in (linked_type.live_revision.as_object().triggers if linked_type.live_revision else [])
        }
        try:
            with transaction.atomic():
                linked = meeting_request(
                    meeting_type=linked_type,
                    child=meeting.child,
                    placement=meeting.placement,
                    by=meeting.requested_by,
                    concern_raised_on=day,
                    concern_raised_by=meeting.concern_raised_by,
                    notified_on=day,
                    triggers=[t for t in meeting.triggers or [] if t in known],
                    support_tried=meeting.support_tried,
                    request_details=(
                        f"Started by {meeting.reference} ({meeting.meeting_type.name}) when it was {event}."
                        + (f" {entry['note']}" if entry.get("note") else "")
                    ),
                    linked_from=meeting,
                    send=True,
                )
        except RuleRefusal as refusal:
            _record_on(meeting, "link_refused", f"{linked_type.name} could not be started: {refusal.message}")
            continue
        _record_on(meeting, "link_started", f"Started {linked.reference} ({linked_type.name}).")
        started.append(linked)
    return started


def linked_meetings_of(meeting: Meeting, user: User) -> dict[str, Any]:
    """The meeting this one was started from and the ones it started, as far as `user` may see them."""
    from .selectors import meetings_for_user

    if not meeting.linked_from_id and getattr(meeting, "starts_meetings", None) is False:
        return {"linked_from": None, "linked": []}  # meeting_for_user read that none links to it
    visible = meetings_for_user(user)
    return {
        "linked_from": visible.filter(pk=meeting.linked_from_id).first() if meeting.linked_from_id else None,
        "linked": list(visible.filter(linked_from_id=meeting.pk).order_by("requested_at", "pk")),
    }


# --------------------------------------------------------------------------------------------------
# Recurrence
# --------------------------------------------------------------------------------------------------


def after_interval(start: date, every: int, unit: str, *, calendar: str) -> date:
    """`every` weeks, calendar months or working days after `start`, by the engine's one timing
    arithmetic (`deadlines.bound_compute`: months keep the month-end rule, 31 Jan + 1 month = 28/29 Feb)."""
    from .deadlines import bound_compute

    return bound_compute(
        start, every, unit if unit in {"weeks", "months", "working"} else "calendar", calendar=calendar
    )


UNIT_WORDS = {"weeks": "week", "months": "month", "working": "working day"}


def recurrence_words(recurrence: dict) -> str:
    every = int(recurrence.get("every") or 0)
    unit = UNIT_WORDS.get(recurrence.get("unit") or "", "day")
    return f"every {every} {unit}{'' if every == 1 else 's'}"


def recurrence_create(meeting: Meeting) -> Action | None:
    """At close: the "review again" follow-up the decision's recurrence asks for, once (issue 10).

    Due `every` units after the meeting was held (the close day if it has no held date), owned by the
    child's social worker (else the requester); it shows on their My actions and home page.
    """
    from .policy import local_date

    recurrence = decision_of(meeting).get("recurrence")
    if not isinstance(recurrence, dict) or not recurrence.get("every"):
        return None
    if meeting.actions.filter(follow_up_key=RECURRENCE_KEY).exists():
        return None
    start = local_date(meeting.held_at or meeting.closed_at or timezone.now())
    due = after_interval(
        start,
        int(recurrence["every"]),
        recurrence.get("unit") or "weeks",
        calendar=meeting.meeting_type.effective_calendar,
    )
    owner = meeting.child.social_worker or meeting.requested_by
    note = f" {recurrence['note']}" if recurrence.get("note") else ""
    return Action.objects.create(
        meeting=meeting,
        child_id=meeting.child_id,
        description=f"Review again: the procedure asks for another {meeting.meeting_type.name.lower()} "
        f"review {recurrence_words(recurrence)} after this meeting.{note}",
        owner=owner,
        due_on=due,
        evaluation="Decide at the review whether another meeting is needed, and request it if so.",
        follow_up_key=RECURRENCE_KEY,
    )


def after_close(meeting: Meeting) -> None:
    """What the alternative paths do when a meeting closes: recurrence, linked meetings (issue 10)."""
    recurrence_create(meeting)
    links_enqueue(meeting, "closed")


# --------------------------------------------------------------------------------------------------
# At the request: requirement and prerequisites
# --------------------------------------------------------------------------------------------------

REQUIREMENT_SENTENCES = {
    "offered": "The procedure offers this meeting: it is not required, so hold it where the family and "
    "professionals would find it helpful.",
    "discretion": "This meeting is at the team's discretion: the procedure does not require it, so "
    "record why you are asking for it.",
}


def requirement_sentence(requirement: dict | None) -> str:
    """What the request screen says when the meeting is offered or discretionary ("" when required)."""
    if not isinstance(requirement, dict):
        return ""
    sentence = REQUIREMENT_SENTENCES.get(requirement.get("level") or "", "")
    because = requirement.get("because") or ""
    if sentence and because and because != "always":
        sentence += f" (Applies {because}.)"
    return sentence


def prerequisite_refusals(
    *, prerequisites: list[dict], child: Child, pack_id: int, on: date
) -> list[RuleRefusal]:
    """One refusal per prerequisite not met: no meeting of that type for the child (in the pack) that was
    held, within `within_months` before `on` when given (issue 10)."""
    from .policy import local_date

    found: list[RuleRefusal] = []
    for entry in prerequisites or []:
        code = entry.get("meeting_type_code") or ""
        held = Meeting.objects.filter(
            child=child, meeting_type__pack_id=pack_id, meeting_type__code=code, held_at__isnull=False
        ).exclude(state__in=[MeetingState.CANCELLED, MeetingState.NOT_HELD])
        months = entry.get("within_months")
        dates = [local_date(at) for at in held.values_list("held_at", flat=True)]
        if months:
            since = on - relativedelta(months=int(months))
            dates = [d for d in dates if since <= d <= on]
        if not dates:
            name = (
                MeetingType.objects.filter(pack_id=pack_id, code=code).values_list("name", flat=True).first()
            )
            default = f"A {(name or code).lower()} must have been held for this child" + (
                f" in the last {months} months" if months else ""
            )
            found.append(RuleRefusal(entry.get("rule") or "", entry.get("message") or default + " first."))
    return found


def request_decision(
    *, policy: MeetingType, child: Child, placement, by: User | None, anchor_on: date
) -> dict[str, Any]:
    """The policy decision for a request not yet made (its requester, child and placement), as JSON."""
    from .fact_snapshot import RequestFacts, fact_snapshot
    from .policy_engine import all_conditions, policy_evaluate

    snapshot = fact_snapshot(
        child=child,
        placement=placement,
        anchor_on=anchor_on,
        request=RequestFacts(requester=by, requester_role=getattr(by, "role", None) or None),
        conditions=all_conditions(policy),
    )
    return policy_evaluate(policy, snapshot).as_json()


def request_requirement_notes(*, policy: MeetingType, child: Child, by: User, today: date) -> list[str]:
    """What the request screen says when the meeting is offered or at the team's discretion: one sentence,
    or one per placement when the child's placements differ."""
    notes: dict[str, list[str]] = {}
    for placement in child.placements.order_by("-start_date"):
        decision = request_decision(policy=policy, child=child, placement=placement, by=by, anchor_on=today)
        sentence = requirement_sentence(decision.get("requirement"))
        if sentence:
            notes.setdefault(sentence, []).append(str(placement))
    if len(notes) == 1 and child.placements.count() == sum(len(v) for v in notes.values()):
        return list(notes)
    return [f"{' and '.join(where)}: {sentence}" for sentence, where in notes.items()]
