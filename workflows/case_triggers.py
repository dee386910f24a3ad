"""Triggers from the case record (issue 10): when a pack's case trigger becomes true of a placement, the
named person gets a task to consider the meeting, and records the decision either way.

Evaluated after a placement is saved (a durable outbox task queued in the saving transaction, run after
commit) and by a daily django-q2 sweep, both idempotent: one `ConsiderMeetingTask` per (trigger, child or
carer household, qualifying event), the event being the placement and the day its facts were read on
(its end date once it has ended). While a task for the same trigger and child or household is still
undecided, no second one is given.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_q.models import Schedule

from audit.history import records_actor
from outbox.services import task_queue
from portal.models import Placement, User
from portal.selectors import children_for_user, sees_every_child, user_is_read_only

from .choices import ConsiderDecision, TaskRelationship, TriggerSubject
from .condition_words import condition_words
from .conditions import condition_matches
from .deadlines import add_working_days
from .fact_snapshot import fact_snapshot
from .models import CaseTrigger, ConsiderMeetingTask, Meeting
from .policy import role_label
from .rules import RuleRefusal

log = logging.getLogger(__name__)

# The sweep looks again at placements that ended this many days ago or less (and every current one), so a
# change the save hook missed is picked up within the week.
SWEEP_ENDED_DAYS = 7
SWEEP = {"name": "Case triggers: daily sweep", "func": "workflows.case_triggers.case_triggers_sweep"}


def _subject(trigger: CaseTrigger, placement: Placement) -> tuple[str, int | None] | None:
    if trigger.subject == TriggerSubject.CARER_HOUSEHOLD:
        if not placement.carer_household_id:
            return None
        return f"household:{placement.carer_household_id}", placement.carer_household_id
    return f"child:{placement.child_id}", None


def _anchor(placement: Placement, today: date) -> date:
    return placement.end_date if placement.end_date and placement.end_date <= today else today


def _event_key(placement: Placement, today: date) -> str:
    ended = placement.end_date and placement.end_date <= today
    return f"placement:{placement.pk}:" + (f"ended:{placement.end_date.isoformat()}" if ended else "current")


def task_assignee(trigger: CaseTrigger, placement: Placement) -> User | None:
    """The person the trigger's relationship names for this placement, when they hold the task's role."""
    child = placement.child
    household = placement.carer_household
    ssw = household.supervising_social_worker if household else None
    relationship = trigger.task_relationship
    person = None
    if relationship == TaskRelationship.CHILDS_SOCIAL_WORKER:
        person = child.social_worker
    elif relationship == TaskRelationship.CHILD_TEAM_MANAGER:
        person = child.team.manager if child.team_id else None
    elif relationship == TaskRelationship.CARERS_SUPERVISING_SOCIAL_WORKER:
        person = ssw
    elif relationship == TaskRelationship.CARERS_SUPERVISING_TEAM_MANAGER:
        person = ssw.team.manager if ssw and ssw.team_id else None
    if person is None or not person.is_active or person.role != trigger.task_role:
        return None
    return person


def trigger_matches(trigger: CaseTrigger, placement: Placement, today: date) -> bool:
    """Whether the trigger's condition holds for the placement's facts on its end date (or today)."""
    condition = trigger.condition
    snapshot = fact_snapshot(
        child=placement.child,
        placement=placement,
        anchor_on=_anchor(placement, today),
        conditions=[condition],
    )
    return condition_matches(condition, snapshot)


def trigger_evaluate(
    trigger: CaseTrigger, placement: Placement, *, today: date | None = None
) -> ConsiderMeetingTask | None:
    """Give the trigger's task for this placement if its condition holds and none was given for this
    event (or is still undecided for the same child or household). Returns the new task, or None."""
    today = today or timezone.localdate()
    subject = _subject(trigger, placement)
    if subject is None or not trigger.active:
        return None
    subject_key, household_id = subject
    event_key = _event_key(placement, today)
    existing = ConsiderMeetingTask.objects.filter(trigger=trigger, subject_key=subject_key)
    if existing.filter(Q(event_key=event_key) | Q(decision="")).exists():
        return None
    if not trigger_matches(trigger, placement, today):
        return None

    words = condition_words(trigger.condition)
    explanation = trigger.explanation.strip()
    explanation = (explanation + " " if explanation else "") + f"Given because, {words}."
    try:
        with transaction.atomic():
            task = ConsiderMeetingTask.objects.create(
                trigger=trigger,
                meeting_type=trigger.meeting_type,
                subject_key=subject_key,
                event_key=event_key,
                child=placement.child,
                placement=placement,
                carer_household_id=household_id,
                assignee=task_assignee(trigger, placement),
                role=trigger.task_role,
                due_on=add_working_days(today, trigger.due_days, calendar=trigger.pack.default_calendar),
                explanation=explanation,
            )
    except IntegrityError:  # given by a concurrent run for the same event
        return None
    log.info("Case trigger %s gave task %s for %s (%s)", trigger.pk, task.pk, subject_key, event_key)
    return task


def _active_triggers() -> list[CaseTrigger]:
    return list(
        CaseTrigger.objects.filter(active=True, meeting_type__live=True).select_related(
            "pack", "meeting_type"
        )
    )


def case_triggers_for_placement(placement_id: int, *args: object) -> int:
    """After a placement is saved: evaluate every active trigger for it (and so its child and carer
    household). Run by the outbox after the saving transaction commits. Returns the tasks given."""
    placement = (
        Placement.objects.select_related(
            "child__team__manager", "child__social_worker", "carer_household__supervising_social_worker__team"
        )
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        return 0
    return sum(1 for trigger in _active_triggers() if trigger_evaluate(trigger, placement))


case_triggers_for_placement.outbox_task = True


def placement_saved(sender, instance: Placement, raw: bool = False, **kwargs: object) -> None:
    """post_save of a placement: queue its trigger evaluation in the same transaction (durable; run after
    commit). Nothing is queued when the pack defines no active trigger."""
    if raw or not CaseTrigger.objects.filter(active=True).exists():
        return

    ended = instance.end_date.isoformat() if instance.end_date else "current"
    task_queue(
        task="workflows.case_triggers.case_triggers_for_placement",
        args=[instance.pk],
        event=f"{instance.pk}:{ended}:{instance.ended_unplanned}:{instance.category}",
        reference=f"placement {instance.pk}",
    )


def case_triggers_sweep(today: date | None = None) -> int:
    """The daily sweep: every active trigger against every current placement and every placement that
    ended in the last week. Idempotent (one task per event). Returns the tasks given."""
    today = today or timezone.localdate()
    triggers = _active_triggers()
    if not triggers:
        return 0
    placements = Placement.objects.filter(
        Q(end_date__isnull=True)
        | Q(end_date__gte=today - timedelta(days=SWEEP_ENDED_DAYS), end_date__lte=today),
        start_date__lte=today,
    ).select_related(
        "child__team__manager", "child__social_worker", "carer_household__supervising_social_worker__team"
    )
    given = 0
    for placement in placements.iterator(chunk_size=500):
        for trigger in triggers:
            given += int(trigger_evaluate(trigger, placement, today=today) is not None)
    log.info("Case triggers sweep on %s gave %s tasks", today, given)
    return given


def schedules_ensure(using: str = "default", **kwargs: object) -> None:
    """Create the daily sweep's django-q2 schedule after migrate, or correct it (idempotent)."""
    schedule = Schedule.objects.using(using).filter(name=SWEEP["name"]).first()
    if schedule is None:
        Schedule.objects.using(using).create(
            name=SWEEP["name"], func=SWEEP["func"], schedule_type=Schedule.DAILY, repeats=-1
        )
    elif (schedule.func, schedule.schedule_type, schedule.repeats) != (SWEEP["func"], Schedule.DAILY, -1):
        schedule.func, schedule.schedule_type, schedule.repeats = SWEEP["func"], Schedule.DAILY, -1
        schedule.save(using=using)


