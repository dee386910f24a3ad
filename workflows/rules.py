"""A refused action names the rule that refused it and says why in words a worker understands.

The worker reads only the sentence (`str(refusal)` or `refusal.message`); the rule ID goes to the
history, the logs and the tests (`refusal.rule`, `refusal.log_text`).
"""

from __future__ import annotations

import logging

logger = logging.getLogger("workflows.refusals")


class RuleRefusal(Exception):
    """Raised by services when a rule of the meeting's policy refuses an action.

    `rule` is the rule ID ("P4") for history, logs and tests; `message` is one plain sentence for the
    worker; `field` (optional) names the form field the sentence is about, so a screen can show it beside
    that field and link to it from the error summary.
    """

    def __init__(self, rule: str, message: str, *, field: str = "") -> None:
        super().__init__(f"{rule}: {message}" if rule else message)
        self.rule = rule
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message

    @property
    def log_text(self) -> str:
        """The sentence with its rule ID, for logs and history (never shown to a worker)."""
        return f"{self.message} ({self.rule})" if self.rule else self.message


class RuleRefusals(RuleRefusal):
    """Several refusals found at once (a request form with more than one problem): each keeps its field."""

    def __init__(self, refusals: list[RuleRefusal]) -> None:
        first = refusals[0]
        super().__init__(first.rule, first.message, field=first.field)
        self.refusals = list(refusals)

    @property
    def log_text(self) -> str:
        return "; ".join(r.log_text for r in self.refusals)


def refusal_log(refusal: RuleRefusal, *, user: object = None, action: str = "") -> None:
    """One line in the log with the rule ID, so support can see which rule refused whom."""
    logger.info("refused %s for %s: %s", action or "action", user, refusal.log_text)


# Engine-wide rules (SPEC.md G): the same for every pack, so their IDs are code.
G3 = "G3"
G6 = "G6"
G7 = "G7"
G8 = "G8"
