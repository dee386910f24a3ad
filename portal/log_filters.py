"""Logging filters the settings attach (LOGGING in portal/settings/base.py)."""

from __future__ import annotations

import logging


class OneLineRefusals(logging.Filter):
    """A refused request (403) is a rule doing its job, not a fault: log it as one line with the reason,
    without the traceback Django attaches to "Forbidden (Permission denied)". Errors keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            reason = str(record.exc_info[1] or "").strip()
            message = record.getMessage()
            record.msg, record.args = (f"{message}: {reason}" if reason else message), ()
            record.exc_info = record.exc_text = None
        return True
