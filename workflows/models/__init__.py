"""Procedure packs, meeting-type policies and the meetings they govern, one module per concern:

- `packs`: a council's procedure pack, its settings and its own words (vocabulary);
- `meeting_types`: the policy of one kind of meeting (the values of the rule kinds the engine knows);
- `meetings`: the meeting, its state machine, its approvals, transition history and invitees;
- `actions`: decisions and actions agreed at a meeting and each action's status history;
- `records`: looked-after reviews, documents filed on the child's record and the reports a meeting asks for;
- `paths`: the alternative paths' tables (case triggers and the tasks they give).

Publishing a `MeetingType` creates a Revision; every `Meeting` keeps the revision that applied when it was
requested, so later edits never change the rules under a meeting already running. Django finds the
models through this package, so `from workflows.models import Meeting` works for every table.
"""

from .actions import Action, ActionManager, ActionQuerySet, ActionStatusChange, CurrentRecordManager, Decision
from .meeting_types import MeetingType
from .meetings import HistoryQuerySet, Invitee, Meeting, MeetingApproval, MeetingQuerySet, MeetingTransition
from .packs import PackSetting, PackVocabulary, ProcedurePack, VocabularyKind
from .paths import CaseTrigger, ConsiderMeetingTask
from .records import FiledDocument, LookedAfterReview, MeetingReport, _filed_path

__all__ = [
    "Action",
    "ActionManager",
    "ActionQuerySet",
    "ActionStatusChange",
    "CaseTrigger",
    "ConsiderMeetingTask",
    "CurrentRecordManager",
    "Decision",
    "FiledDocument",
    "HistoryQuerySet",
    "Invitee",
    "LookedAfterReview",
    "Meeting",
    "MeetingApproval",
    "MeetingQuerySet",
    "MeetingReport",
    "MeetingTransition",
    "MeetingType",
    "PackSetting",
    "PackVocabulary",
    "ProcedurePack",
    "VocabularyKind",
    "_filed_path",  # migration 0013 names the upload path as workflows.models._filed_path
]
