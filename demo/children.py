"""Forty fictional children and their placement histories, as plans (days before today), seeded.

Each child follows a scenario the procedures care about: stable placements, agency contracts with and
without a 28-day notice period or a contingency plan (B9), fragile placements with several moves in a
year (BPM, PSM), permanent placements that ended unplanned three to six weeks ago (DM due, D1-D2), one
ended seven weeks ago (a late DM request, D3) and a connected-person permanent placement that ended
unplanned (no DM, D1). Codes are SSDA903 (portal.choices).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import people

SEED = 2026


@dataclass
class PlacementPlan:
    start: int  # days before today
    end: int | None  # days before today; None = current
    placement_type: str
    provider_code: str = "PR1"
    carer: str | None = None  # CARERS key
    home: str | None = None  # HOMES key
    provider: str | None = None  # PROVIDERS key
    ended_unplanned: bool | None = None
    reason: str = ""
    ratified: int | None = None  # days before today it was ratified as permanent
    notice: int | None = None
    contingency: bool | None = None
    contingency_plan: str = ""


@dataclass
class ChildPlan:
    reference: str
    first_name: str
    last_name: str
    gender: str
    dob_days_ago: int
    legal_status: str
    team: str
    social_worker: str
    iro: str
    scenario: str
    placements: list[PlacementPlan]
    past_iro: str | None = None
    notes: list[tuple[str, str, int]] = field(default_factory=list)  # (type, body, days ago)
    extra_involvements: list[tuple[str, str, int]] = field(default_factory=list)  # (username, role, from)


def _words(text: str) -> list[str]:
    return text.split()


GIRLS = _words(
    "Amelia Ava Isla Poppy Freya Ruby Maisie Lily Evie Ellie Aaliyah Zara Niamh Chloe Skye Millie "
    "Grace Jessica Aisha Summer Tia Leah"
)
BOYS = _words(
    "Oliver Harry Jack Charlie Leo Alfie Riley Kai Mason Tyler Ethan Logan Reece Jayden Callum Dylan "
    "Kyle Ibrahim Archie Tomas Finley Nathan"
)
SURNAMES = _words(
    "Ashby Bramley Carrow Denholm Elsworth Farrant Gadsby Hartigan Ingleby Jessop Kershaw Latimer "
    "Mallory Norbury Oldcastle Pickering Radley Stanbridge Thackeray Underwood Varley Whitlock "
    "Yardley Abbott-Kerr Beddows Cheverton Dacombe Eastgate Fothergill Gorringe Hebblethwaite Iveson "
    "Kilbride Loxley Moxon Nettleship Ormerod Pendlebury Quibell Rowbotham Sowerby Tregear"
)

IROS = ("iro", "iro-2", "iro-3", "iro-4")
KEY_WORKERS = ("residential-worker", "residential-worker-2")

# The demo social worker's eight, in order; the other 32 are shuffled (seeded) across the teams.
FIRST_EIGHT = [
    "dm_due",
    "fragile",
    "agency_fostering",
    "residential_in_house",
    "stable_in_house",
    "stable_connected",
    "dm_due",
    "residential_agency",
]
OTHERS = (
    ["stable_in_house"] * 5
    + ["stable_connected"] * 3
    + ["agency_fostering"] * 5
    + ["residential_in_house"] * 3
    + ["residential_agency"] * 3
    + ["dm_due"] * 4
    + ["dm_late", "connected_disrupted"]
    + ["fragile"] * 3
    + ["planned_move"] * 4
)
# position ranges -> (team, social worker)
ALLOCATION = [
    (range(0, 8), "cic_north", "social-worker"),
    (range(8, 15), "cic_north", "social-worker-2"),
    (range(15, 20), "cic_north", "social-worker-3"),
    (range(20, 25), "cic_south", "social-worker-4"),
    (range(25, 30), "cic_south", "social-worker-5"),
    (range(30, 36), "cic_east", "social-worker-6"),
    (range(36, 40), "cic_west", "social-worker-7"),
]
# Disruption Meeting cases: (category, days since the permanent placement ended)
DM_DUE = [
    ("in_house_fostering", 30),
    ("agency_fostering", 35),
    ("in_house_fostering", 24),
    ("in_house_residential", 40),
    ("agency_residential", 29),
    ("agency_fostering", 22),
]
# child position -> index of an earlier placement that was permanent and ended unplanned
PAST_DISRUPTIONS = {3: 1, 16: 2, 24: 1, 30: 0, 37: 0}
AGES = {
    "stable_in_house": (4, 15),
    "stable_connected": (3, 14),
    "agency_fostering": (5, 15),
    "residential_in_house": (12, 16),
    "residential_agency": (12, 16),
    "dm_due": (8, 15),
    "dm_late": (9, 14),
    "connected_disrupted": (6, 12),
    "fragile": (9, 15),
    "planned_move": (10, 15),
}
CONTINGENCY = (
    "If the placement is at risk the agency offers respite with an approved carer while a BPM is held."
)
HOME_CONTINGENCY = (
    "Provider keeps an emergency bed in a sister home; staffing ratio can rise to 2:1 for two weeks."
)


class _Builder:
    """Draws placements from the seeded generator; connected carers are one household per child."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.connected = list(people.CONNECTED_CARERS)
        self.dm_cases = list(DM_DUE)
        self.planned_variants = ["step_down", "adoption", "home", "step_down"]
        self.used: set[str] = set()  # carers and homes this child has already lived with

    def start_child(self) -> None:
        self.used = set()

    def pick(self, options: tuple[str, ...]) -> str:
        """A carer or home the child hasn't lived with: a move is always to somewhere new."""
        fresh = [o for o in options if o not in self.used] or list(options)
        choice = self.rng.choice(fresh)
        self.used.add(choice)
        return choice

    # one placement of each kind -------------------------------------------------------------------
    def in_house(self, start: int, end: int | None, code: str = "U6", **kw) -> PlacementPlan:
        return PlacementPlan(start, end, code, "PR1", carer=self.pick(people.IN_HOUSE_CARERS), **kw)

    def connected_person(self, start: int, end: int | None, code: str = "U3", **kw) -> PlacementPlan:
        carer = self.connected.pop(0) if self.connected else people.CONNECTED_CARERS[0]
        return PlacementPlan(start, end, code, "PR1", carer=carer, **kw)

    def agency_foster(
        self, start: int, end: int | None, code: str = "U6", notice: int = 28, **kw
    ) -> PlacementPlan:
        carer = self.pick(people.AGENCY_CARERS)
        provider = people.CARERS[carer][4]
        kw.setdefault("contingency", True)
        kw.setdefault("contingency_plan", CONTINGENCY if kw["contingency"] else "")
        return PlacementPlan(
            start,
            end,
            code,
            people.PROVIDER_CODES[provider],
            carer=carer,
            provider=provider,
            notice=notice,
            **kw,
        )

    def home_in_house(self, start: int, end: int | None, **kw) -> PlacementPlan:
        return PlacementPlan(start, end, "K2", "PR1", home=self.pick(people.IN_HOUSE_HOMES), **kw)

    def home_agency(self, start: int, end: int | None, notice: int = 28, **kw) -> PlacementPlan:
        home = self.pick(people.AGENCY_HOMES)
        provider = people.HOMES[home][1]
        kw.setdefault("contingency", True)
        kw.setdefault("contingency_plan", HOME_CONTINGENCY if kw["contingency"] else "")
        return PlacementPlan(
            start,
            end,
            "K2",
            people.PROVIDER_CODES[provider],
            home=home,
            provider=provider,
            notice=notice,
            **kw,
        )

    def kind(self, category: str, start: int, end: int | None, **kw) -> PlacementPlan:
        make = {
            "in_house_fostering": self.in_house,
            "agency_fostering": self.agency_foster,
            "in_house_residential": self.home_in_house,
            "agency_residential": self.home_agency,
        }[category]
        if category in ("in_house_fostering", "agency_fostering") and kw.get("ratified") is not None:
            kw.setdefault("code", "U4")  # long-term fostering
        return make(start, end, **kw)

    # scenarios -------------------------------------------------------------------------------------
    def stable_in_house(self) -> list[PlacementPlan]:
        r = self.rng
        current = r.randint(300, 1500)
        earlier = current + r.randint(30, 300)
        permanent = r.random() < 0.6
        return [
            self.in_house(earlier, current, ended_unplanned=False, reason="CARPL"),
            self.in_house(
                current,
                None,
                code="U4" if permanent else "U6",
                ratified=current - r.randint(90, 240) if permanent and current > 260 else None,
            ),
        ]

    def stable_connected(self) -> list[PlacementPlan]:
        r = self.rng
        current = r.randint(200, 1400)
        permanent = current > 500 and r.random() < 0.5
        plans = []
        if r.random() < 0.5:
            plans.append(
                self.in_house(current + r.randint(20, 120), current, ended_unplanned=False, reason="CARPL")
            )
        plans.append(
            self.connected_person(
                current, None, code="U1" if permanent else "U3", ratified=current - 200 if permanent else None
            )
        )
        return plans

    def agency_fostering(self) -> list[PlacementPlan]:
        r = self.rng
        current = r.randint(150, 1100)
        variant = r.random()
        kw: dict = {}
        if variant < 0.2:
            kw = {"notice": 14}  # below the 28 days B9 asks for
        elif variant < 0.35:
            kw = {"contingency": False}
        permanent = current > 400 and r.random() < 0.3
        return [
            self.in_house(
                current + r.randint(40, 400), current, ended_unplanned=r.random() < 0.4, reason="CREQO"
            ),
            self.agency_foster(
                current,
                None,
                code="U4" if permanent else "U6",
                ratified=current - 150 if permanent else None,
                **kw,
            ),
        ]

    def residential_in_house(self) -> list[PlacementPlan]:
        r = self.rng
        current = r.randint(90, 700)
        middle = current + r.randint(100, 400)
        first = middle + r.randint(150, 600)
        return [
            self.in_house(first, middle, ended_unplanned=True, reason="CREQB"),
            self.agency_foster(middle, current, ended_unplanned=True, reason=r.choice(["CHILD", "CREQB"])),
            self.home_in_house(current, None),
        ]

    def residential_agency(self) -> list[PlacementPlan]:
        r = self.rng
        current = r.randint(60, 800)
        first = current + r.randint(200, 900)
        return [
            self.in_house(first, current, ended_unplanned=True, reason=r.choice(["CREQB", "ALLEG"])),
            self.home_agency(current, None, notice=r.choice([28, 28, 56, 90])),
        ]

    def dm_due(self) -> list[PlacementPlan]:
        r = self.rng
        category, ended = self.dm_cases.pop(0)
        start = ended + r.randint(500, 1600)
        ratified = start - r.randint(90, 300)
        plans = []
        if r.random() < 0.6:
            plans.append(
                self.in_house(start + r.randint(60, 300), start, ended_unplanned=False, reason="CARPL")
            )
        plans.append(
            self.kind(
                category,
                start,
                ended,
                ended_unplanned=True,
                reason=r.choice(["CREQB", "CHILD", "ALLEG", "CREQO"]),
                ratified=ratified,
            )
        )
        if category.endswith("residential"):
            plans.append(self.home_agency(ended, None))
        else:
            plans.append(self.in_house(ended, None))
        return plans

    def dm_late(self) -> list[PlacementPlan]:
        start = 49 + 1200
        return [
            self.in_house(start, 49, code="U4", ended_unplanned=True, reason="CREQB", ratified=start - 250),
            self.home_agency(49, None),
        ]

    def connected_disrupted(self) -> list[PlacementPlan]:
        start = 31 + 900
        return [
            self.connected_person(
                start, 31, code="U1", ended_unplanned=True, reason="CREQO", ratified=start - 180
            ),
            self.in_house(31, None),
        ]

    def fragile(self) -> list[PlacementPlan]:
        r = self.rng
        current = r.randint(14, 60)
        second = current + r.randint(60, 120)
        first = second + r.randint(60, 150)
        agency_now = r.random() < 0.5
        return [
            self.in_house(first + r.randint(200, 700), first, ended_unplanned=False, reason="CARPL"),
            self.in_house(first, second, ended_unplanned=True, reason="CREQB"),
            self.agency_foster(second, current, ended_unplanned=True, reason="CHILD"),
            self.agency_foster(current, None, notice=28) if agency_now else self.in_house(current, None),
        ]

    def planned_move(self) -> list[PlacementPlan]:
        variant = self.planned_variants.pop(0) if self.planned_variants else "step_down"
        if variant == "adoption":
            return [
                self.in_house(500, 70, code="U5", ended_unplanned=False, reason="CARPL"),
                PlacementPlan(70, None, "A6"),
            ]
        if variant == "home":
            return [
                self.in_house(600, 95, ended_unplanned=False, reason="CARPL"),
                PlacementPlan(95, None, "P1", "PR0"),
            ]
        return [
            self.home_agency(900, 210, ended_unplanned=False, reason="CARPL"),
            self.in_house(210, None),
        ]


