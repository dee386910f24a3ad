"""The council's own vocabulary, per pack (issue 10).

A pack edits its own lists (`PackVocabulary` rows, in the pack's CMS page and in pack files under
`"vocabularies"`): placement purposes, legal orders, team kinds (each behaving as a built-in kind), council
roles (each carrying one built-in permission set, a `portal.choices.Role`), the kinds of people who can
raise a concern or attend, request flags, and terms (the portal's main words a council renames).

`pack_vocabularies(pack)` gives every list as `[(key, label)]`, the shape the condition validator
(`conditions.condition_problems(..., vocabularies=...)`) and the forms take. A kind the pack has no row of
falls back to the defaults in `workflows.facts`, so a pack loaded before vocabularies existed behaves as
before. Built-in team kinds and roles are always there; a pack only adds to them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.conf import settings

from portal.choices import Role, TeamKind

from .facts import LEGAL_ORDERS, PERSON_KINDS, PLACEMENT_PURPOSES, REQUEST_FLAGS, VOCABULARIES

if TYPE_CHECKING:
    from .models import ProcedurePack

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


def pack_vocabulary_rows(pack: ProcedurePack | None) -> dict[str, list[dict[str, str]]]:
    """The pack's own rows by kind, in order (no defaults): what `export_pack` writes."""
    rows: dict[str, list[dict[str, str]]] = {kind: [] for kind in KINDS}
    if pack is None or pack.pk is None:
        return rows
    cached = getattr(pack, "_vocabulary_rows", None)
    if cached is not None:
        return cached
    for row in pack.vocabulary.all():
        entry = {"key": row.key, "label": row.label}
        if row.kind in ("role", "team_kind"):
            entry["maps_to"] = row.maps_to
        rows.setdefault(row.kind, []).append(entry)
    pack._vocabulary_rows = rows
    return rows


def pack_vocabularies(pack: ProcedurePack | None) -> dict[str, list[tuple[str, str]]]:
    """Every vocabulary the conditions and forms use, with this pack's own lists in place.

    Keys are the catalogue's vocabulary names (`workflows.facts.VOCABULARIES`) plus `team_kind`,
    `council_role` (the pack's own roles only) and `term` (every term, renamed or not).
    """
    rows = pack_vocabulary_rows(pack)
    result = dict(VOCABULARIES)
    for kind, defaults in REPLACED.items():
        own = [(r["key"], r["label"]) for r in rows.get(kind, [])]
        result[kind] = own or list(defaults)
    council_roles = [(r["key"], r["label"]) for r in rows.get("role", [])]
    result["role"] = list(BUILT_IN_ROLES)
    result["council_role"] = council_roles
    result["team_kind"] = BUILT_IN_TEAM_KINDS + [(r["key"], r["label"]) for r in rows.get("team_kind", [])]
    renamed = {r["key"]: r["label"] for r in rows.get("term", [])}
    result["term"] = [(key, renamed.get(key, word)) for key, word in TERMS.items()]
    return result


def pack_terms(pack: ProcedurePack | None) -> dict[str, str]:
    return dict(pack_vocabularies(pack)["term"])


def vocabulary_label(pack: ProcedurePack | None, kind: str, key: str) -> str:
    """The label of one key in the pack's list; the key itself when the list has no such entry."""
    if not key:
        return ""
    return dict(pack_vocabularies(pack).get(kind, [])).get(key, key)


def council_role_maps_to(pack: ProcedurePack | None, key: str) -> str:
    """The built-in role a council role carries; "" when the pack has no such role."""
    for row in pack_vocabulary_rows(pack).get("role", []):
        if row["key"] == key:
            return row.get("maps_to", "")
    return ""


def team_kind_behaves_as(pack: ProcedurePack | None, key: str) -> str:
    """The built-in team kind a council's team kind behaves as (a built-in kind is itself)."""
    if key in TeamKind.values:
        return key
    for row in pack_vocabulary_rows(pack).get("team_kind", []):
        if row["key"] == key:
            return row.get("maps_to", "")
    return ""


# --------------------------------------------------------------------------------------------------
# Which pack's words to use
# --------------------------------------------------------------------------------------------------


