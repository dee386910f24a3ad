"""The messages and filing a meeting's changes cause (D4, B2, P2, P7, D9, D12, G5).

The services call these through `transitions.enqueue` *inside* their transaction: each `notify_*`
composes its e-mails and writes them to the outbox (`outbox.services.message_queue`), so they commit
with the change and are delivered by django-q2 afterwards, never lost and never sent twice. Filing
(`meeting_file_records`) is an outbox task: queued the same way, run by the worker, idempotent.
"""

from __future__ import annotations

from django.urls import reverse

from outbox.services import message_queue, outbox_task
from portal import dates
from portal.models import ChildDocument, User

from .choices import MeetingState
from .filing import meeting_file
from .linked_meetings import linked_meetings_start
from .models import Meeting
from .policy import notifications_for
from .vocabularies import pack_terms


def _meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_related("meeting_type__pack", "child", "requested_by", "chair").get(
        pk=meeting_id
    )


def external_addresses(meeting: Meeting, addresses: list[str]) -> set[str]:
    """Addresses outside the council (carers, providers, parents): not an active user's, not a mailbox
    the pack names in its settings, and not in the pack's `internal_email_domains` (comma-separated)."""
    pack = meeting.meeting_type.pack
    settings = pack.settings_dict()
    mailboxes = {v.strip().lower() for v in settings.values() if "@" in v}
    domains = {d.strip().lower() for d in settings.get("internal_email_domains", "").split(",") if d.strip()}
    accounts = User.objects.filter(email__in=addresses, is_active=True).values_list("email", flat=True)
    internal = {e.lower() for e in accounts} | mailboxes
    return {a for a in addresses if a.lower() not in internal and a.rsplit("@", 1)[-1].lower() not in domains}


def external_kinds(meeting: Meeting) -> set[str]:
    """The message kinds the pack lets people outside the council receive (setting
    `external_message_kinds`, comma-separated, e.g. notify_meeting_scheduled); none when unset."""
    value = meeting.meeting_type.pack.setting("external_message_kinds")
    return {k.strip() for k in value.split(",") if k.strip()}


def _send(meeting: Meeting, topic: str, subject: str, body: str, to: list[str]) -> int:
    """Queue one e-mail per address in the outbox for the meeting's latest event; returns how many.

    People outside the council get only the kinds the pack allows them, always with the confidentiality
    statement at the top (issue 13)."""
    last = meeting.history.order_by("-at", "-pk").values_list("pk", flat=True).first()
    addresses = list(dict.fromkeys(a for a in to if a))
    external = external_addresses(meeting, addresses)
    internal = [a for a in addresses if a not in external]
    allowed = [a for a in addresses if a in external] if topic in external_kinds(meeting) else []
    users = {u.email: u for u in User.objects.filter(email__in=internal, is_active=True).order_by("-pk")}
    common = {"topic": f"workflows.{topic}", "event": f"{meeting.pk}:{last or 0}", "subject": subject}
    sent = message_queue(
        **common, to=internal, body=body, reference=meeting.reference, users_by_address=users
    )
    if allowed:
        statement = meeting.confidentiality_statement or meeting.policy.confidentiality_statement
        outside = body if not statement or body.startswith(statement) else f"{statement}\n\n{body}"
        sent += message_queue(**common, to=allowed, body=outside, reference=meeting.reference)
    return len(sent)


def notify_request_routed(meeting_id: int) -> int:
    """Send a submitted request to the mailboxes the policy names (D4 conference requests, B2 buyers)."""
    meeting = _meeting(meeting_id)
    pack = meeting.meeting_type.pack
    sent = 0

    for route in notifications_for(meeting, "requested"):
        if not route.get("setting_key"):
            continue  # a role recipient is told through the portal's own notices
        address = pack.setting(route["setting_key"])
        note = route.get("note") or ""
        body = (
            f"{meeting.policy.name} requested for child {meeting.child.local_reference} "
            f"by {meeting.requested_by}.\n"
            f"Reference: {meeting.reference}\n{note}\n\n{meeting.deadline_explanation}"
        )
        sent += _send(
            meeting,
            "notify_request_routed",
            f"{meeting.reference}: {meeting.policy.name} request",
            body,
            [address],
        )
    return sent


def notify_request_decided(meeting_id: int) -> int:
    """Tell the requester the decision; a decline carries its reason (P2)."""
    meeting = _meeting(meeting_id)
    name = meeting.policy.name  # the council's own name for the meeting (issue 10)
    if meeting.state == MeetingState.DECLINED:
        body = (
            f"Your request for a {name.lower()} ({meeting.reference}) was declined.\n\n"
            f"Reason: {meeting.decline_reason}"
        )
        subject = f"{meeting.reference}: {name} request declined"
    else:
        body = (
            f"Your request for a {name.lower()} ({meeting.reference}) was approved. "
            f"{meeting.deadline_explanation}"
        )
        subject = f"{meeting.reference}: {name} request approved"
    return _send(meeting, "notify_request_decided", subject, body, [meeting.requested_by.email])


