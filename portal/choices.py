"""Code lists of the case record. SSDA903 codes are stored; their words are shown (G1)."""

from django.db import models


class Role(models.TextChoices):
    """Every role in SPEC.md's Roles. Each has a Django group of the same label."""

    POLICY_OWNER = "policy_owner", "Policy owner"
    TEAM_MANAGER = "team_manager", "Team manager"
    ASSISTANT_TEAM_MANAGER = "assistant_team_manager", "Assistant team manager"
    SOCIAL_WORKER = "social_worker", "Social worker"
    SUPERVISING_SOCIAL_WORKER = "supervising_social_worker", "Supervising social worker"
    RESIDENTIAL_WORKER = "residential_worker", "Residential worker"
    HOME_MANAGER = "home_manager", "Home manager"
    IRO = "iro", "Independent reviewing officer"
    QUALITY_REVIEW_MANAGER = "quality_review_manager", "Quality and review manager"
    BUYER = "buyer", "Children's services buyer"
    PRACTICE_DEVELOPMENT_MANAGER = "practice_development_manager", "Practice development manager"
    MINUTE_TAKER = "minute_taker", "Minute taker"
    AUDITOR = "auditor", "Auditor"


MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.ASSISTANT_TEAM_MANAGER})
# Roles that read every record and change none (SPEC Roles: auditors). The worker site refuses their
# changes (portal.middleware.ReadOnlyRolesMiddleware); their CMS permissions are view-only.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
# Roles whose people see every child and meeting (portal.selectors.sees_every_child; read-only for
# auditors: the CMS gives them view permissions only).
SEE_ALL_ROLES = frozenset({Role.AUDITOR})
# Roles that see children through their role across the whole council, not through access rows
# (portal.selectors.visible_child_id_branches), and whose lists are wide at any council size where wide
# scopes matter (portal.access.wide_scopes_mark): buyers, who see every agency-placed child and decide on
# whole meeting types (B1-B3). Quality and review and practice development managers' role-wide scope
# (children whose permanent placement disrupted, ~1% at full scale) measured slower in page order
# (bench/results/ab-2026-11-30-w.json), so they stay narrow unless their rows make them wide.
ROLE_WIDE_ROLES = frozenset({Role.BUYER})
# Who opens the dashboards of overdue meetings and tracked actions (always scoped to what they may see).
DASHBOARD_ROLES = frozenset(
    {
        Role.TEAM_MANAGER,
        Role.ASSISTANT_TEAM_MANAGER,
        Role.IRO,
        Role.QUALITY_REVIEW_MANAGER,
        Role.PRACTICE_DEVELOPMENT_MANAGER,
        Role.BUYER,
        Role.AUDITOR,
    }
)


class TeamKind(models.TextChoices):
    CHILDREN_SOCIAL_WORK = "children_social_work", "Children's social work team"
    FOSTERING = "fostering", "Fostering service"
    RESIDENTIAL = "residential", "Residential service"
    IRO_SERVICE = "iro_service", "IRO service"
    QUALITY_REVIEW = "quality_review", "Quality and review"
    BUYERS = "buyers", "Children's services buyers"
    PRACTICE_DEVELOPMENT = "practice_development", "Practice development"
    POLICY = "policy", "Policy and performance"


class Gender(models.TextChoices):
    """SSDA903 SEX codes, with the extra values a case record also holds."""

    MALE = "1", "Male"
    FEMALE = "2", "Female"


class LegalStatus(models.TextChoices):
    """SSDA903 legal status (LS) codes."""

    C1 = "C1", "Interim care order"
    C2 = "C2", "Full care order"
    D1 = "D1", "Freeing order granted"
    E1 = "E1", "Placement order granted"
    J1 = "J1", "Remanded to local authority accommodation or to youth detention accommodation"
    J2 = "J2", "Placed in local authority accommodation under PACE"
    J3 = "J3", "Sentenced to a youth rehabilitation order with residence or intensive fostering"
    L1 = "L1", "Under police protection and in local authority accommodation"
    L2 = "L2", "Emergency protection order"
    L3 = "L3", "Under child assessment order and in local authority accommodation"
    V2 = "V2", "Single period of accommodation under section 20"
    V3 = "V3", "Accommodated under an agreed series of short-term breaks (individual)"
    V4 = "V4", "Accommodated under an agreed series of short-term breaks (multiple)"


class PlacementTypeCode(models.TextChoices):
    """SSDA903 placement type (PLACE) codes."""

    A3 = "A3", "Placed for adoption with parental consent with current foster carer"
    A4 = "A4", "Placed for adoption with parental consent not with current foster carer"
    A5 = "A5", "Placed for adoption with placement order with current foster carer"
    A6 = "A6", "Placed for adoption with placement order not with current foster carer"
    H5 = "H5", "Semi-independent living accommodation not subject to children's homes regulations"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home subject to children's homes regulations"
    P1 = "P1", "Placed with own parent or other person with parental responsibility"
    P2 = "P2", "Independent living, e.g. in a flat, lodgings, bedsit, B&B or with friends"
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS or health trust or other establishment providing medical or nursing care"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution or prison"
    S1 = "S1", "All residential schools, except where dual-registered as a school and home"
    T0 = "T0", "Temporary placement of seven days or less (all types)"
    U1 = "U1", "Foster placement with relative or friend: long-term fostering"
    U2 = "U2", "Foster placement with relative or friend who is also an approved adopter: FFA"
    U3 = "U3", "Foster placement with relative or friend: not long-term or FFA"
    U4 = "U4", "Placement with other foster carer: long-term fostering"
    U5 = "U5", "Placement with other foster carer who is also an approved adopter: FFA"
    U6 = "U6", "Placement with other foster carer: not long-term or FFA"
    Z1 = "Z1", "Other placements"