def default_pack() -> ProcedurePack | None:
    """The installation's own pack: `PORTAL_DEFAULT_PACK` (a slug) when set, else the first by name."""
    from .models import ProcedurePack

    slug = getattr(settings, "PORTAL_DEFAULT_PACK", "")
    qs = ProcedurePack.objects.prefetch_related("vocabulary", "settings")
    pack = qs.filter(slug=slug).first() if slug else None
    return pack or qs.order_by("name", "pk").first()


def pack_for_child(child: Any) -> ProcedurePack | None:
    """The pack whose lists a child's record uses: the pack of the child's latest meeting, else the
    installation's own pack."""
    from .models import Meeting, ProcedurePack

    pack_id = (
        Meeting.objects.filter(child_id=child.pk)
        .order_by("-requested_at", "-pk")
        .values_list("meeting_type__pack_id", flat=True)
        .first()
        if child is not None and child.pk
        else None
    )
    if pack_id:
        return ProcedurePack.objects.prefetch_related("vocabulary", "settings").get(pk=pack_id)
    return default_pack()


def default_terms() -> dict[str, str]:
    """The installation's own pack's terms, in one query (the navigation reads them on every page)."""
    from django.db.models import Subquery

    from .models import PackVocabulary, ProcedurePack

    slug = getattr(settings, "PORTAL_DEFAULT_PACK", "")
    packs = ProcedurePack.objects.order_by("name", "pk")
    first = packs.filter(slug=slug) if slug else packs
    renamed = dict(
        PackVocabulary.objects.filter(kind="term", pack=Subquery(first.values("pk")[:1])).values_list(
            "key", "label"
        )
    )
    return {key: renamed.get(key, word) for key, word in TERMS.items()}


def council_role_label(key: str, pack: ProcedurePack | None = None) -> str:
    """A council role's label from the given pack, else from any pack that defines it."""
    if not key:
        return ""
    own = dict(pack_vocabularies(pack).get("council_role", [])) if pack is not None else {}
    if key in own:
        return own[key]
    from .models import PackVocabulary

    row = PackVocabulary.objects.filter(kind="role", key=key).order_by("pack__name", "pk").first()
    return row.label if row else ""


def council_role_permission_set(key: str) -> str:
    """The built-in role a council role key carries in the default pack (else in any pack); ""."""
    if not key:
        return ""
    found = council_role_maps_to(default_pack(), key)
    if found:
        return found
    from .models import PackVocabulary

    row = PackVocabulary.objects.filter(kind="role", key=key).order_by("pack__name", "pk").first()
    return row.maps_to if row else ""


def council_team_kind_behaves_as(key: str) -> str:
    """The built-in kind a council's team kind behaves as, from the default pack (else any pack); ""."""
    if not key:
        return ""
    found = team_kind_behaves_as(default_pack(), key)
    if found:
        return found
    from .models import PackVocabulary

    row = PackVocabulary.objects.filter(kind="team_kind", key=key).order_by("pack__name", "pk").first()
    return row.maps_to if row else ""


class PackVocabularies:
    """What the case record asks of the packs' vocabularies (portal.vocabulary), registered at start-up so
    the case record never imports this app (issue 15)."""

    def lists_for_child(self, child: Any) -> tuple[Any, dict[str, list[tuple[str, str]]]]:
        pack = pack_for_child(child) if child is not None else default_pack()
        return pack, pack_vocabularies(pack)

    def council_team_kinds(self) -> list[tuple[str, str]]:
        from .models import PackVocabulary

        rows = PackVocabulary.objects.filter(kind="team_kind").select_related("pack")
        seen: dict[str, str] = {}
        for row in rows.order_by("pack__name", "sort_order", "pk"):
            seen.setdefault(row.key, f"{row.label} ({row.pack.name})")
        return list(seen.items())

    def role_label(self, key: str) -> str:
        return council_role_label(key)

    def role_permission_set(self, key: str) -> str:
        return council_role_permission_set(key)

    def team_kind_behaves_as(self, key: str) -> str:
        return council_team_kind_behaves_as(key)

    def terms(self) -> dict[str, str]:
        return default_terms()