NOTES = {
    "dm_due": [
        (
            "Placement ended",
            "The placement ended suddenly after an incident at home; the child moved to new carers the same "
            "day. A disruption meeting is to be arranged.",
            "end",
        ),
        (
            "Statutory visit",
            "Seen alone at the new placement. Settling, but upset about the move; their views are recorded "
            "for the disruption meeting.",
            "end-7",
        ),
    ],
    "dm_late": [
        (
            "Placement ended",
            "Permanent carers ended the placement after a crisis; emergency residential bed found.",
            "end",
        ),
    ],
    "connected_disrupted": [
        (
            "Placement ended",
            "Family carer could no longer manage; child moved to in-house foster carers.",
            "end",
        ),
    ],
    "fragile": [
        (
            "Carer support call",
            "Carers describe growing difficulties at bedtime and before school and wonder whether they can "
            "carry on. Supervising social worker to visit weekly for now.",
            "10",
        ),
        (
            "Team around the child meeting",
            "Agreed a support plan with school and CAMHS; to review in two weeks. A risk of the placement "
            "breaking down is noted.",
            "5",
        ),
    ],
    "agency_fostering": [
        ("Statutory visit", "Seen alone at the placement; settled and attending school well.", "40"),
    ],
    "residential_in_house": [
        ("Statutory visit", "Seen at the home with the key worker; engaging with education plan.", "25"),
    ],
}