# --------------------------------------------------------------------------------------------------
# Who sees and decides the tasks
# --------------------------------------------------------------------------------------------------


def consider_tasks_for_user(user: User) -> QuerySet[ConsiderMeetingTask]:
    """Tasks the user may see: their own, unassigned ones for their role, and those of children they may
    see (a manager sees their team's). Auditors see every task."""
    base = ConsiderMeetingTask.objects.select_related(
        "trigger",
        "meeting_type",
        "child",
        "placement",
        "carer_household",
        "assignee",
        "decided_by",
        "meeting",
    )
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if sees_every_child(user):
        return base.all()
    children = children_for_user(user).order_by().values("pk")
    return base.filter(Q(assignee=user) | Q(child_id__in=children))


def consider_tasks_waiting(user: User) -> QuerySet[ConsiderMeetingTask]:
    """Undecided tasks this user is to decide: assigned to them, or unassigned for their role and child."""
    mine = Q(assignee=user) | Q(
        assignee__isnull=True, role=user.role, child_id__in=children_for_user(user).order_by().values("pk")
    )
    return consider_tasks_for_user(user).filter(mine, decision="").order_by("due_on", "pk")


def consider_refusal(task: ConsiderMeetingTask, user: User) -> RuleRefusal | None:
    """Why `user` may not record the decision on this task, or None."""
    rule = task.trigger.rule
    if user_is_read_only(user):
        return RuleRefusal(rule, "You can read this task but not decide it.")
    if task.decision:
        who = f" by {task.decided_by}" if task.decided_by_id else ""
        return RuleRefusal(
            rule, f"This task was already decided{who}: {task.get_decision_display().lower()}."
        )
    if task.assignee_id:
        if task.assignee_id != user.pk:
            return RuleRefusal(rule, f"This task is for {task.assignee}: only they can decide it.")
        return None
    if user.role != task.role or not children_for_user(user).filter(pk=task.child_id).exists():
        return RuleRefusal(
            rule,
            f"Only a {role_label(task.role).lower()} who works with {task.child.full_name} can decide this.",
        )
    return None


