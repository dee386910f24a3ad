"""The fictional Harrowvale County Council: its teams, staff, carers, providers and homes.

Every name here is invented. Usernames say the role, so a demo audience can sign in as anyone.
"""

from __future__ import annotations

from portal.choices import CarerKind, ProviderKind, Role, TeamKind

COUNCIL_NAME = "Harrowvale County Council"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo logins, refused unless DEBUG
AREAS = ("Northbrook", "Southlea", "Eastholme", "Westmarsh")

# key -> (name, kind, area)
TEAMS: dict[str, tuple[str, str, str]] = {
    "cic_north": ("Northbrook children in care team", TeamKind.CHILDREN_SOCIAL_WORK, "Northbrook"),
    "cic_south": ("Southlea children in care team", TeamKind.CHILDREN_SOCIAL_WORK, "Southlea"),
    "cic_east": ("Eastholme children in care team", TeamKind.CHILDREN_SOCIAL_WORK, "Eastholme"),
    "cic_west": ("Westmarsh children in care team", TeamKind.CHILDREN_SOCIAL_WORK, "Westmarsh"),
    "fostering": ("Fostering support team", TeamKind.FOSTERING, ""),
    "kinship": ("Connected persons team", TeamKind.FOSTERING, ""),
    "residential": ("Residential service", TeamKind.RESIDENTIAL, ""),
    "iro": ("Independent reviewing service", TeamKind.IRO_SERVICE, ""),
    "quality": ("Quality and review team", TeamKind.QUALITY_REVIEW, ""),
    "buyers": ("Children's placements commissioning team", TeamKind.BUYERS, ""),
    "practice": ("Practice development team", TeamKind.PRACTICE_DEVELOPMENT, ""),
    "policy": ("Policy and performance team", TeamKind.POLICY, ""),
}


# Staff who hold one of the county pack's own council roles (issue 10): the role names their job
# everywhere; their permissions are still those of the built-in role it maps onto (team manager).
COUNCIL_ROLES = {"team-manager-4": "practice_consultant"}