def _notes(
    scenario: str, placements: list[PlacementPlan], plan: PlacementPlan | None
) -> list[tuple[str, str, int]]:
    ended = next((p.end for p in placements if p.end is not None and p.ended_unplanned and p.ratified), None)
    rows = []
    for note_type, body, when in NOTES.get(scenario, []):
        if when == "end":
            days = ended or 30
        elif when.startswith("end-"):
            days = max((ended or 30) - int(when[4:]), 0)
        else:
            days = int(when)
        rows.append((note_type, body, days))
    if plan is not None and plan.notice is not None and (plan.notice < 28 or plan.contingency is False):
        rows.append(
            (
                "Contract check",
                "Buyers reviewed the agency contract: "
                + (
                    "the notice period is under 28 days"
                    if plan.notice < 28
                    else "no contingency plan is recorded"
                )
                + ". Buyers to take it up with the provider.",
                20,
            )
        )
    return rows


def child_plans() -> list[ChildPlan]:
    """The forty children, the same every run (seeded)."""
    rng = random.Random(SEED)
    builder = _Builder(rng)
    others = list(OTHERS)
    rng.shuffle(others)
    scenarios = FIRST_EIGHT + others
    girls, boys, surnames = list(GIRLS), list(BOYS), list(SURNAMES)
    rng.shuffle(girls)
    rng.shuffle(boys)
    rng.shuffle(surnames)
    plans = []
    for position, scenario in enumerate(scenarios):
        team, social_worker = next((t, sw) for span, t, sw in ALLOCATION if position in span)
        builder.start_child()
        placements = getattr(builder, scenario)()
        first_start = max(p.start for p in placements)
        low, high = (1, 4) if placements[-1].placement_type == "A6" else AGES[scenario]
        low = max(low, first_start // 365 + 1)
        age_days = rng.randint(low * 365 + 30, max(high, low) * 365 + 330)
        gender = rng.choice(["1", "2"])
        if not (girls if gender == "2" else boys):
            gender = "1" if gender == "2" else "2"
        first_name = (girls if gender == "2" else boys).pop()
        legal = (
            "E1"
            if placements[-1].placement_type == "A6"
            else rng.choice(["C2"] * 6 + ["C1"] * 2 + ["V2"] * 2)
        )
        iro = IROS[position % len(IROS)]
        current = placements[-1]
        plans.append(
            ChildPlan(
                reference=f"HV{700100 + position * 7:07d}",
                first_name=first_name,
                last_name=surnames.pop(),
                gender=gender,
                dob_days_ago=age_days,
                legal_status=legal,
                team=team,
                social_worker=social_worker,
                iro=iro,
                past_iro=IROS[(position + 1) % len(IROS)] if position % 3 == 0 else None,
                scenario=scenario,
                placements=placements,
                notes=_notes(scenario, placements, current if current.provider else None),
            )
        )
    # Earlier permanent placements that broke down, for the demo history's disruption meetings in past
    # quarters (D12): ratified a quarter of the way through, long-term fostering where it was fostering.
    for position, index in PAST_DISRUPTIONS.items():
        placement = plans[position].placements[index]
        placement.ratified = placement.start - (placement.start - placement.end) // 4
        if placement.placement_type == "U6":
            placement.placement_type = "U4"
    # the minute taker is lined up for the demo social worker's two disruption meetings
    for plan in plans[:8]:
        if plan.scenario == "dm_due":
            ended = next(p.end for p in plan.placements if p.ratified and p.ended_unplanned)
            plan.extra_involvements.append(("minute-taker", "other", ended))
    return plans
