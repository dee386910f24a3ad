"""Factories and helpers for meeting-engine tests (workflows)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings

from portal.choices import Role, TeamKind
from tests.factories import ChildFactory, PlacementFactory, TeamFactory, UserFactory
from workflows.models import MeetingType, ProcedurePack
from workflows.packs import pack_load, pack_read

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"
LONDON = ZoneInfo("Europe/London")


def load_pack(slug: str) -> ProcedurePack:
    return pack_load(PACKS / slug / "pack.json")


def pack_data(slug: str) -> dict:
    return pack_read(PACKS / slug / "pack.json")


def meeting_type(pack: ProcedurePack, code: str) -> MeetingType:
    return MeetingType.objects.get(pack=pack, code=code)


def at(day: date, hour: int = 10) -> datetime:
    """An aware datetime in Europe/London on `day`."""
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


class People:
    """A small authority: a children's team, a fostering service, a residential service, IROs, buyers."""

    def __init__(self) -> None:
        self.cs_team = TeamFactory(name="North children's team", kind=TeamKind.CHILDREN_SOCIAL_WORK)
        self.team_manager = UserFactory(username="tm", role=Role.TEAM_MANAGER, team=self.cs_team)
        self.cs_team.manager = self.team_manager
        self.cs_team.save()
        self.social_worker = UserFactory(username="sw", role=Role.SOCIAL_WORKER, team=self.cs_team)
        self.other_team = TeamFactory(name="South children's team", kind=TeamKind.CHILDREN_SOCIAL_WORK)
        self.other_manager = UserFactory(username="tm2", role=Role.TEAM_MANAGER, team=self.other_team)
        self.other_team.manager = self.other_manager
        self.other_team.save()
        self.fostering = TeamFactory(name="Fostering service", kind=TeamKind.FOSTERING)
        self.fostering_manager = UserFactory(username="ftm", role=Role.TEAM_MANAGER, team=self.fostering)
        self.ssw = UserFactory(username="ssw", role=Role.SUPERVISING_SOCIAL_WORKER, team=self.fostering)
        self.residential = TeamFactory(name="Residential service", kind=TeamKind.RESIDENTIAL)
        self.residential_manager = UserFactory(username="rtm", role=Role.TEAM_MANAGER, team=self.residential)
        self.iro_team = TeamFactory(name="IRO service", kind=TeamKind.IRO_SERVICE)
        self.iro = UserFactory(username="iro", role=Role.IRO, team=self.iro_team)
        self.independent_iro = UserFactory(username="iro2", role=Role.IRO, team=self.iro_team)
        self.qr_manager = UserFactory(username="qr", role=Role.QUALITY_REVIEW_MANAGER)
        self.buyer = UserFactory(username="buyer", role=Role.BUYER)
        self.atm = UserFactory(username="atm", role=Role.ASSISTANT_TEAM_MANAGER, team=self.other_team)
        self.pdm = UserFactory(username="pdm", role=Role.PRACTICE_DEVELOPMENT_MANAGER)
        self.auditor = UserFactory(username="auditor", role=Role.AUDITOR)

    def child(self, **kwargs):
        defaults = {"team": self.cs_team, "social_worker": self.social_worker, "iro": self.iro}
        return ChildFactory(**{**defaults, **kwargs})

    def placement(self, child, **kwargs):
        placement = PlacementFactory(child=child, **kwargs)
        if placement.carer_household_id and not placement.carer_household.supervising_social_worker_id:
            placement.carer_household.supervising_social_worker = self.ssw
            placement.carer_household.save()
        return placement

    def invitees(self, meeting, *, skip: tuple[str, ...] = ()) -> list[dict]:
        """Invite everyone the policy lists for this placement (the child is handled by the decision)."""
        from workflows.participants import invitee_suggestions

        rows = []
        for n, s in enumerate(invitee_suggestions(meeting)):
            if s["role"] in skip or s["role"] == "child":
                continue
            rows.append(
                {
                    "role": s["role"],
                    "user": s["user"],
                    "name": s["name"] or f"{s['role_label']} {n}",
                    "email": s["email"] or f"{s['role']}{n}@example.org",
                    "requirement": s["requirement"],
                }
            )
        return rows