# username -> (first name, last name, role, team key, job title). The first person of each role is the
# one --print-logins shows.
STAFF: dict[str, tuple[str, str, str, str, str]] = {
    "policy-owner": ("Priya", "Castellan", Role.POLICY_OWNER, "policy", "Policy and procedures lead"),
    "policy-owner-2": ("Gareth", "Ollerenshaw", Role.POLICY_OWNER, "policy", "Policy officer"),
    "team-manager": ("Tamsin", "Hollowell", Role.TEAM_MANAGER, "cic_north", "Team manager"),
    "team-manager-2": ("Marcus", "Fairbairn", Role.TEAM_MANAGER, "cic_south", "Team manager"),
    "team-manager-3": ("Helen", "Dunstaple", Role.TEAM_MANAGER, "cic_east", "Team manager"),
    "team-manager-4": ("Oluwaseun", "Marbury", Role.TEAM_MANAGER, "cic_west", "Team manager"),
    "fostering-manager": ("Fiona", "Greythorpe", Role.TEAM_MANAGER, "fostering", "Fostering team manager"),
    "kinship-manager": (
        "Declan",
        "Ashworth-Lee",
        Role.TEAM_MANAGER,
        "kinship",
        "Connected persons team manager",
    ),
    "residential-manager": (
        "Rosa",
        "Penhallow",
        Role.TEAM_MANAGER,
        "residential",
        "Residential service manager",
    ),
    "assistant-team-manager": (
        "Adam",
        "Kittering",
        Role.ASSISTANT_TEAM_MANAGER,
        "cic_north",
        "Assistant team manager",
    ),
    "assistant-team-manager-2": (
        "Bethan",
        "Quarrie",
        Role.ASSISTANT_TEAM_MANAGER,
        "cic_south",
        "Assistant team manager",
    ),
    "social-worker": ("Sophie", "Wrenfield", Role.SOCIAL_WORKER, "cic_north", "Social worker"),
    "social-worker-2": ("Imran", "Bellweather", Role.SOCIAL_WORKER, "cic_north", "Social worker"),
    "social-worker-3": ("Kezia", "Tunstall", Role.SOCIAL_WORKER, "cic_north", "Senior social worker"),
    "social-worker-4": ("Liam", "Harcastle", Role.SOCIAL_WORKER, "cic_south", "Social worker"),
    "social-worker-5": ("Ngozi", "Pelham-Rigg", Role.SOCIAL_WORKER, "cic_south", "Social worker"),
    "social-worker-6": ("Craig", "Moorcroft", Role.SOCIAL_WORKER, "cic_east", "Social worker"),
    "social-worker-7": ("Alys", "Venning", Role.SOCIAL_WORKER, "cic_west", "Social worker"),
    "supervising-social-worker": (
        "Joanne",
        "Sallowby",
        Role.SUPERVISING_SOCIAL_WORKER,
        "fostering",
        "Supervising social worker",
    ),
    "supervising-social-worker-2": (
        "Tomasz",
        "Brightling",
        Role.SUPERVISING_SOCIAL_WORKER,
        "fostering",
        "Supervising social worker",
    ),
    "supervising-social-worker-3": (
        "Ruth",
        "Okonedo-Hale",
        Role.SUPERVISING_SOCIAL_WORKER,
        "kinship",
        "Supervising social worker (connected persons)",
    ),
    "residential-worker": (
        "Dean",
        "Holloway-Pike",
        Role.RESIDENTIAL_WORKER,
        "residential",
        "Residential key worker",
    ),
    "residential-worker-2": (
        "Shannon",
        "Eldridge",
        Role.RESIDENTIAL_WORKER,
        "residential",
        "Residential key worker",
    ),
    "home-manager": (
        "Victor",
        "Amberley",
        Role.HOME_MANAGER,
        "residential",
        "Registered manager, Willow Lodge",
    ),
    "iro": ("Irene", "Rookwood", Role.IRO, "iro", "Independent reviewing officer"),
    "iro-2": ("Samuel", "Adebayo-Finch", Role.IRO, "iro", "Independent reviewing officer"),
    "iro-3": ("Catrin", "Maddock", Role.IRO, "iro", "Independent reviewing officer"),
    "iro-4": ("Hugo", "Lindqvist", Role.IRO, "iro", "Independent reviewing officer"),
    "quality-review-manager": (
        "Quentin",
        "Ravensworth",
        Role.QUALITY_REVIEW_MANAGER,
        "quality",
        "Quality and review manager",
    ),
    "quality-review-manager-2": (
        "Mei",
        "Trevelyan",
        Role.QUALITY_REVIEW_MANAGER,
        "quality",
        "Quality and review manager",
    ),
    "buyer": ("Bronwen", "Castleford", Role.BUYER, "buyers", "Team leader, children's services buyers"),
    "buyer-2": ("Yusuf", "Hendry", Role.BUYER, "buyers", "Placements buyer"),
    "practice-development-manager": (
        "Patricia",
        "Delamere",
        Role.PRACTICE_DEVELOPMENT_MANAGER,
        "practice",
        "Practice development manager",
    ),
    "minute-taker": ("Molly", "Fenwick-Shaw", Role.MINUTE_TAKER, "quality", "Business support officer"),
    "minute-taker-2": ("Ravi", "Kettleborough", Role.MINUTE_TAKER, "quality", "Business support officer"),
    "auditor": ("Audrey", "Blackstock", Role.AUDITOR, "policy", "Internal auditor"),
}

# team key -> manager username
TEAM_MANAGERS = {
    "cic_north": "team-manager",
    "cic_south": "team-manager-2",
    "cic_east": "team-manager-3",
    "cic_west": "team-manager-4",
    "fostering": "fostering-manager",
    "kinship": "kinship-manager",
    "residential": "residential-manager",
    "iro": "quality-review-manager",
    "quality": "quality-review-manager",
    "buyers": "buyer",
    "practice": "practice-development-manager",
    "policy": "policy-owner",
}

# key -> (name, kind, Ofsted URN, contact email)
PROVIDERS: dict[str, tuple[str, str, str, str]] = {
    "kestrelwood": (
        "Kestrelwood Fostering Ltd",
        ProviderKind.FOSTERING_AGENCY,
        "SC900101",
        "placements@kestrelwood.example.org",
    ),
    "amberlea": (
        "Amberlea Family Placements (charity)",
        ProviderKind.FOSTERING_AGENCY,
        "SC900202",
        "referrals@amberlea.example.org",
    ),
    "silverbirch": (
        "Silverbirch Residential Care Ltd",
        ProviderKind.CHILDRENS_HOME,
        "SC900303",
        "admissions@silverbirch.example.org",
    ),
    "fernhollow": (
        "Fernhollow Children's Homes Ltd",
        ProviderKind.CHILDRENS_HOME,
        "SC900404",
        "referrals@fernhollow.example.org",
    ),
}
# provider key -> SSDA903 provider code of its placements
PROVIDER_CODES = {"kestrelwood": "PR4", "amberlea": "PR5", "silverbirch": "PR4", "fernhollow": "PR4"}