@records_actor
def consider_task_decide(
    *, task: ConsiderMeetingTask, by: User, decision: str, reason: str = ""
) -> ConsiderMeetingTask:
    """Record the decision on a case trigger's task: hold the meeting (the request screen follows) or do
    not hold it (a reason is required). Who and when are kept, and the change is in the task's history."""
    with transaction.atomic():
        task = (
            ConsiderMeetingTask.objects.select_for_update(of=("self",))
            .select_related("trigger", "child")
            .get(pk=task.pk)
        )
        refusal = consider_refusal(task, by)
        if refusal:
            raise refusal
        if decision not in ConsiderDecision.values:
            raise RuleRefusal(task.trigger.rule, "Choose whether to hold the meeting.", field="decision")
        if decision == ConsiderDecision.DO_NOT_HOLD and not reason.strip():
            raise RuleRefusal(
                task.trigger.rule, "Give the reason the meeting will not be held.", field="reason"
            )
        task.decision = decision
        task.reason = reason.strip()
        task.decided_by = by
        task.decided_at = timezone.now()
        task.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
    return task


def consider_task_link_meeting(*, task: ConsiderMeetingTask, meeting: Meeting) -> None:
    """A meeting requested from a "hold" decision is recorded on its task (same child and type only)."""
    if (
        task.decision == ConsiderDecision.HOLD
        and task.meeting_id is None
        and meeting.child_id == task.child_id
        and meeting.meeting_type_id == task.meeting_type_id
    ):
        task.meeting = meeting
        task.save(update_fields=["meeting"])
