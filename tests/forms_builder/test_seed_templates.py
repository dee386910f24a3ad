"""Each shipped form shows every heading and question of its seed template, in the seed's order,
with the template's own wording, and nothing else except the additions listed here with a reason.

The expected lists below are transcribed from the seeds (/work/shared/seeds), not from the shipped
JSON: `H`, `Q` and `HQ` take the seed's words exactly as printed (a test checks that each one occurs
in that template, in order). Labels are compared whole after folding case, whitespace and
punctuation, so deleting, renaming or reordering any shipped heading, question or table column
fails. Where a seed line holds several answers (``Child's name/s: DOB and SU number``) the labels it
is shown as are given after it.

Three words are written out, because the SPEC makes local system names pack settings and GOV.UK
style avoids abbreviations: "SU number" (the county's case record system) is "case record number",
"DOB" is "date of birth", and "CCSW" is "child care social worker" (the seed's own expansion, in the
title of its Disruption Meeting Report - Child Care Social Worker).

The regional seed names its BPM report template only as an appendix and describes its content in
prose (B4, B6, B7); the three regional forms are checked against those phrases (present in the
seed, labels as listed) rather than a layout.
"""

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from forms_builder.choices import FormKind, SectionRole

from .conftest import SHIPPED, SHIPPED_KEYS

PACKS = Path(settings.BASE_DIR) / "fixtures" / "packs"
SEEDS = Path("/work/shared/seeds")
COUNTY_SEED = "004_a49266744030f562.txt"
REGIONAL_SEED = "000_19b9958efcee99db.txt"

# Where each county template starts and ends in the county seed (line numbers, 1-based, inclusive)
# and its title line, checked so a changed seed file is noticed rather than silently misread.
COUNTY_TEMPLATES = {
    "psm-report": (105, 433, "Placement stability meeting report"),
    "psm-minutes": (434, 652, "LANCASHIRE COUNTY COUNCIL"),
    "dm-request": (658, 800, "Disruption Meeting Request Form"),
    "dm-report-social-worker": (801, 1091, "Disruption Meeting Report – Child Care Social Worker"),
    "dm-report-residential": (1092, 1264, "Disruption Meeting Report – Residential Placement"),
    "dm-report-supervising-social-worker": (
        1265,
        1485,
        "Disruption Meeting Report – Supervising Social Worker",
    ),
    "dm-minutes": (1486, 1684, "LANCASHIRE COUNTY COUNCIL"),
}

GLOSSARY = {"su number": "case record number", "dob": "date of birth", "ccsw": "child care social worker"}


def norm(text: str) -> str:
    """Case, whitespace and punctuation folded; apostrophes dropped (carer's, carers', carers)."""
    text = text.lower().replace("’", "").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def shown(text: str) -> str:
    """The normalised label a seed phrase is shown as, with the glossary's words written out."""
    text = f" {norm(text)} "
    for short, long in GLOSSARY.items():
        text = text.replace(f" {short} ", f" {long} ")
    return text.strip()


@dataclass(frozen=True)
class Item:
    kind: str  # "heading", "question" or "column"; "" for a seed line shown by no element of its own
    label: str  # the label the shipped form must show (before the glossary)
    seed: str = ""  # the seed's own words; empty for a project addition
    why: str = ""  # for an addition, or a seed line shown another way: the reason
    prompts: tuple[str, ...] = ()  # the template's prompt words, kept as the field's help text


def H(seed: str, label: str = "") -> list[Item]:
    return [Item("heading", label or seed, seed)]


def Q(seed: str, *labels: str, prompts: tuple[str, ...] = ()) -> list[Item]:
    return [Item("question", label, seed, prompts=prompts) for label in (labels or (seed,))]


def HQ(seed: str) -> list[Item]:
    """A template row that is both a heading and its answer box: a section with one question."""
    return H(seed) + Q(seed)


def ELSEWHERE(seed: str, why: str) -> list[Item]:
    """A seed line the form shows by other means (say where), so it has no element of its own."""
    return [Item("", "", seed, why)]


def ADD(kind: str, label: str, why: str) -> list[Item]:
    return [Item(kind, label, "", why)]


def ADD_QS(why: str, *labels: str) -> list[Item]:
    return [Item("question", label, "", why) for label in labels]