# key -> (name, provider key or None, area, Ofsted URN, manager name)
HOMES: dict[str, tuple[str, str | None, str, str, str]] = {
    "willow": ("Willow Lodge", None, "Northbrook", "SC910001", "Victor Amberley"),
    "beacon": ("Beacon House", None, "Eastholme", "SC910002", "Gail Summerhayes"),
    "silverbirch_house": ("Silverbirch House", "silverbirch", "Westmarsh", "SC910003", "Owen Prestwick"),
    "silverbirch_cottage": ("Silverbirch Cottage", "silverbirch", "Southlea", "SC910004", "Lena Corrigan"),
    "fernhollow_view": ("Fernhollow View", "fernhollow", "Out of county", "SC910005", "Martin Ebdon"),
}
IN_HOUSE_HOMES = ("willow", "beacon")
AGENCY_HOMES = ("silverbirch_house", "silverbirch_cottage", "fernhollow_view")
# in-house home -> username of its home manager (a portal user), where there is one
HOME_MANAGER_USERS = {"willow": "home-manager"}

# reference -> (household name, kind, area, supervising social worker username or None, provider key)
CARERS: dict[str, tuple[str, str, str, str | None, str | None]] = {
    "FC-2001": (
        "Anwar and Leah Pennington",
        CarerKind.IN_HOUSE_FOSTER,
        "Northbrook",
        "supervising-social-worker",
        None,
    ),
    "FC-2002": ("Gwen Tollemache", CarerKind.IN_HOUSE_FOSTER, "Southlea", "supervising-social-worker", None),
    "FC-2003": (
        "Mark and Daniel Esterby",
        CarerKind.IN_HOUSE_FOSTER,
        "Eastholme",
        "supervising-social-worker-2",
        None,
    ),
    "FC-2004": (
        "Josie and Carl Winterbourne",
        CarerKind.IN_HOUSE_FOSTER,
        "Westmarsh",
        "supervising-social-worker-2",
        None,
    ),
    "FC-2005": (
        "Hannah Brackenridge",
        CarerKind.IN_HOUSE_FOSTER,
        "Northbrook",
        "supervising-social-worker",
        None,
    ),
    "CP-3001": (
        "Maureen Oakes (grandmother)",
        CarerKind.CONNECTED_PERSON,
        "Northbrook",
        "supervising-social-worker-3",
        None,
    ),
    "CP-3002": (
        "Tony and Sharon Lydgate (uncle and aunt)",
        CarerKind.CONNECTED_PERSON,
        "Southlea",
        "supervising-social-worker-3",
        None,
    ),
    "CP-3003": (
        "Kayleigh Dunmore (family friend)",
        CarerKind.CONNECTED_PERSON,
        "Eastholme",
        "supervising-social-worker-3",
        None,
    ),
    "CP-3004": (
        "Pauline Cradock (great-aunt)",
        CarerKind.CONNECTED_PERSON,
        "Westmarsh",
        "supervising-social-worker-3",
        None,
    ),
    "CP-3005": (
        "Errol and Janet Whitcombe (grandparents)",
        CarerKind.CONNECTED_PERSON,
        "Northbrook",
        "supervising-social-worker-3",
        None,
    ),
    "IFA-4001": ("Sunita and Rob Halewood", CarerKind.AGENCY_FOSTER, "Out of county", None, "kestrelwood"),
    "IFA-4002": ("Chloe Marchbank", CarerKind.AGENCY_FOSTER, "Southlea", None, "kestrelwood"),
    "IFA-4003": ("Peter and Ama Rushbrook", CarerKind.AGENCY_FOSTER, "Westmarsh", None, "amberlea"),
}
IN_HOUSE_CARERS = ("FC-2001", "FC-2002", "FC-2003", "FC-2004", "FC-2005")
CONNECTED_CARERS = ("CP-3001", "CP-3002", "CP-3003", "CP-3004", "CP-3005")
AGENCY_CARERS = ("IFA-4001", "IFA-4002", "IFA-4003")


def first_of_each_role() -> dict[str, str]:
    """role -> the username --print-logins shows for it."""
    shown: dict[str, str] = {}
    for username, (_first, _last, role, _team, _title) in STAFF.items():
        shown.setdefault(role, username)
    return shown


def logins_to_show() -> list[tuple[str, str, str]]:
    """(role, job title, username): one sign-in for each distinct job in the demo, in role order, so a
    newcomer sees every kind of user once, the chairs (fostering, connected persons and residential
    team managers) and the second policy owner who approves publishing included."""
    order = {role: n for n, role in enumerate(Role)}
    seen: dict[tuple[str, str], str] = {}
    for username, (_first, _last, role, _team, title) in STAFF.items():
        seen.setdefault((role, title), username)
    return sorted(((r, t, u) for (r, t), u in seen.items()), key=lambda row: order[row[0]])