def notify_meeting_scheduled(meeting_id: int) -> int:
    meeting = _meeting(meeting_id)
    to = [i.email for i in meeting.invitees.all() if i.email and i.attendance != "not_invited"]
    when = dates.moment_long(meeting.scheduled_for) if meeting.scheduled_for else ""
    return _send(
        meeting,
        "notify_meeting_scheduled",
        f"{meeting.reference}: {meeting.policy.name}",
        f"{when}\n{meeting.venue}",
        to,
    )


def notify_meeting_cancelled(meeting_id: int) -> int:
    meeting = _meeting(meeting_id)
    to = [i.email for i in meeting.invitees.all() if i.email] + [meeting.requested_by.email]
    return _send(
        meeting,
        "notify_meeting_cancelled",
        f"{meeting.reference}: {meeting.policy.name} cancelled",
        f"Reason: {meeting.cancel_reason}",
        to,
    )


def _minutes_body(meeting: Meeting) -> str:
    terms = pack_terms(meeting.meeting_type.pack)
    actions = "\n".join(
        f"- {a.description} (owner: {a.owner_label}; due: {a.due_on}; evaluation: {a.evaluation})"
        for a in meeting.actions.all()
    )
    decisions = "\n".join(f"- {d.text}" for d in meeting.decisions.all())
    return (
        f"{meeting.confidentiality_statement}\n\n{meeting.policy.name} {meeting.reference}\n\n"
        f"Key issues:\n{meeting.key_issues}\n\n"
        f"The child's wishes and feelings:\n{meeting.wishes_and_feelings}\n\n"
        f"{meeting.minutes_text}\n\nDecisions:\n{decisions}\n\n{terms['actions'].capitalize()}:\n{actions}\n"
    )


def notify_minutes_circulated(meeting_id: int) -> int:
    """Approved minutes to every recipient chosen at circulation (P7, D9)."""
    meeting = _meeting(meeting_id)
    return _send(
        meeting,
        "notify_minutes_circulated",
        f"{meeting.reference}: {meeting.policy.name} {pack_terms(meeting.meeting_type.pack)['minutes']} "
        "(confidential)",
        _minutes_body(meeting),
        list(meeting.circulated_to),
    )


def notify_minutes_shared(meeting_id: int) -> int:
    """Approved minutes to the pack's share mailbox, e.g. practice development managers (D12)."""
    meeting = _meeting(meeting_id)
    address = meeting.meeting_type.pack.setting(meeting.policy.share_approved_minutes_with)
    return _send(
        meeting,
        "notify_minutes_shared",
        f"{meeting.reference}: approved minutes for learning",
        _minutes_body(meeting),
        [address],
    )


@outbox_task
def meeting_file_records(meeting_id: int) -> int:
    """File the approved minutes and reports as immutable snapshots on the records the pack names, with
    the case note of the pack's type linking to them (G5, issue 13); list them with the child's
    documents when the policy says so. Idempotent: a second run files nothing twice."""
    meeting = _meeting(meeting_id)
    policy = meeting.policy
    new = meeting_file(meeting)
    if policy.file_documents:
        store = meeting.meeting_type.pack.setting("document_store", "the child's documents")
        for doc in meeting.filed_documents.filter(record="child").order_by("pk"):
            ChildDocument.objects.get_or_create(
                child=meeting.child,
                source_reference=meeting.reference,
                title=doc.title,
                defaults={
                    "kind": f"{doc.kind} ({store})",
                    "filed_by": meeting.chair,
                    "url": reverse("workflows:filed_document", args=[doc.pk]),
                },
            )
    return len(new)


def notify_meeting_not_held(meeting_id: int) -> int:
    """Tell the requester, the child's social worker, the invitees and the mailboxes the decision names for
    the "not_held" event that the meeting will not be held, and why (issue 10)."""
    meeting = _meeting(meeting_id)
    pack = meeting.meeting_type.pack
    to = [meeting.requested_by.email]
    if meeting.child.social_worker_id:
        to.append(meeting.child.social_worker.email)
    to += [i.email for i in meeting.invitees.all() if i.email and i.attendance != "not_invited"]
    for entry in (meeting.decision or {}).get("notifications") or []:
        if entry.get("event") == "not_held" and entry.get("setting_key"):
            to.append(pack.setting(entry["setting_key"]))
    return _send(
        meeting,
        "notify_meeting_not_held",
        f"{meeting.reference}: will not be held",
        f"It was decided that the {meeting.meeting_type.name.lower()} {meeting.reference} will not be held."
        f"\n\nReason: {meeting.not_held_reason or 'none recorded'}",
        to,
    )


@outbox_task
def meeting_links_start(meeting_id: int, event: str) -> int:
    """Start the linked meeting types the meeting's decision names for `event` (issue 10). Idempotent."""
    return len(linked_meetings_start(meeting_id, event))
