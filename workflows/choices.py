"""Code lists of the meeting engine. The kinds of rule are code; their values live in a pack."""

from django.db import models


class MeetingState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    MINUTES_DRAFTED = "minutes_drafted", "Minutes drafted"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CIRCULATED = "circulated", "Minutes circulated"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"
    NOT_HELD = "not_held", "Not held (decided)"


# Not held (issue 10): the policy's "not held" path ends the requirement with a recorded decision; it is
# finished, never open and never overdue, and distinct from a cancellation.
FINISHED_STATES = frozenset(
    {MeetingState.DECLINED, MeetingState.CLOSED, MeetingState.CANCELLED, MeetingState.NOT_HELD}
)
# The states a meeting may be recorded as not held from: before it has taken place.
NOT_HELD_SOURCES = [
    MeetingState.REQUESTED,
    MeetingState.AWAITING_APPROVAL,
    MeetingState.APPROVED,
    MeetingState.SCHEDULED,
]
OPEN_STATES = [s.value for s in MeetingState if s not in FINISHED_STATES]


class Anchor(models.TextChoices):
    """The event a meeting's timescale counts from (G2)."""

    CONCERN_RAISED = "concern_raised", "The date the concern was raised"
    NOTIFICATION = "notification", "The date the risk was notified"
    PLACEMENT_ENDED = "placement_ended", "The date the placement ended"
    REQUESTED = "requested", "The date the meeting was requested"


class DayUnit(models.TextChoices):
    WORKING = "working", "Working days"
    CALENDAR = "calendar", "Calendar days"


class Calendar(models.TextChoices):
    """Bank holidays of the authority's nation (G2)."""

    ENG = "ENG", "England"
    WLS = "WLS", "Wales"
    SCT = "SCT", "Scotland"
    NIR = "NIR", "Northern Ireland"


class TeamScope(models.TextChoices):
    """Which team a chair must come from (P4, B5)."""

    ANY = "any", "Any team"
    CHILD_TEAM = "child_team", "The child's own team"
    SERVICE_TEAM = "service_team", "The fostering or residential service looking after the placement"


class ParticipantRole(models.TextChoices):
    """Who takes part in a meeting. Wider than staff roles: children, parents and carers attend too."""

    CHILD = "child", "The child"
    PARENT = "parent", "Parents"
    SOCIAL_WORKER = "social_worker", "Child's social worker"
    SOCIAL_WORKER_MANAGER = "social_worker_manager", "Social worker's team manager"
    FOSTER_CARER = "foster_carer", "Foster carers"
    CURRENT_CARER = "current_carer", "Child's current carers"
    SUPERVISING_SOCIAL_WORKER = "supervising_social_worker", "Supervising social worker"
    RESIDENTIAL_KEY_WORKER = "residential_key_worker", "Residential key worker or link worker"
    HOME_MANAGER = "home_manager", "Home manager"
    SERVICE_MANAGER = "service_manager", "Manager from the fostering or residential service"
    IRO = "iro", "Child's independent reviewing officer"
    CHAIR = "chair", "Chair"
    BUYER = "buyer", "Children's services buyers"
    OTHER_PROFESSIONAL = "other_professional", "Other professionals with direct input"
    MINUTE_TAKER = "minute_taker", "Minute taker"


class Requirement(models.TextChoices):
    REQUIRED = "required", "Must be invited"
    OPTIONAL = "optional", "Invite if appropriate"
    WHERE_HELPFUL = "where_helpful", "Invite where helpful"
    NOTIFY = "notify", "Tell them about the meeting; they take part at their discretion"


class Attendance(models.TextChoices):
    INVITED = "invited", "Invited"
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"
    NOT_INVITED = "not_invited", "Not invited"


class ReportTiming(models.TextChoices):
    WITH_REQUEST = "with_request", "Attached to the request"
    BEFORE_MEETING = "before_meeting", "Due before the meeting"
    AFTER_MEETING = "after_meeting", "Due after the meeting"


class MinutesApprover(models.TextChoices):
    CHAIR = "chair", "The chair"
    CHILD_IRO = "child_iro", "The child's IRO"


class ApprovalGate(models.TextChoices):
    REQUEST = "request", "Request approval"
    LATE_REQUEST = "late_request", "Late request approval"


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class ActionStatus(models.TextChoices):
    """Where an agreed action stands (issue 13). Every change is an ActionStatusChange row."""

    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


# Actions still to be done: reminded, counted as overdue, listed on My actions.
ACTIVE_ACTION_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class AnswerKind(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Text"


class ConsiderDecision(models.TextChoices):
    """What the person given a case trigger's task decided (issue 10)."""

    HOLD = "hold", "Hold the meeting"
    DO_NOT_HOLD = "do_not_hold", "Do not hold the meeting"


class TriggerSubject(models.TextChoices):
    """Whose record a case trigger counts for: one task per child, or per carer household (issue 10)."""

    CHILD = "child", "The child"
    CARER_HOUSEHOLD = "carer_household", "The carer household"


class TaskRelationship(models.TextChoices):
    """Who, of the people with the task's role, gets a case trigger's task (as in approval gates)."""

    CHILDS_SOCIAL_WORKER = "childs_social_worker", "The child's social worker"
    CHILD_TEAM_MANAGER = "child_team_manager", "The manager of the child's team"
    CARERS_SUPERVISING_SOCIAL_WORKER = (
        "carers_supervising_social_worker",
        "The carers' supervising social worker",
    )
    CARERS_SUPERVISING_TEAM_MANAGER = (
        "carers_supervising_team_manager",
        "The manager of the carers' supervising social worker's team",
    )
