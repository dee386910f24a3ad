"""The policy check before publishing: a meeting type run against a matrix of sample cases (issue 10).

`policy_check(meeting_type)` evaluates the meeting type (a revision's object: the draft under review) on
every sample case of `policy_samples.sample_cases` with the one evaluator (`policy_engine.policy_evaluate`)
and `dead_ends` reads each decision, in the stored JSON shape (docs/rules-as-data.md), for the ways a case
could get stuck: eligible but no deadline, nobody able to chair or approve, a circulation or report role
no invitee can fill, a not-held path nobody may decide. Each problem is a sentence naming the case ("For
agency fostering, long-term, ended unplanned, marked complex: ..."). The matrix's words for a decision are in
`policy_check_words`.

Publishing a meeting type through the approval workflow is refused while its check finds a problem
(`publish_refusal`, called by the workflow task in `procedures.models`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from portal.choices import Role, TeamKind
from portal.models import User

from .choices import ParticipantRole
from .facts import VOCABULARIES
from .models import MeetingType as MeetingTypeModel
from .policy import FOSTERING_CATEGORIES, RESIDENTIAL_CATEGORIES
from .policy_check_words import DecisionWords, role_words
from .policy_engine import meeting_type_vocabularies, policy_evaluate
from .policy_samples import SampleCase, lower_first, rule_entries, sample_cases
from .vocabularies import pack_vocabularies

if TYPE_CHECKING:
    from .models import MeetingType

# Meeting participants filled by a member of staff, and the staff roles that can fill them. The others
# (the child, parents, carers, other professionals) come from the case itself, not from the council.
PARTICIPANT_STAFF_ROLES: dict[str, tuple[str, ...]] = {
    ParticipantRole.SOCIAL_WORKER: (Role.SOCIAL_WORKER,),
    ParticipantRole.SOCIAL_WORKER_MANAGER: (Role.TEAM_MANAGER, Role.ASSISTANT_TEAM_MANAGER),
    ParticipantRole.SUPERVISING_SOCIAL_WORKER: (Role.SUPERVISING_SOCIAL_WORKER,),
    ParticipantRole.RESIDENTIAL_KEY_WORKER: (Role.RESIDENTIAL_WORKER,),
    ParticipantRole.HOME_MANAGER: (Role.HOME_MANAGER,),
    ParticipantRole.SERVICE_MANAGER: (Role.TEAM_MANAGER, Role.ASSISTANT_TEAM_MANAGER),
    ParticipantRole.IRO: (Role.IRO,),
    ParticipantRole.BUYER: (Role.BUYER,),
    ParticipantRole.MINUTE_TAKER: (Role.MINUTE_TAKER,),
}
OUTSIDE_PARTICIPANTS = frozenset(
    {
        ParticipantRole.CHILD,
        ParticipantRole.PARENT,
        ParticipantRole.FOSTER_CARER,
        ParticipantRole.CURRENT_CARER,
        ParticipantRole.OTHER_PROFESSIONAL,
    }
)
ALWAYS_PRESENT = frozenset({ParticipantRole.CHAIR})

# Anchors a case still going on has not reached: the deadline cannot be worked out.
ANCHORS_NEEDING_END = frozenset({"placement_ended"})


# --------------------------------------------------------------------------------------------------
# Who the council has
# --------------------------------------------------------------------------------------------------


NOT_STAFF = frozenset({Role.POLICY_OWNER, Role.AUDITOR})


@dataclass(frozen=True)
class CouncilContext:
    """What the check needs to know beyond the decision: who holds which role, in which kind of team."""

    people: tuple[tuple[str, str], ...] = ()  # (role, team kind or "") of each active member of staff
    meeting_type_codes: frozenset[str] = frozenset()
    chair_rules_defined: bool = True
    role_labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_database(cls, meeting_type: MeetingType | None = None) -> CouncilContext:
        has_council_role = any(f.name == "council_role" for f in User._meta.get_fields())
        columns = ("role", "team__kind", "council_role") if has_council_role else ("role", "team__kind")
        people: list[tuple[str, str]] = []
        for role, kind, *council_role in User.objects.filter(is_active=True).values_list(*columns):
            # A council's own role (e.g. head of service) is held beside the built-in role it maps onto.
            people += [(r, kind or "") for r in (role, *council_role) if r]
        codes: frozenset[str] = frozenset()
        chairs = True
        if meeting_type is not None and not isinstance(meeting_type, dict):
            codes = frozenset(
                MeetingTypeModel.objects.filter(pack_id=meeting_type.pack_id).values_list("code", flat=True)
            )
        if meeting_type is not None:
            chairs = bool(rule_entries(_list(meeting_type, "chairs")))
        return cls(people=tuple(people), meeting_type_codes=codes, chair_rules_defined=chairs)

    @property
    def staffed(self) -> bool:
        """Whether the installation has staff accounts yet. Before any are made (policy owners load the
        policy first) nobody holds anything, and who could fill a role is not checked."""
        return any(role not in NOT_STAFF for role, _kind in self.people)

    def nobody(
        self, roles: Iterable[str], team_kinds: Iterable[str] = (), excluded_team_kinds: Iterable[str] = ()
    ) -> bool:
        """Whether, in a staffed council, nobody holds any of `roles` (in the given kinds of team)."""
        return self.staffed and not self.holders(roles, team_kinds, excluded_team_kinds)

    def holders(
        self, roles: Iterable[str], team_kinds: Iterable[str] = (), excluded_team_kinds: Iterable[str] = ()
    ) -> int:
        """How many people hold one of `roles` (in one of `team_kinds` if given; never an excluded kind)."""
        roles, kinds, excluded = set(roles), set(team_kinds or ()), set(excluded_team_kinds or ())
        return sum(
            1
            for role, kind in self.people
            if role in roles and (not kinds or kind in kinds) and kind not in excluded
        )

    def label(self, role: str, *, participant: bool = False) -> str:
        """A role's words: as a member of staff (chairs, approvers), or as a meeting's participant
        (invitees, reports, circulation: "Child's social worker", "Children's services buyers")."""
        if role in self.role_labels:
            return self.role_labels[role]
        order = (
            (ParticipantRole.choices, Role.choices)
            if participant
            else (Role.choices, ParticipantRole.choices)
        )
        for choices in order:
            for code, words in choices:
                if code == role:
                    return str(words)
        return str(role).replace("_", " ")


# --------------------------------------------------------------------------------------------------
# Dead ends
# --------------------------------------------------------------------------------------------------


def _list(meeting_type: Any, name: str) -> Any:
    return meeting_type.get(name) if isinstance(meeting_type, dict) else getattr(meeting_type, name, None)


def _participant_held(context: CouncilContext, role: str) -> bool:
    """Whether anybody could be this participant: an outside person, or a member of staff holding it."""
    if role in OUTSIDE_PARTICIPANTS or role in ALWAYS_PRESENT:
        return True
    return not context.nobody(PARTICIPANT_STAFF_ROLES.get(role, (role,)))


def dead_ends(decision: dict, case: SampleCase | str, context: CouncilContext) -> list[str]:
    """The ways this case would get stuck under this decision, each a sentence naming the case.

    `decision` has the stored shape (`PolicyDecision.as_json()`); a case that is not eligible has none.
    """
    name = case if isinstance(case, str) else case.description
    ended = True if isinstance(case, str) else case.has_ended
    placement_type = None if isinstance(case, str) else case.placement_type
    return [
        f"For {name}: {reason}"
        for reason in dead_end_reasons(decision, ended, context, placement_type=placement_type)
    ]


def _service_kind(placement_type: str | None) -> str | None:
    """The kind of team of the service looking after a placement of this type (a chair's service_team)."""
    if placement_type in FOSTERING_CATEGORIES:
        return TeamKind.FOSTERING
    if placement_type in RESIDENTIAL_CATEGORIES:
        return TeamKind.RESIDENTIAL
    return None


def dead_end_reasons(
    decision: dict, has_ended: bool, context: CouncilContext, *, placement_type: str | None = None
) -> list[str]:
    """`dead_ends` without the case's name: what is wrong, for a case that has (or has not) ended, of a
    placement type (given when known: a chair from the service looking after it needs one)."""
    ended = has_ended
    found: list[str] = []

    def say(text: str) -> None:
        found.append(text)

    if not decision.get("eligible"):
        return found
    timing = decision.get("timing")
    if not timing:
        say("the meeting can be requested but no timing rule matches, so it would have no deadline.")
    else:
        if timing.get("anchor") in ANCHORS_NEEDING_END and not ended:
            say(
                "the meeting can be requested while the placement is still going on, but its deadline "
                "counts from the placement's end, so no deadline could be worked out."
            )
        earliest, latest = timing.get("earliest"), timing.get("latest")
        if earliest is not None and latest is not None and latest < earliest:
            say(f"the timing rule's latest ({latest}) comes before its earliest ({earliest}).")
    chair = decision.get("chair")
    if chair is None:
        if context.chair_rules_defined:
            say("no chair rule matches, so nobody could chair the meeting.")
    else:
        roles = list(chair.get("roles") or [])
        if not roles or context.nobody(
            roles, chair.get("team_kinds") or (), chair.get("excluded_team_kinds") or ()
        ):
            who = " or ".join(role_words(context, r) for r in roles) or "nobody"
            teams = chair.get("team_kinds") or []
            where = (
                f" in a {' or '.join(lower_first(k.replace('_', ' ')) for k in teams)} team" if teams else ""
            )
            say(f"the chair must be a {who}{where}, and nobody in the council holds that role.")
        elif placement_type and chair.get("team_scope") == "service_team":
            kind = _service_kind(placement_type)
            if kind is None:
                say(
                    "the chair must come from the fostering or residential service looking after the "
                    "placement, and this kind of placement has neither, so nobody could chair."
                )
            elif context.nobody(roles, [kind]):
                service = "fostering" if kind == "fostering" else "residential"
                who = " or ".join(role_words(context, r) for r in roles)
                say(
                    f"the chair must be a {who} from the {service} service, and nobody there holds that role."
                )
    for gate in decision.get("gates") or []:
        approvers = gate.get("approvers") or []
        roles = [a.get("role") for a in approvers if a.get("role")]
        gate_name = gate.get("name") or "approval"
        if not roles:
            say(f"the gate “{gate_name}” names no approver, so the request could never be approved.")
            continue
        unheld = [r for r in roles if context.nobody([r])]
        need = gate.get("need") or "any"
        if need == "all" and unheld:
            who = " and ".join(role_words(context, r) for r in unheld)
            say(f"the gate “{gate_name}” needs a {who}, and nobody in the council holds that role.")
        elif need != "all" and len(unheld) == len(roles):
            who = " or ".join(role_words(context, r) for r in roles)
            say(f"the gate “{gate_name}” needs a {who}, and nobody in the council holds that role.")
        else:
            needed = len(roles) if need == "all" else (gate.get("count") or 1) if need == "count" else 1
            if context.staffed and gate.get("different_people", True) and context.holders(roles) < needed:
                say(
                    f"the gate “{gate_name}” needs {needed} different people, and only "
                    f"{context.holders(roles)} hold those roles."
                )
    invited = {entry.get("role") for entry in decision.get("invitees") or []}
    present = invited | ALWAYS_PRESENT
    for entry in decision.get("circulation") or []:
        role = entry.get("role")
        if role not in present:
            say(
                f"the minutes must go to the {role_words(context, role, participant=True)}, but no invitee "
                "rule invites them, so the minutes could never be circulated."
            )
        # Whoever receives them need not hold an account: a provider's key worker gets them by e-mail as
        # an invitee, so only an invitee rule is needed (authors and deciders must sign in: checked below).
    for report in decision.get("reports") or []:
        role = report.get("author_role")
        label = report.get("label") or report.get("form_key") or "a report"
        if role not in present:
            say(
                f"“{label}” is written by the {role_words(context, role, participant=True)}, who is not "
                "invited to this meeting."
            )
        elif not _participant_held(context, role):
            say(
                f"“{label}” is written by the {role_words(context, role, participant=True)}, and nobody "
                "holds that role."
            )
    not_held = decision.get("not_held")
    if not_held:
        roles = list(not_held.get("decided_by_roles") or [])
        if not roles or context.nobody(roles):
            who = " or ".join(role_words(context, r) for r in roles) or "nobody"
            say(f"the decision not to hold the meeting is taken by a {who}, and nobody holds that role.")
    if context.meeting_type_codes:
        for entry in decision.get("prerequisites") or []:
            code = entry.get("meeting_type_code")
            if code and code not in context.meeting_type_codes:
                say(f"the meeting needs a {code} first, and this pack has no meeting type {code}.")
        for entry in decision.get("linked_meetings") or []:
            code = entry.get("meeting_type_code")
            if code and code not in context.meeting_type_codes:
                say(f"the meeting starts a linked {code}, and this pack has no meeting type {code}.")
    return found


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------


@dataclass
class CaseResult(DecisionWords):
    """What the meeting type decides for one sample case, in words, with its dead ends."""

    case: SampleCase
    decision: dict
    reasons: list[str]
    context: CouncilContext = field(repr=False)

    @property
    def problems(self) -> list[str]:
        return [f"For {self.case.description}: {reason}" for reason in self.reasons]

    @property
    def outcome(self) -> tuple:
        """What a policy owner compares: cases with the same outcome are shown as one row."""
        if not self.eligible:
            return (False, tuple(self.refusals))
        return (
            True,
            self.deadline,
            self.chairs,
            tuple(self.approvers),
            tuple(self.invitees),
            tuple(self.reports),
            tuple(self.circulation),
        )


@dataclass
class OutcomeGroup:
    """Sample cases the meeting type treats the same way."""

    first: CaseResult
    results: list[CaseResult]

    @property
    def problems(self) -> list[str]:
        return [p for r in self.results for p in r.problems]

    @property
    def reasons(self) -> list[str]:
        return self.first.reasons

    @property
    def descriptions(self) -> list[str]:
        return [r.case.description for r in self.results]


@dataclass
class Report:
    """The matrix for one meeting type (one revision)."""

    meeting_type_name: str
    results: list[CaseResult]
    held: dict[str, str]
    staffed: bool = True

    @property
    def problems(self) -> list[str]:
        return [p for r in self.results for p in r.problems]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def eligible_count(self) -> int:
        return sum(1 for r in self.results if r.eligible)

    def groups(self) -> list[OutcomeGroup]:
        """Cases grouped by outcome, groups with problems first, then eligible, then not eligible."""
        groups: dict[tuple, OutcomeGroup] = {}
        for result in self.results:
            key = (tuple(result.reasons), result.outcome)
            if key in groups:
                groups[key].results.append(result)
            else:
                groups[key] = OutcomeGroup(result, [result])
        return sorted(groups.values(), key=lambda g: (not g.problems, not g.first.eligible))

    def refusal_sentence(self) -> str:
        """The sentence shown when publishing is refused: the first problem, and how many more."""
        problems = self.problems
        if not problems:
            return ""
        more = len(problems) - 1
        tail = f" ({more} more problem{'s' if more != 1 else ''} on the policy check.)" if more else ""
        return f"{self.meeting_type_name} cannot be published: {problems[0]}{tail}"


Evaluator = Callable[[Any, dict], dict]


def engine_evaluate(meeting_type: Any, snapshot: dict) -> dict:
    """The one evaluator (`policy_engine.policy_evaluate`), as the stored JSON shape."""
    return policy_evaluate(meeting_type, snapshot).as_json()


def vocabularies_for(meeting_type: Any) -> dict[str, list[tuple[str, str]]]:
    """The vocabularies its conditions use: the defaults, the pack's own lists (issue 10), the meeting
    type's triggers."""
    try:
        result = meeting_type_vocabularies(meeting_type)
    except (AttributeError, TypeError):
        result = dict(VOCABULARIES)
    pack = None if isinstance(meeting_type, dict) else getattr(meeting_type, "pack", None)
    own = pack_vocabularies(pack) if pack is not None else {}
    for name, pairs in own.items():
        if pairs and name in result and name != "request_trigger":
            result[name] = list(pairs)
    return result


def policy_check(
    meeting_type: Any,
    *,
    context: CouncilContext | None = None,
    evaluate: Evaluator | None = None,
    anchor_on: date | None = None,
    full: bool = False,
    vocabularies: dict[str, list[tuple[str, str]]] | None = None,
) -> Report:
    """Run the meeting type (a revision's object: the draft under review, or a pack's dict) on every
    sample case. `vocabularies` (a pack's own lists) replace the defaults where given."""
    evaluate = evaluate or engine_evaluate
    context = context or CouncilContext.from_database(meeting_type)
    vocabularies = {**vocabularies_for(meeting_type), **(vocabularies or {})}
    cases, held = sample_cases(vocabularies, meeting_type, anchor_on=anchor_on, full=full)
    results = []
    for case in cases:
        decision = evaluate(meeting_type, case.snapshot)
        reasons = dead_end_reasons(decision, case.has_ended, context, placement_type=case.placement_type)
        results.append(CaseResult(case, decision, reasons, context))
    name = _list(meeting_type, "name") or "This meeting type"
    return Report(str(name), results, held, context.staffed)


class PolicyCheckRefused(Exception):
    """Publishing refused because the policy check found a dead end; `sentence` names the case."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


REFUSED_ACTION = "workflows.policy_check_refused"


def publish_refusal(meeting_type: Any, **kwargs) -> str:
    """The sentence refusing to publish this meeting type (a revision's object), or '' when it is sound."""
    return policy_check(meeting_type, **kwargs).refusal_sentence()