# --------------------------------------------------------------------------------------------------
# Driving meetings through their lifecycle
# --------------------------------------------------------------------------------------------------

RAISED = date(2026, 3, 2)  # a Monday with no bank holiday near it


def psm_request(people: People, pack: ProcedurePack, *, child=None, placement=None, raised=RAISED, **kwargs):
    from workflows import services

    child = child or people.child()
    placement = placement or people.placement(child)
    args = {
        "meeting_type": meeting_type(pack, "PSM"),
        "child": child,
        "placement": placement,
        "by": people.social_worker,
        "concern_raised_on": raised,
        "triggers": ["carers_struggling"],
        "support_tried": "Two informal meetings with the carers in February.",
        "requested_at": at(raised),
    }
    return services.meeting_request(**{**args, **kwargs})


def submit_with_reports(meeting, people: People):
    from workflows import services
    from workflows.choices import ReportTiming

    for report in meeting.reports.filter(timing=ReportTiming.WITH_REQUEST):
        services.report_attach(report=report, by=people.social_worker)
    return services.meeting_submit(meeting=meeting, by=people.social_worker)


def schedule(meeting, people: People, *, chair, day: date, by=None, invitees=None, **kwargs):
    from workflows import services

    args = {
        "meeting": meeting,
        "by": by or people.social_worker,
        "chair": chair,
        "scheduled_for": at(day),
        "venue": "Family centre, room 2",
        "child_invited": False,
        "child_invite_reason": "The child asked not to attend; the social worker will share their views.",
        "invitees": people.invitees(meeting) if invitees is None else invitees,
        # The fixed 2026 dates stand in for "now": arranged on the day it was requested.
        "arranged_at": meeting.requested_at,
    }
    return services.meeting_schedule(**{**args, **kwargs})


GOOD_ACTION = {
    "description": "Arrange weekend respite",
    "owner_name": "Supervising social worker",
    "due_on": date(2026, 3, 27),
    "evaluation": "Carers report they feel supported at the next supervision visit.",
}


def hold_and_minute(meeting, people: People, *, actions=None, wishes="Wants to stay with the carers."):
    from workflows import services

    chair = meeting.chair
    meeting = services.meeting_record_held(meeting=meeting, by=chair)
    return services.minutes_record(
        meeting=meeting,
        by=chair,
        key_issues="Night-time behaviour; carers exhausted.",
        minutes_text="Discussion as recorded.",
        wishes_and_feelings=wishes,
        decisions=["The placement continues with extra support."],
        actions=[GOOD_ACTION] if actions is None else actions,
    )


def timing_of(mt) -> dict:
    """The first timing entry of a meeting type (issue 10: the old `latest_days` etc. live here)."""
    from workflows.policy_engine import rule_lists

    return rule_lists(mt)["timing"][0]


def with_timing(mt, **values):
    """`mt`'s timing list as a StreamValue with its first entry changed, e.g. latest=7 (the old
    `latest_days=7`), for the CMS form helpers."""
    from workflows.policy_engine import rule_lists

    entries = rule_lists(mt)["timing"]
    entries[0] = {**entries[0], **values}
    field = MeetingType._meta.get_field("timing")
    return field.stream_block.to_python([{"type": "window", "value": e} for e in entries])


def legacy_pack_data(slug: str = "county") -> dict:
    """A pack as shipped in format 1 (the old wide meeting type), kept to test the conversion and to
    let variant councils be written in the old words and converted (issue 10)."""
    import json
    from pathlib import Path

    return json.loads((Path(__file__).parent / "data" / f"{slug}_pack_format1.json").read_text())


def format_2(data: dict) -> dict:
    """A format-1 pack dict re-expressed in format 2 with `legacy_to_rules`, as the shipped packs were."""
    from workflows.rules_legacy import legacy_to_rules

    return {**data, "format": 2, "meeting_types": [legacy_to_rules(t) for t in data["meeting_types"]]}