def COLUMNS(why: str, *labels: str) -> list[Item]:
    return [Item("column", label, "", why) for label in labels]


# Additions the project makes to the templates, each with the rule that asks for it.
WHY_GROUP = "a heading grouping the template's unheaded rows, so each page has a heading (GOV.UK)"
WHY_SIGN_OFF = "a heading for the template's closing sign-off rows"
WHY_WISHES = "the child's wishes and feelings have their own section in every report and minutes (G6)"
WHY_ATTENDANCE = "attendance is recorded as a table: who, their role, present or apologies (G3)"
WHY_ACTIONS = "each decision and each action with a named owner, a timescale and an evaluation (P6)"
WHY_CHILD = "the case details every report and minutes starts with (G3)"

ATTENDANCE_COLUMNS = COLUMNS(WHY_ATTENDANCE, "Name", "Role or agency", "Present or apologies")
DECISIONS_AND_ACTIONS = [
    *ADD("question", "Decisions", WHY_ACTIONS),
    *COLUMNS(WHY_ACTIONS, "Decision", "Made by"),
    *ADD("question", "Actions", WHY_ACTIONS),
    *COLUMNS(WHY_ACTIONS, "Action", "Owner", "Due by", "How the outcome will be evaluated"),
]
CONFIDENTIALITY = ELSEWHERE("CONFIDENTIALITY STATEMENT", "the form's confidentiality statement (G4)")
DM_CHILD = [*Q("Child's Name:"), *Q("Child's DOB:"), *Q("Child's SU number:")]


def WISHES(*labels: str) -> list[Item]:
    return [*ADD("heading", "The child's wishes and feelings", WHY_WISHES), *ADD_QS(WHY_WISHES, *labels)]


def DM_DISRUPTION(psm_line: str) -> list[Item]:
    return [*H("Disruption"), *Q(psm_line), *Q("Date and details of the disruption")]


WHY_D10 = "the outcomes the procedure asks a disruption meeting to record (D10)"
WHY_MINUTES_SPLIT = (
    "the template's one box, split: the plan in words, then decisions and actions as tables (P6)"
)
WHY_BY_WHOM = "the report's author and date"

