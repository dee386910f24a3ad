"""The lists a pack may edit (issue 10), the portal's own words and lists they start from, and what one
entry may be (`vocabulary_entry_problems`, used by the CMS and pack files). No database: the pack's rows are
read in `workflows.vocabularies`."""

from __future__ import annotations

import re

from portal.choices import Role, TeamKind

from .facts import LEGAL_ORDERS, PERSON_KINDS, PLACEMENT_PURPOSES, REQUEST_FLAGS

# The portal's main words a council may rename, with the portal's own word. Templates use
# `{% term "iro" %}`; labels are lower case nouns, capitalised where a sentence starts (`capfirst`).
TERMS: dict[str, str] = {
    "iro": "independent reviewing officer",
    "iro_short": "IRO",
    "placement": "placement",
    "placements": "placements",
    "looked_after_review": "looked-after review",
    "actions": "actions",
    "minutes": "minutes",
    "social_worker": "social worker",
    "supervising_social_worker": "supervising social worker",
    "team_manager": "team manager",
    "carer": "carer",
}

# Lists a pack replaces as a whole (its rows are the list) ...
REPLACED = {
    "placement_purpose": PLACEMENT_PURPOSES,
    "legal_order": LEGAL_ORDERS,
    "person_kind": PERSON_KINDS,
    "request_flag": REQUEST_FLAGS,
}
# ... and lists a pack adds to (the built-ins always stay, because code behaves by them).
BUILT_IN_TEAM_KINDS = [(str(v), str(label)) for v, label in TeamKind.choices]
BUILT_IN_ROLES = [(str(v), str(label)) for v, label in Role.choices]
KINDS = ("placement_purpose", "legal_order", "team_kind", "role", "person_kind", "request_flag", "term")
_KEY = re.compile(r"^[a-z0-9_-]{1,60}$")


def default_vocabulary_rows() -> dict[str, list[dict[str, str]]]:
    """Today's lists as pack-file rows: what a shipped pack's `"vocabularies"` section starts from."""
    rows: dict[str, list[dict[str, str]]] = {
        kind: [{"key": k, "label": label} for k, label in items] for kind, items in REPLACED.items()
    }
    rows["team_kind"] = []
    rows["role"] = []
    rows["term"] = []
    return {kind: rows[kind] for kind in KINDS}


def vocabulary_entry_problems(kind: str, key: str, label: str, maps_to: str) -> dict[str, str]:
    """What is wrong with one entry, as {field: sentence}; empty when it can be saved."""
    problems: dict[str, str] = {}
    if kind not in KINDS:
        problems["kind"] = f"“{kind}” is not a list a pack can edit; choose one of {', '.join(KINDS)}."
        return problems
    if not isinstance(key, str) or not _KEY.match(key):
        problems["key"] = "Give a short code of lower-case letters, numbers, hyphens or underscores."
    if not isinstance(label, str) or not label.strip():
        problems["label"] = "Give the words people see."
    elif len(label) > 150:
        problems["label"] = "Keep the words to 150 characters."
    maps_to = maps_to or ""
    if kind == "role":
        if maps_to not in Role.values:
            problems["maps_to"] = (
                "A council role needs the built-in role whose permissions it carries, one of "
                f"{', '.join(Role.values)}."
            )
        elif key in Role.values:
            problems["key"] = f"“{key}” is already a built-in role; give the council's role its own code."
    elif kind == "team_kind":
        if maps_to not in TeamKind.values:
            problems["maps_to"] = (
                "A council team kind needs the built-in kind it behaves as, one of "
                f"{', '.join(TeamKind.values)}."
            )
        elif key in TeamKind.values:
            problems["key"] = (
                f"“{key}” is already a built-in team kind; give the council's kind its own code."
            )
    elif kind == "term":
        if key not in TERMS:
            problems["key"] = f"“{key}” is not one of the portal's terms: {', '.join(TERMS)}."
        if maps_to:
            problems["maps_to"] = "Only council roles and team kinds map onto a built-in one; leave it empty."
    elif maps_to:
        problems["maps_to"] = "Only council roles and team kinds map onto a built-in one; leave it empty."
    return problems
