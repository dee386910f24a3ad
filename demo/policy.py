"""The demo's policy owners and auditor at work (issue 13): each policy owner submits a small wording
change to a meeting type for a second policy owner's approval (so the other is told), and the auditor
runs a background export that finishes (so they are told it is ready). Idempotent: a change an owner
already submitted, or an export the auditor already ran, is not made again."""

from __future__ import annotations

from datetime import date

from wagtail.models import Revision

from dashboards.models import ExportJob
from dashboards.returns import export_job_run
from portal.models import User
from workflows.models import MeetingType

# (policy owner, sentence they propose adding to a meeting type's summary); each owner takes the next
# published meeting type in code order, so the two changes are about different meeting types.
CHANGES = (
    ("policy-owner", "The chair checks that the child's views were sought before the meeting."),
    ("policy-owner-2", "Carers are told the outcome within five working days."),
)


def demo_policy_changes_submit() -> int:
    types = list(MeetingType.objects.filter(live=True).order_by("code")[: len(CHANGES)])
    submitted = 0
    for (username, sentence), meeting_type in zip(CHANGES, types, strict=False):
        owner = User.objects.filter(username=username).first()
        workflow = meeting_type.get_workflow()
        if owner is None or workflow is None:
            continue
        if Revision.objects.for_instance(meeting_type).filter(user=owner).exists():
            continue  # already submitted on an earlier load
        meeting_type.summary = f"{meeting_type.summary} {sentence}".strip()
        meeting_type.save_revision(user=owner)
        workflow.start(meeting_type, owner)
        submitted += 1
    return submitted


def demo_auditor_export(today: date) -> bool:
    """The auditor's background export of the placement stability return, run to completion here."""
    auditor = User.objects.filter(username="auditor").first()
    key = "placement_stability"
    if auditor is None or ExportJob.objects.filter(user=auditor, return_key=key).exists():
        return False
    job = ExportJob.objects.create(user=auditor, return_key=key, params={"on": today.isoformat()})
    export_job_run(job.pk)
    return True
