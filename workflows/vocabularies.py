"""The council's own vocabulary, per pack (issue 10).

A pack edits its own lists (`PackVocabulary` rows, in the pack's CMS page and in pack files under
`"vocabularies"`): placement purposes, legal orders, team kinds (each behaving as a built-in kind), council
roles (each carrying one built-in permission set, a `portal.choices.Role`), the kinds of people who can
raise a concern or attend, request flags, and terms (the portal's main words a council renames).

`pack_vocabularies(pack)` gives every list as `[(key, label)]`, the shape the condition validator
(`conditions.condition_problems(..., vocabularies=...)`) and the forms take. A kind the pack has no row of
falls back to the defaults (`workflows.vocabulary_kinds`, from `workflows.facts`), so a pack loaded before
vocabularies existed behaves as before. Built-in team kinds and roles are always there; a pack only adds
to them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Subquery

from portal.choices import TeamKind

from .facts import VOCABULARIES
from .models.packs import PackVocabulary, ProcedurePack
from .vocabulary_kinds import BUILT_IN_ROLES, BUILT_IN_TEAM_KINDS, KINDS, REPLACED, TERMS


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
    slug = getattr(settings, "PORTAL_DEFAULT_PACK", "")
    qs = ProcedurePack.objects.prefetch_related("vocabulary", "settings")
    pack = qs.filter(slug=slug).first() if slug else None
    return pack or qs.order_by("name", "pk").first()


def pack_for_child(child: Any) -> ProcedurePack | None:
    """The pack whose lists a child's record uses: the pack of the child's latest meeting, else the
    installation's own pack."""
    pack_id = (
        child.meetings.order_by("-requested_at", "-pk")
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

    row = PackVocabulary.objects.filter(kind="role", key=key).order_by("pack__name", "pk").first()
    return row.label if row else ""


def _maps_to_in_default_else_any(kind: str, key: str, in_pack) -> str:
    """What `key` maps onto in the default pack (read by `in_pack`), else in any pack (by pack name); ""."""
    if not key:
        return ""
    found = in_pack(default_pack(), key)
    if found:
        return found
    row = PackVocabulary.objects.filter(kind=kind, key=key).order_by("pack__name", "pk").first()
    return row.maps_to if row else ""


def council_role_permission_set(key: str) -> str:
    """The built-in role a council role key carries in the default pack (else in any pack); ""."""
    return _maps_to_in_default_else_any("role", key, council_role_maps_to)


def council_team_kind_behaves_as(key: str) -> str:
    """The built-in kind a council's team kind behaves as, from the default pack (else any pack); ""."""
    return _maps_to_in_default_else_any("team_kind", key, team_kind_behaves_as)


class PackVocabularies:
    """What the case record asks of the packs' vocabularies (portal.vocabulary), registered at start-up so
    the case record never imports this app (issue 15)."""

    def lists_for_child(self, child: Any) -> tuple[Any, dict[str, list[tuple[str, str]]]]:
        pack = pack_for_child(child) if child is not None else default_pack()
        return pack, pack_vocabularies(pack)

    def council_team_kinds(self) -> list[tuple[str, str]]:
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


def vocabularies_for_meeting_type(meeting_type) -> dict[str, list[tuple[str, str]]]:
    """The meeting type's pack's vocabularies (`workflows.vocabularies.pack_vocabularies`: the defaults
    where the pack has no list of its own) with the meeting type's own trigger list, for validating its
    conditions (issue 10)."""
    pack = meeting_type.pack if getattr(meeting_type, "pack_id", None) else None
    result = pack_vocabularies(pack)
    result["request_trigger"] = [(t.value["key"], t.value["label"]) for t in meeting_type.triggers]
    return result