EXPECTED: dict[str, list[Item]] = {
    "psm-report": [
        *ADD("heading", "Carers and child", WHY_GROUP),
        *Q("Foster carer/s name/s: and SU number", "Foster carer/s name/s", "Foster carer/s SU number"),
        *Q("Child's name/s: DOB and SU number", "Child's name/s", "Child's DOB", "Child's SU number"),
        *H("Foster carer background information"),
        *Q("Date of initial approval"),
        *Q("Motivation to foster"),
        *Q(
            "Chronology of previous placements ( anonymised dates of placement, age and type of placement"
            " and end date"
        ),
        *Q("Significant events"),
        *Q("Safeguarding concerns"),
        *Q("Change of approval"),
        *ADD("heading", "The placement", WHY_GROUP),
        *Q("Date of placement of child:"),
        *Q("Type of placement:"),
        *H("Matching information prior to placement"),
        *Q("- What information did the carer have prior to the match being agreed"),
        *Q("- Matching process"),
        *HQ("How did the placement progress?"),
        *HQ("Issues or difficulties in placement?"),
        *Q(
            "-Specific difficulties in relation to the carers",
            prompts=(
                "Health",
                "Housing",
                "Finance",
                "Other responsibilities",
                "Household members",
                "This list is not exhaustive",
            ),
        ),
        *Q(
            "Specific difficulties in relation to the child",
            prompts=("Health", "Associates", "Education", "Contact", "This list is not exhaustive"),
        ),
        *H("Support offered"),
        *Q(
            "Support offered",
            prompts=(
                "Include chronology",
                "Include current support in place",
                "Support from birth family",
                "Carers and child's engagement with the support",
            ),
        ),
        *H("Views of others"),
        *Q("-Child's view"),
        *ADD(
            "heading", "Other views", "the child's view has a section of its own (G6); the other views follow"
        ),
        *Q("Foster carers view"),
        *Q("CCSW view"),
        *Q("IRO view"),
        *Q("Birth family view"),
        *Q("Other professionals and agencies"),
        *ADD("heading", "Completed by", WHY_SIGN_OFF),
        *Q("Name of fostering social worker completing the report"),
        *Q("Signature"),
        *ELSEWHERE("Practice Manager", "a sub-heading: its two boxes below say practice manager"),
        *Q("Name", "Practice manager name"),
        *Q("signature", "Practice manager signature"),
    ],
    "psm-minutes": [
        *H("PLACEMENT STABILITY MEETING"),
        *ADD_QS(WHY_CHILD, "Child's name"),
        *Q("Date and Time"),
        *H("PRESENT:", "Present and apologies"),
        *ELSEWHERE("APOLOGIES:", "shares the heading and the attendance table with PRESENT"),
        *ADD("question", "Attendees", WHY_ATTENDANCE),
        *ATTENDANCE_COLUMNS,
        *CONFIDENTIALITY,
        *H("Purpose of the meeting"),
        *Q(
            "Purpose of the meeting",
            prompts=(
                "To share contributory factors for the stability of the placement ;  and make some "
                "recommendations and actions for the following:",
                "Child's Care Plan,",
                "Foster carers",
                "Services involved.",
            ),
        ),
        *H("Background information"),
        *Q("Date child placed"),
        *Q("Any changes in fostering household"),
        *Q("Any changes in child's care plan"),
        *Q("Recommendations regarding placement from last CLA review."),
        *Q("Recommendations from last Foster carers review"),
        *H("Discussion around matching"),
        *Q("· Was there a matching process/meeting?"),
        *ADD_QS("a yes or no question, then what happened", "What happened in the matching process?"),
        *Q("· Did the child/ren meet the carers before placement"),
        *Q("· How was the transition process?"),
        *H("Issues in Placement"),
        *Q("· When were social workers aware of any difficulties in placement"),
        *Q("· Any action plans/ behaviour management plans used?"),
        *Q("· Support from Fostering Team and other services"),
        *Q("· Do the issues place the child or others at risk of harm"),
        *ADD_QS("a yes or no question, then who is at risk", "Who is at risk, and of what?"),
        *H("Information from agencies and other services"),
        *Q("Agencies/services involved"),
        # The seed's "ect" is a typo for "etc".
        *Q("Support from sources such as LIFT, PAG ect", "Support from sources such as LIFT, PAG etc"),
        *HQ("Foster carers view"),
        *HQ(" Child's view"),
        *ADD_QS(WHY_WISHES, "How were the child's views gathered?"),
        *HQ("Summary"),
        *H("Placement plan and actions"),
        *ELSEWHERE("To include timescales", "every action in the table below has a date it is due by (P6)"),
        *ADD_QS(WHY_MINUTES_SPLIT, "Placement plan"),
        *DECISIONS_AND_ACTIONS,
    ],
    "dm-request": [
        *ADD("heading", "Child and carers", WHY_GROUP),
        *DM_CHILD,
        *Q("Carers Name:"),
        *Q("Carers SU number:"),
        *ADD("heading", "The placement", WHY_GROUP),
        *Q("Date placement started:"),
        *Q("Type of placement:"),
        *Q("Date placement was ratified as permanent at permanence panel:"),
        *H("Prior to Placement"),
        *Q("What information did the carer have prior to the match being made? "),
        *Q("How involved was the carer in the matching process?"),
        *DM_DISRUPTION(
            "Date and details of Placement Stability Meeting or reason a Placement Stability Meeting"
            " didn’t take place"
        ),
        *Q("Details of any issues or difficulties in placement"),
        *Q("Details of any support offered by services"),
        *ADD("heading", "Completed by", WHY_SIGN_OFF),
        *Q("Name of Social Worker completing the report:"),
        *Q("Date report completed: "),
    ],
    "dm-report-social-worker": [
        *ADD("heading", "Child and placement", WHY_GROUP),
        *DM_CHILD,
        *Q("Carer / Residential Details"),
        *Q("Dates child in placement:"),
        *Q("Type of placement:"),
        *Q("Brief background information about the child (why are they looked after?):"),
        *Q("Previous placement history including end dates of previous placements:"),
        *Q("Care Plan for the child at the time of placement:"),
        *H("Prior to Placement"),
        *Q("What information did the child and carer/placement have prior to the match being made? "),
        *Q("How involved was the child in the matching process?"),
        *H("During Placement"),
        *Q("How was the transition and settling in process for the child and carer / placement?"),
        *Q("How did the placement progress?"),
        *Q("Details of any issues or difficulties in placement"),
        *Q("Details of any support offered by services"),
        *DM_DISRUPTION(
            "Date and details of Placement Stability Meeting or reason Placement Stability Meeting"
            " didn’t take place"
        ),
        *H("New Placement"),
        *Q("How was the transition and settling in process for the child and carer / placement?"),
        *Q("How is the placement progressing?"),
        *Q("Details of any issues or difficulties in current placement"),
        *H("Post Disruption Support"),
        *Q("Details of any post disruption support for the child"),
        *Q("Details of any post disruption support for the carer / placement"),
        *H("Voice of the Child"),
        *Q("What is the child's view on the placement breakdown?"),
        *Q("How has the child been involved in the disruption process?"),
        *Q("Is the child attending the disruption meeting / meeting with the chairperson?"),
        *ADD_QS(
            "whether the child takes part is recorded with a reason (G6)",
            "Why is the child not taking part in person?",
        ),
        *ADD("heading", "Completed by", WHY_SIGN_OFF),
        *Q("Name of Social Worker completing the report:"),
        *Q("Date report completed: "),
    ],
    "dm-report-residential": [
        *ADD("heading", "Child and placement", WHY_GROUP),
        *DM_CHILD,
        *Q("Placement details"),
        *Q("Dates child in placement:"),
        *Q("Type of placement:"),
        *H("Prior to Placement"),
        *Q("What information did the placement have prior to the match being made? "),
        *Q("How involved was the placement in the matching process?"),
        *H("During Placement"),
        *Q("How did the placement progress?"),
        *Q("Details of any issues or difficulties in placement"),
        *Q("Details of any support offered by services"),
        *DM_DISRUPTION(
            "Date and details of Placement Stability Meeting or reason Placement Stability Meeting"
            " didn’t take place"
        ),
        *H("Post Disruption Support"),
        *Q("Details of any post disruption support for the child"),
        *WISHES(
            "What has the child said about the placement and its ending?",
            "How were the child's views gathered?",
        ),
        *ADD("heading", "Completed by", WHY_SIGN_OFF),
        *Q("Name of Worker completing the report:"),
        *Q("Date report completed: "),
    ],
    "dm-report-supervising-social-worker": [
        *ADD("heading", "Child and carers", WHY_GROUP),
        *DM_CHILD,
        *Q("Carers Name:"),
        *Q("Carers SU number:"),
        *H("Foster carer information"),
        *Q("Date of initial foster carer approval and dates and details of any changes of approval: "),
        *Q("What is the foster carers motivation to foster?"),
        *Q(
            "Anonymised chronology of previous placements (dates of placement / ages / type of placement"
            " / reasons ended):"
        ),
        *Q("Details of any significant events / safeguarding concerns:"),
        *Q("Dates child in placement:"),
        *Q("Type of placement:"),
        *H("Prior to Placement"),
        *Q("What information did the carer have prior to the match being made? "),
        *Q("How involved was the carer in the matching process?"),
        *H("During Placement"),
        *Q("How did the placement progress?"),
        *Q("Details of any issues or difficulties in placement"),
        *Q("Details of any support offered by services"),
        *DM_DISRUPTION(
            "Date and details of Placement Stability Meeting or reason Placement Stability Meeting"
            " didn’t take place"
        ),
        *H("Post Disruption Support"),
        *Q("Details of any post disruption support for the child"),
        *Q("Details of any post disruption support for the carer"),
        *WISHES(
            "What has the child said about the placement and its ending?",
            "How were the child's views gathered?",
        ),
        *ADD("heading", "Completed by", WHY_SIGN_OFF),
        *Q("Name of Supervising Social Worker completing the report:"),
        *Q("Date report completed: "),
    ],
    "dm-minutes": [
        *H("DISRUPTION MEETING"),
        *Q("Child's Name:"),
        *Q("Date and Time:"),
        *Q("Venue:"),
        *HQ("Attendees:"),
        *ATTENDANCE_COLUMNS,
        *HQ("Agenda:"),
        *CONFIDENTIALITY,
        *HQ("Purpose of the meeting:"),
        *H("Background information:"),
        *Q("Child:"),
        *Q("Carers / Placement:"),
        *H("Discussion around matching"),
        *Q("· What information did the child and carer/placement have prior to the match being made? "),
        *Q("· How involved was the child / placement in the matching process?"),
        *H("Issues in Placement"),
        *Q("· How was the transition and settling in process for the child and carer / placement?"),
        *Q("· How did the placement progress?"),
        *Q(
            "· Details of any issues or difficulties in placement and information from placement"
            " stability meeting"
        ),
        *Q("· Details of any support offered by services / previous meetings"),
        *Q("· Details of the disruption"),
        *WISHES(
            "What the child wants and feels about the placement ending",
            "How were the child's views shared with the meeting?",
        ),
        *HQ("Summary"),
        *H("Future learning and actions"),
        *ADD_QS(WHY_MINUTES_SPLIT, "Future learning"),
        *DECISIONS_AND_ACTIONS,
        *ADD("heading", "Outcomes to record", WHY_D10),
        *ADD_QS(
            WHY_D10,
            "For an external residential placement: should the home be used again?",
            "For in-house permanent foster carers: hold an early foster carer review?",
            "Was the carers' or home's response to the child judged to be the main cause?",
            "Plan of work and training for the carers or home",
            "Are the concerns serious enough to refer to the fostering panel?",
        ),
    ],
    # The regional forms: the seed's phrases (B4, B6, B7), each shown as the question listed after it.
    "bpm-report": [
        *ADD("heading", "Child and placement", WHY_GROUP),
        *ADD_QS(
            WHY_CHILD,
            "Child's name",
            "Child's date of birth",
            "Child's case record number",
            "Type of placement",
            "Carers or home",
            "Date placement started",
            "Date of the breakdown prevention meeting",
        ),
        *H(
            "a revised assessment of the child or young person's needs",
            "Revised assessment of the child's needs",
        ),
        *Q("using the most recent Single Assessment", "Date of the most recent single assessment"),
        *Q("Reconsider the child's needs", "How have the child's needs changed since the single assessment?"),
        *H(
            "Identify what issues are leading to the risk of breakdown",
            "What is leading to the risk of breakdown",
        ),
        *Q(
            "Identify what issues are leading to the risk of breakdown",
            "What issues are leading to the risk of breakdown?",
        ),
        *Q(
            "the provider should not serve notice on a child’s placement before the BPM is held",
            "Has the provider given notice on the placement?",
        ),
        *Q(
            "the child must move immediately due to safeguarding concerns",
            "Must the child move immediately for safeguarding reasons?",
        ),
        *WISHES("What does the child want and feel about the placement?"),
        *H(
            "a revised assessment of the support needs of the carers and their capacity to care",
            "Support needs of the carers and their capacity to care",
        ),
        *Q("the support needs of the carers", "What support do the carers need?"),
        *Q(
            "their capacity to care for that particular child",
            "What is the carers' capacity to care for this child?",
        ),
        *ADD_QS(
            "who gave the carers' assessment: a manager of the service or the supervising social worker (B6)",
            "Who gave this assessment of the carers?",
        ),
        *H("Plan what services if any, will be put in place", "Plan"),
        *Q(
            "Plan what services if any, will be put in place to meet the child's needs and support the"
            " continued placement",
            "What does the plan aim to do?",
            "What services will be put in place to support the placement?",
        ),
        *Q(
            "Plan a change of placement in such a way that it minimises the level of distress",
            "How will the move be managed to keep distress to a minimum?",
        ),
        *Q(
            "the day to day arrangements for the child as recorded in the Placement Plan",
            "Changes to the day-to-day arrangements in the placement plan",
        ),
        *Q("the overall Care Plan", "Changes needed to the care plan"),
        *ADD("question", "Actions", WHY_ACTIONS),
        *COLUMNS(WHY_ACTIONS, "Action", "Owner", "Due by", "How the outcome will be evaluated"),
        *ADD("heading", "Completed by", WHY_SIGN_OFF),
        *ADD_QS(WHY_BY_WHOM, "Name of social worker completing the report", "Date report completed"),
    ],
    "bpm-carer-assessment": [
        *ADD("heading", "Child and carers", WHY_GROUP),
        *ADD_QS(
            WHY_CHILD,
            "Child's name",
            "Child's date of birth",
            "Child's case record number",
            "Carers or home",
            "Type of placement",
        ),
        *H("the support needs of the carers", "Support needs of the carers"),
        *Q("the support needs of the carers", "What support do the carers need?"),
        *ADD_QS(
            "the support already given is where a revised assessment starts (B6)",
            "What support is already in place, and how is it working?",
        ),
        *H("their capacity to care for that particular child", "Capacity to care for this child"),
        *Q(
            "their capacity to care for that particular child",
            "What is the carers' capacity to care for this child?",
        ),
        *Q(
            "support the continued placement",
            "Can the carers continue to care for the child with the right support?",
            "What would need to change for the placement to continue?",
        ),
        *Q(
            "the provider should not serve notice on a child’s placement before the BPM is held",
            "What is the carers' or provider's position on giving notice?",
        ),
        *WISHES("What has the child said to the carers about the placement?"),
        *ADD("heading", "Completed by", WHY_SIGN_OFF),
        *ADD_QS(
            WHY_BY_WHOM,
            "Name of the person giving this assessment",
            "Their role and service",
            "Date completed",
        ),
    ],
    "bpm-minutes": [
        *H("Breakdown Prevention Meeting"),
        *ADD_QS(WHY_CHILD, "Child's name", "Date and time", "Venue"),
        *H("The following persons will be invited to attend the Breakdown Prevention Meeting", "Attendees"),
        *ADD("question", "Attendees", WHY_ATTENDANCE),
        *ATTENDANCE_COLUMNS,
        *H("Reconsider the child's needs", "The child's needs"),
        *Q("Reconsider the child's needs", "The child's needs now"),
        *H(
            "Identify what issues are leading to the risk of breakdown",
            "What is leading to the risk of breakdown",
        ),
        *Q(
            "Identify what issues are leading to the risk of breakdown",
            "Issues leading to the risk of breakdown",
        ),
        *WISHES("What the child wants and feels"),
        *H("Plan what services if any, will be put in place", "Plan"),
        *Q(
            "Plan what services if any, will be put in place to meet the child's needs and support the"
            " continued placement",
            "What did the meeting decide?",
        ),
        *Q(
            "the day to day arrangements for the child as recorded in the Placement Plan",
            "Changes to the placement plan",
        ),
        *Q("the overall Care Plan", "Changes to the care plan"),
        *DECISIONS_AND_ACTIONS,
    ],
}


