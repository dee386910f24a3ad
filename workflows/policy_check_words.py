"""The policy check's words (issue 10): a stored decision said the way a policy owner reads it, as on the
matrix ("Between 28 and 42 calendar days after the placement ended (a hard limit)", "A team manager from
the child's team", "Late request: a service manager"). Used by `workflows.policy_check` and the try-a-case
page (`workflows.policy_try`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .policy_samples import lower_first

if TYPE_CHECKING:
    from .policy_check import CouncilContext

ANCHOR_WORDS = {
    "concern_raised": "the concern was raised",
    "notification": "the risk was notified",
    "placement_ended": "the placement ended",
    "requested": "the meeting was requested",
    "decision_made": "the decision was made",
    "order_made": "the order was made",
    "future_event": "the event",
}
UNIT_WORDS = {
    "working": ("working day", "working days"),
    "calendar": ("calendar day", "calendar days"),
    "weeks": ("week", "weeks"),
    "months": ("calendar month", "calendar months"),
}
# Anchors a case still going on has not reached: the deadline cannot be worked out.


def role_words(context: CouncilContext, role: str, *, participant: bool = False) -> str:
    return lower_first(context.label(role, participant=participant))


def _amount(n: int, unit: str) -> str:
    one, many = UNIT_WORDS.get(unit, (unit, unit))
    return f"{n} {one if n == 1 else many}"


def timing_words(timing: dict | None) -> str:
    """ "Between 28 and 42 calendar days after the placement ended (a hard limit)"."""
    if not timing:
        return "No deadline"
    anchor = ANCHOR_WORDS.get(timing.get("anchor"), str(timing.get("anchor")))
    unit = timing.get("unit") or "working"
    direction = timing.get("direction") or "after"
    earliest, latest = timing.get("earliest"), timing.get("latest")
    if earliest is not None and latest is not None:
        span = f"Between {earliest} and {_amount(latest, unit)}"
    elif latest is not None:
        span = f"Within {_amount(latest, unit)}"
    elif earliest is not None:
        span = f"No sooner than {_amount(earliest, unit)}"
    else:
        return f"No time limit, counted from when {anchor}"
    words = f"{span} {direction} {anchor}"
    if latest is not None:
        words += " (a hard limit)" if timing.get("hard", True) else " (a target: later is flagged late)"
    roll = timing.get("roll")
    if roll and roll != "none" and unit != "working":
        words += ", moved to the " + ("next" if roll == "next_working_day" else "previous") + " working day"
    if timing.get("late_after") is not None:
        words += f"; a request after {_amount(timing['late_after'], unit)} is late"
    return words


def chair_words(chair: dict | None, context: CouncilContext) -> str:
    if not chair:
        return "Anyone may chair" if not context.chair_rules_defined else "Nobody"
    roles = " or ".join(role_words(context, r) for r in chair.get("roles") or [])
    words = f"A {roles}" if roles else "Nobody"
    if chair.get("team_kinds"):
        words += " from a " + " or ".join(k.replace("_", " ") for k in chair["team_kinds"]) + " team"
    scope = chair.get("team_scope")
    if scope == "child_team":
        words += " from the child's team"
    elif scope == "service_team":
        words += " from the service looking after the placement"
    exclusions = [e.replace("_", " ") for e in chair.get("exclude") or []]
    if exclusions:
        words += " (" + ", ".join(exclusions) + ")"
    return words


def gate_words(gate: dict, context: CouncilContext) -> str:
    roles = [role_words(context, a.get("role", "")) for a in gate.get("approvers") or []]
    need = gate.get("need") or "any"
    if need == "all":
        who = " and ".join(roles)
    elif need == "count":
        who = f"{gate.get('count') or 1} of " + ", ".join(roles)
    else:
        who = " or ".join(roles)
    words = f"{gate.get('name') or 'Approval'}: {who}"
    if gate.get("different_people") and len(roles) > 1:
        words += " (different people)"
    return words


# --------------------------------------------------------------------------------------------------
# A whole decision in words
# --------------------------------------------------------------------------------------------------


class DecisionWords:
    """A decision (stored JSON shape) said in words; needs `decision` and `context` attributes."""

    decision: dict
    context: CouncilContext

    @property
    def eligible(self) -> bool:
        return bool(self.decision.get("eligible"))

    @property
    def refusals(self) -> list[str]:
        return [r.get("message", "") for r in self.decision.get("refusals") or []]

    @property
    def deadline(self) -> str:
        return timing_words(self.decision.get("timing"))

    @property
    def deadline_explanation(self) -> str:
        timing = self.decision.get("timing") or {}
        return " ".join(p for p in (timing.get("explanation", ""), _because(timing)) if p)

    @property
    def chairs(self) -> str:
        return chair_words(self.decision.get("chair"), self.context)

    @property
    def chair_because(self) -> str:
        return _because(self.decision.get("chair") or {})

    @property
    def approvers(self) -> list[str]:
        return [gate_words(g, self.context) for g in self.decision.get("gates") or []]

    @property
    def invitees(self) -> list[str]:
        return [
            self.context.label(e.get("role", ""), participant=True)
            + ("" if e.get("requirement") == "required" else " (if appropriate)")
            for e in self.decision.get("invitees") or []
        ]

    @property
    def reports(self) -> list[str]:
        return [
            f"{r.get('label') or r.get('form_key')} by the "
            + role_words(self.context, r.get("author_role", ""), participant=True)
            for r in self.decision.get("reports") or []
        ]

    @property
    def circulation(self) -> list[str]:
        return [
            self.context.label(e.get("role", ""), participant=True)
            for e in self.decision.get("circulation") or []
        ]


def _because(entry: dict) -> str:
    because = entry.get("because") or ""
    return f"(Applies {because}.)" if because and because != "always" else ""
