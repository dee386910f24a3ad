"""Each shipped form carries every heading and question of the seed's template, in the seed's order.

The expected lists are written from the county seed's seven templates and the regional seed's
description of the BPM report. Matching is on normalised text (case, punctuation and slashes
ignored) so a label may add a word or two of clarification around the seed's wording.
"""

import re
from pathlib import Path

import pytest

from forms_builder.choices import FormKind, SectionRole

from .conftest import SHIPPED_KEYS

pytestmark = pytest.mark.django_db

CHILD = ["Child's name", "date of birth", "case record number"]
DISRUPTION = ["Date and details of placement stability meeting", "Date and details of the disruption"]

EXPECTED = {
    "psm-report": {
        "headings": [
            "Foster carer background information",
            "Matching information prior to placement",
            "How did the placement progress",
            "Issues or difficulties in placement",
            "Support offered",
            "Views of others",
        ],
        "questions": [
            "Carers name",
            *CHILD,
            "Date of initial approval",
            "Motivation to foster",
            "Chronology of previous placements",
            "Significant events",
            "Safeguarding concerns",
            "Change of approval",
            "Date of placement of child",
            "Type of placement",
            "What information did the carer have prior to the match being agreed",
            "Matching process",
            "How did the placement progress",
            "Specific difficulties in relation to the carers",
            "Specific difficulties in relation to the child",
            "Support offered",
            "Current support in place",
            "Support from birth family",
            "engagement with the support",
            "Child's view",
            "Foster carers view",
            "CCSW view",
            "IRO view",
            "Birth family view",
            "Other professionals and agencies",
            "Name of fostering social worker completing the report",
            "Signature",
            "Practice manager",
        ],
    },
    "psm-minutes": {
        "headings": [
            "Placement stability meeting",
            "Present",
            "Purpose of the meeting",
            "Background information",
            "Discussion around matching",
            "Issues in placement",
            "Information from agencies and other services",
            "Foster carers view",
            "Child's view",
            "Summary",
            "Placement plan and actions",
        ],
        "questions": [
            "Date and time",
            "Attendees",
            "Purpose of the meeting",
            "Date child placed",
            "Any changes in fostering household",
            "Any changes in child's care plan",
            "Recommendations regarding placement from last CLA review",
            "Recommendations from last foster carers review",
            "matching process or meeting",
            "meet the carers before placement",
            "How was the transition process",
            "When were social workers aware of any difficulties in placement",
            "action plans or behaviour management plans",
            "Support from fostering team and other services",
            "place the child or others at risk of harm",
            "services involved",
            "Support from other sources",
            "Foster carers view",
            "Child's view",
            "Summary",
            "Placement plan",
            "Actions",
        ],
    },
    "dm-request": {
        "headings": ["Prior to placement", "Disruption"],
        "questions": [
            *CHILD,
            "Carers name",
            "Carers case record number",
            "Date placement started",
            "Type of placement",
            "Date placement was ratified as permanent at permanence panel",
            "What information did the carer have prior to the match being made",
            "How involved was the carer in the matching process",
            *DISRUPTION,
            "Details of any issues or difficulties in placement",
            "Details of any support offered by services",
            "Name of social worker completing the report",
            "Date report completed",
        ],
    },
    "dm-report-social-worker": {
        "headings": [
            "Prior to placement",
            "During placement",
            "Disruption",
            "New placement",
            "Post disruption support",
            "Voice of the child",
        ],
        "questions": [
            *CHILD,
            "Carer / residential details",
            "Dates child in placement",
            "Type of placement",
            "Brief background information about the child (why are they looked after?)",
            "Previous placement history including end dates of previous placements",
            "Care plan for the child at the time of placement",
            "What information did the child and carer/placement have prior to the match being made",
            "How involved was the child in the matching process",
            "How was the transition and settling in process for the child and carer / placement",
            "How did the placement progress",
            "Details of any issues or difficulties in placement",
            "Details of any support offered by services",
            *DISRUPTION,
            "How was the transition and settling in process for the child and carer / placement",
            "How is the placement progressing",
            "Details of any issues or difficulties in current placement",
            "Details of any post disruption support for the child",
            "Details of any post disruption support for the carer / placement",
            "What is the child's view on the placement breakdown",
            "How has the child been involved in the disruption process",
            "Is the child attending the disruption meeting / meeting with the chairperson",
            "Name of social worker completing the report",
            "Date report completed",
        ],
    },
    "dm-report-residential": {
        "headings": ["Prior to placement", "During placement", "Disruption", "Post disruption support"],
        "questions": [
            *CHILD,
            "Placement details",
            "Dates child in placement",
            "Type of placement",
            "What information did the placement have prior to the match being made",
            "How involved was the placement in the matching process",
            "How did the placement progress",
            "Details of any issues or difficulties in placement",
            "Details of any support offered by services",
            *DISRUPTION,
            "Details of any post disruption support for the child",
            "Name of worker completing the report",
            "Date report completed",
        ],
    },
    "dm-report-supervising-social-worker": {
        "headings": [
            "Foster carer information",
            "Prior to placement",
            "During placement",
            "Disruption",
            "Post disruption support",
        ],
        "questions": [
            *CHILD,
            "Carers name",
            "Carers case record number",
            "Date of initial foster carer approval and dates and details of any changes of approval",
            "motivation to foster",
            "Anonymised chronology of previous placements",
            "Details of any significant events / safeguarding concerns",
            "Dates child in placement",
            "Type of placement",
            "What information did the carer have prior to the match being made",
            "How involved was the carer in the matching process",
            "How did the placement progress",
            "Details of any issues or difficulties in placement",
            "Details of any support offered by services",
            *DISRUPTION,
            "Details of any post disruption support for the child",
            "Details of any post disruption support for the carer",
            "Name of supervising social worker completing the report",
            "Date report completed",
        ],
    },
    "dm-minutes": {
        "headings": [
            "Disruption meeting",
            "Attendees",
            "Agenda",
            "Purpose of the meeting",
            "Background information",
            "Discussion around matching",
            "Issues in placement",
            "Summary",
            "Future learning and actions",
        ],
        "questions": [
            "Child's name",
            "Date and time",
            "Venue",
            "Attendees",
            "Agenda",
            "Purpose of the meeting",
            "Child",
            "Carers / placement",
            "What information did the child and carer/placement have prior to the match being made",
            "How involved was the child / placement in the matching process",
            "How was the transition and settling in process for the child and carer / placement",
            "How did the placement progress",
            "Details of any issues or difficulties in placement and information from placement stability"
            " meeting",
            "Details of any support offered by services / previous meetings",
            "Details of the disruption",
            "Summary",
            "Future learning",
            "Actions",
        ],
    },
    # The regional seed describes the BPM report only in prose: a revised assessment of the child's
    # needs built on the latest single assessment, what drives the risk of breakdown, the carers'
    # support needs and capacity, and the plan (support to continue, or a move with least distress).
    "bpm-report": {
        "headings": [
            "Revised assessment of the child's needs",
            "risk of breakdown",
            "wishes and feelings",
            "Support needs of the carers and their capacity to care",
            "Plan",
        ],
        "questions": [
            "single assessment",
            "child's needs",
            "risk of breakdown",
            "support do the carers need",
            "capacity to care",
            "services",
            "move",
            "placement plan",
            "care plan",
        ],
    },
    # Also from the regional prose (B6, B4, B7): the carers' revised assessment and the minutes.
    "bpm-carer-assessment": {
        "headings": ["Support needs of the carers", "Capacity to care", "wishes and feelings"],
        "questions": ["support do the carers need", "capacity to care for this child"],
    },
    "bpm-minutes": {
        "headings": ["child's needs", "risk of breakdown", "wishes and feelings", "Plan"],
        "questions": [
            "Attendees",
            "child's needs",
            "risk of breakdown",
            "placement plan",
            "care plan",
            "Actions",
        ],
    },
}