def _shipped(key: str) -> dict:
    pack = next(p for p, keys in SHIPPED.items() if key in keys)
    return json.loads((PACKS / pack / "forms" / f"{key}.json").read_text(encoding="utf-8"))


def _shipped_elements(data: dict) -> list[str]:
    out = []
    for section in data["sections"]:
        out.append(f"heading: {norm(section['heading'])}")
        for field in section["fields"]:
            out.append(f"question: {norm(field['label'])}")
            out.extend(f"column: {norm(c['label'])}" for c in field.get("columns", []))
    return out


def _expected_elements(key: str) -> list[str]:
    return [f"{item.kind}: {shown(item.label)}" for item in EXPECTED[key] if item.kind]


def test_every_shipped_form_has_an_expected_list():
    assert sorted(EXPECTED) == sorted(SHIPPED_KEYS)


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_shipped_form_shows_exactly_its_seed_templates_headings_and_questions_in_order__P9_D13_B6(key):
    actual = _shipped_elements(_shipped(key))
    expected = _expected_elements(key)
    diff = "\n".join(difflib.unified_diff(expected, actual, "seed template", f"{key}.json", lineterm="", n=1))
    assert actual == expected, f"{key} differs from its seed template:\n{diff}"


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_template_prompts_are_the_fields_help_text_word_for_word__P9(key):
    """The prompt words a template prints in an answer box stay as the template has them."""
    fields = {norm(f["label"]): f for s in _shipped(key)["sections"] for f in s["fields"]}
    for item in EXPECTED[key]:
        if item.prompts:
            help_text = fields[shown(item.label)].get("help_text", "")
            assert norm(help_text) == norm(" ".join(item.prompts)), (
                f"{key}: prompts under “{item.label}” changed"
            )


