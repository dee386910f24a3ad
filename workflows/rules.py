"""A refused action names the rule that refused it and says why in words a worker understands."""

from __future__ import annotations


class RuleRefusal(Exception):
    """Raised by services when a rule of the meeting's policy refuses an action.

    `rule` is the rule ID shown to the worker ("P4"); `message` is one plain sentence.
    """

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}" if rule else message)
        self.rule = rule
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} ({self.rule})" if self.rule else self.message


# Engine-wide rules (SPEC.md G): the same for every pack, so their IDs are code.
G3 = "G3"
G6 = "G6"
G7 = "G7"
G8 = "G8"