def norm(text: str) -> str:
    text = text.lower().replace("’", "'").replace("'", "")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def assert_in_order(expected: list[str], actual: list[str], what: str, key: str) -> None:
    pos = 0
    normalised = [norm(a) for a in actual]
    for item in expected:
        target = norm(item)
        while pos < len(normalised) and target not in normalised[pos]:
            pos += 1
        assert pos < len(normalised), f"{key}: {what} “{item}” missing or out of the seed's order"
        pos += 1


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_shipped_form_has_every_seed_heading_and_question_in_order__P9_D13(shipped_forms, key):
    spec = shipped_forms[key].spec
    expected = EXPECTED[key]
    assert_in_order(expected["headings"], [s.heading for s in spec.sections], "heading", key)
    labels = []
    for f in spec.fields():
        labels.append(f.label)
        labels.extend(c.label for c in f.columns)
    assert_in_order(expected["questions"], labels, "question", key)


@pytest.mark.parametrize("key", SHIPPED_KEYS)
def test_reports_and_minutes_have_a_wishes_and_feelings_section__G6(shipped_forms, key):
    definition = shipped_forms[key]
    section = definition.spec.section_with_role(SectionRole.WISHES_AND_FEELINGS)
    if definition.kind == FormKind.REQUEST:
        return
    assert section is not None, f"{key} has no wishes and feelings section"
    assert any(f.required for f in section.fields), f"{key}: the child's view must be answered"


def test_minutes_forms_carry_the_packs_confidentiality_statement__G4(shipped_forms):
    minutes = [d for d in shipped_forms.values() if d.kind == FormKind.MINUTES]
    assert {d.key for d in minutes} == {"psm-minutes", "dm-minutes", "bpm-minutes"}
    for definition in minutes:
        assert len(definition.confidentiality_statement) > 80
    assert "psm-minutes" in shipped_forms and "dm-minutes" in shipped_forms


def test_minutes_have_actions_with_owner_due_date_and_evaluation__P6(shipped_forms):
    for key in ("psm-minutes", "dm-minutes", "bpm-minutes"):
        actions = shipped_forms[key].spec.field_map()["actions"]
        columns = {c.key: c for c in actions.columns}
        assert columns["owner"].type == "person"
        assert columns["due_on"].type == "date"
        assert all(columns[k].required for k in ("action", "owner", "due_on", "evaluation"))


def _seed_shingles(size: int = 8) -> set[tuple[str, ...]]:
    shingles = set()
    for path in Path("/work/shared/seeds").glob("*.txt"):
        words = norm(path.read_text(encoding="utf-8", errors="ignore")).split()
        shingles.update(tuple(words[i : i + size]) for i in range(len(words) - size + 1))
    return shingles


@pytest.mark.skipif(not Path("/work/shared/seeds").exists(), reason="seeds not on this machine")
def test_guidance_and_statements_are_written_in_our_own_words(shipped_forms):
    seed = _seed_shingles()
    for definition in shipped_forms.values():
        texts = [definition.confidentiality_statement, definition.description]
        for section in definition.spec.sections:
            texts.append(section.guidance)
            texts.extend(f.help_text for f in section.fields)
        for text in filter(None, texts):
            words = norm(text).split()
            copied = [w for w in (tuple(words[i : i + 8]) for i in range(len(words) - 7)) if w in seed]
            assert not copied, f"{definition.key}: “{' '.join(copied[0])}” is copied from the seed"
