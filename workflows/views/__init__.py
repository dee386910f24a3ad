"""Worker screens for meetings: thin views over the selectors and services, one module per concern.

- lists: the meeting list, the approval queue, my actions
- requests: asking for a meeting and sending the request
- meeting_page: the meeting page
- approvals: approving, declining, cancelling
- arranging: arranging the meeting, recording it held
- after_meeting: minutes, closing, a provider's notice

Every step has the same shape (views.common): the meeting or 404, a button or a form, a refusal shown as
its plain sentence beside the field it is about with what the worker typed kept (the rule ID goes to the
log), success back to the meeting page.
"""

from .after_meeting import meeting_close, minutes_approve, minutes_circulate, provider_notice
from .approvals import meeting_approve, meeting_cancel, meeting_decline
from .arranging import meeting_held, meeting_schedule
from .lists import approval_queue, meeting_list, my_actions
from .meeting_page import meeting_detail
from .requests import meeting_request, meeting_submit

__all__ = [
    "approval_queue",
    "meeting_approve",
    "meeting_cancel",
    "meeting_close",
    "meeting_decline",
    "meeting_detail",
    "meeting_held",
    "meeting_list",
    "meeting_request",
    "meeting_schedule",
    "meeting_submit",
    "minutes_approve",
    "minutes_circulate",
    "my_actions",
    "provider_notice",
]
