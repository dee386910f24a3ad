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

    def child(self, **kwargs):  # noqa: ANN003, ANN201
        defaults = {"team": self.cs_team, "social_worker": self.social_worker, "iro": self.iro}
        return ChildFactory(**{**defaults, **kwargs})

    def placement(self, child, **kwargs):  # noqa: ANN001, ANN003, ANN201
        placement = PlacementFactory(child=child, **kwargs)
        if placement.carer_household_id and not placement.carer_household.supervising_social_worker_id:
            placement.carer_household.supervising_social_worker = self.ssw
            placement.carer_household.save()
        return placement

    def invitees(self, meeting, *, skip: tuple[str, ...] = ()) -> list[dict]:  # noqa: ANN001
        """Invite everyone the policy lists for this placement (the child is handled by the decision)."""
        from workflows.selectors import invitee_suggestions

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