CONNECTED_PERSON_CODES = frozenset({"U1", "U2", "U3"})
FOSTERING_CODES = frozenset({"U4", "U5", "U6"})
RESIDENTIAL_CODES = frozenset({"K1", "K2", "R1"})


class ProviderCode(models.TextChoices):
    """SSDA903 placement provider (PLACE_PROVIDER) codes."""

    PR0 = "PR0", "Parent or other person with parental responsibility"
    PR1 = "PR1", "Own provision (by the local authority)"
    PR2 = "PR2", "Other local authority provision"
    PR3 = "PR3", "Other public provision (for example a primary care trust)"
    PR4 = "PR4", "Private provision"
    PR5 = "PR5", "Voluntary or third sector provision"


AGENCY_PROVIDER_CODES = frozenset({"PR4", "PR5"})


class ReasonForChange(models.TextChoices):
    """SSDA903 reason for placement change (REASON_PLACE_CHANGE) codes."""

    CARPL = "CARPL", "Change to or implementation of the care plan"
    CLOSE = "CLOSE", "Resignation or closure of provision"
    ALLEG = "ALLEG", "Allegation (section 47)"
    STAND = "STAND", "Standards of care concern"
    APPRR = "APPRR", "Approval removed"
    CREQB = "CREQB", "Carer requests placement end due to child's behaviour"
    CREQO = "CREQO", "Carer requests placement end other than due to child's behaviour"
    CHILD = "CHILD", "Child requests placement end"
    LAREQ = "LAREQ", "Responsible or area authority requests placement end"
    PLACE = "PLACE", "Change in the status of placement only"
    OTHER = "OTHER", "Other"


class PlacementCategory(models.TextChoices):
    """The five placement types the procedures distinguish (G1), derived from the 903 codes."""

    IN_HOUSE_FOSTERING = "in_house_fostering", "In-house fostering"
    AGENCY_FOSTERING = "agency_fostering", "Agency fostering (IFA)"
    CONNECTED_PERSON = "connected_person", "Connected person fostering"
    IN_HOUSE_RESIDENTIAL = "in_house_residential", "In-house residential"
    AGENCY_RESIDENTIAL = "agency_residential", "Agency residential (children's home)"
    OTHER = "other", "Other placement"


AGENCY_CATEGORIES = frozenset({PlacementCategory.AGENCY_FOSTERING, PlacementCategory.AGENCY_RESIDENTIAL})
IN_HOUSE_CATEGORIES = frozenset(
    {
        PlacementCategory.IN_HOUSE_FOSTERING,
        PlacementCategory.IN_HOUSE_RESIDENTIAL,
        PlacementCategory.CONNECTED_PERSON,
    }
)


def placement_category_for(type_code: str, provider_code: str) -> str:
    """Map an SSDA903 placement type and provider to the procedures' placement category."""
    agency = provider_code in AGENCY_PROVIDER_CODES
    if type_code in CONNECTED_PERSON_CODES:
        return PlacementCategory.CONNECTED_PERSON
    if type_code in FOSTERING_CODES:
        return PlacementCategory.AGENCY_FOSTERING if agency else PlacementCategory.IN_HOUSE_FOSTERING
    if type_code in RESIDENTIAL_CODES:
        return PlacementCategory.AGENCY_RESIDENTIAL if agency else PlacementCategory.IN_HOUSE_RESIDENTIAL
    return PlacementCategory.OTHER


class CarerKind(models.TextChoices):
    IN_HOUSE_FOSTER = "in_house_foster", "In-house foster carers"
    CONNECTED_PERSON = "connected_person", "Connected person (family and friends) carers"
    AGENCY_FOSTER = "agency_foster", "Agency (IFA) foster carers"


class ProviderKind(models.TextChoices):
    FOSTERING_AGENCY = "fostering_agency", "Independent fostering agency"
    CHILDRENS_HOME = "childrens_home", "Children's home provider"


class InvolvementRole(models.TextChoices):
    """How a person is involved with a child, from when to when."""

    SOCIAL_WORKER = "social_worker", "Child's social worker"
    SUPERVISING_SOCIAL_WORKER = "supervising_social_worker", "Supervising social worker"
    IRO = "iro", "Independent reviewing officer"
    KEY_WORKER = "key_worker", "Residential key worker"
    HOME_MANAGER = "home_manager", "Home manager"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEALTH = "health", "Health professional"
    EDUCATION = "education", "Education professional"
    OTHER = "other", "Other professional"


class AccessReason(models.TextChoices):
    """Why a row of the access table lets a person see a child (SPEC Roles; portal/access.py)."""

    SOCIAL_WORKER = "social_worker", "Allocated social worker"
    IRO = "iro", "Allocated IRO"
    INVOLVEMENT = "involvement", "Involved with the child"
    SUPERVISES_CARERS = "supervises_carers", "Supervises the child's carers"
    TEAM = "team", "Manages the child's team"