def test_every_addition_and_seed_line_shown_elsewhere_says_why():
    for key, items in EXPECTED.items():
        for item in items:
            if not item.seed or not item.kind:
                assert item.why, f"{key}: “{item.label or item.seed}” needs a reason"


def _seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").splitlines()


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not on this machine")
@pytest.mark.parametrize("key", list(COUNTY_TEMPLATES))
def test_county_expected_lists_are_the_seed_templates_words_in_the_seeds_order(key):
    first, last, title = COUNTY_TEMPLATES[key]
    lines = _seed_lines(COUNTY_SEED)
    assert title in lines[first - 1], f"the seed moved: line {first} is not the {key} template's title"
    region = f" {norm(' '.join(lines[first - 1 : last]))} "
    position, previous = 0, None
    for item in EXPECTED[key]:
        words = [item.seed, *item.prompts] if item.seed and item.seed != previous else list(item.prompts)
        for text in filter(None, words):
            found = region.find(f" {norm(text)} ", position)
            assert found >= 0, f"{key}: “{text}” is not in the template, or not in its order"
            position = found + 1
        previous = item.seed or previous


@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not on this machine")
@pytest.mark.parametrize("key", SHIPPED["regional"])
def test_regional_expected_phrases_are_the_seeds_words(key):
    seed = f" {norm(' '.join(_seed_lines(REGIONAL_SEED)))} "
    for item in EXPECTED[key]:
        if item.seed:
            assert f" {norm(item.seed)} " in seed, f"{key}: “{item.seed}” is not in the regional seed"


@pytest.mark.django_db
@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_reports_and_minutes_have_a_wishes_and_feelings_section__G6(shipped_forms, key):
    definition = shipped_forms[key]
    section = definition.spec.section_with_role(SectionRole.WISHES_AND_FEELINGS)
    if definition.kind == FormKind.REQUEST:
        return
    assert section is not None, f"{key} has no wishes and feelings section"
    assert any(f.required for f in section.fields), f"{key}: the child's view must be answered"


@pytest.mark.django_db
def test_minutes_forms_carry_the_packs_confidentiality_statement__G4(shipped_forms):
    minutes = [d for d in shipped_forms.values() if d.kind == FormKind.MINUTES]
    assert {d.key for d in minutes} == {"psm-minutes", "dm-minutes", "bpm-minutes"}
    for definition in minutes:
        assert len(definition.confidentiality_statement) > 80


@pytest.mark.django_db
def test_minutes_have_actions_with_owner_due_date_and_evaluation__P6(shipped_forms):
    for key in ("psm-minutes", "dm-minutes", "bpm-minutes"):
        actions = shipped_forms[key].spec.field_map()["actions"]
        columns = {c.key: c for c in actions.columns}
        assert columns["owner"].type == "person"
        assert columns["due_on"].type == "date"
        assert all(columns[k].required for k in ("action", "owner", "due_on", "evaluation"))


def _seed_shingles(size: int = 8) -> set[tuple[str, ...]]:
    shingles = set()
    for path in SEEDS.glob("*.txt"):
        words = norm(path.read_text(encoding="utf-8", errors="ignore")).split()
        shingles.update(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return shingles


@pytest.mark.django_db
@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not on this machine")
def test_guidance_and_statements_are_written_in_our_own_words(shipped_forms):
    """Guidance is ours; only a template's own prompt words (checked above) may repeat the seed."""
    seed = _seed_shingles()
    prompts = {norm(" ".join(i.prompts)) for items in EXPECTED.values() for i in items if i.prompts}
    for definition in shipped_forms.values():
        texts = [definition.confidentiality_statement, definition.description]
        for section in definition.spec.sections:
            texts.append(section.guidance)
            texts.extend(f.help_text for f in section.fields if norm(f.help_text) not in prompts)
        for text in filter(None, texts):
            words = norm(text).split()
            copied = [w for w in (tuple(words[i : i + 8]) for i in range(len(words) - 7)) if w in seed]
            assert not copied, f"{definition.key}: “{' '.join(copied[0])}” is copied from the seed"
