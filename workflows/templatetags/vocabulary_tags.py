"""`{% load vocabulary_tags %}{% term "iro" %}`: the portal's word in the council's own words (issue 10).

The pack is the one the page is about: the meeting's (`meeting`), the meeting type's (`meeting_type`), a
`pack` in the context, else the installation's own pack (`workflows.vocabularies.default_pack`). Terms are
lower-case nouns; `{% term "iro" as iro %}{{ iro|capfirst }}` starts a sentence with one. Looked up once
per request and pack.
"""

from __future__ import annotations

from django import template

from ..vocabularies import default_pack, default_terms, pack_terms, vocabulary_label
from ..vocabulary_kinds import TERMS

register = template.Library()

_DEFAULT = object()


def _pack_of(context):
    for name in ("meeting", "meeting_type", "policy"):
        obj = context.get(name)
        meeting_type = getattr(obj, "meeting_type", obj)
        pack = getattr(meeting_type, "pack", None) if meeting_type is not None else None
        if pack is not None and hasattr(pack, "vocabulary"):
            return pack
    pack = context.get("pack")
    if pack is not None and hasattr(pack, "vocabulary"):
        return pack
    return _DEFAULT


def _terms(context) -> dict[str, str]:
    pack = _pack_of(context)
    request = context.get("request")
    cache = getattr(request, "_portal_terms", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request._portal_terms = cache
    key = "default" if pack is _DEFAULT else pack.pk
    if key not in cache:
        cache[key] = default_terms() if pack is _DEFAULT else pack_terms(pack)
    return cache[key]


@register.simple_tag(takes_context=True)
def term(context, key: str) -> str:
    """The council's word for one of the portal's terms (`workflows.vocabularies.TERMS`)."""
    if key not in TERMS:
        raise template.TemplateSyntaxError(f"“{key}” is not one of the portal's terms: {', '.join(TERMS)}.")
    return _terms(context).get(key, TERMS[key])


@register.simple_tag(takes_context=True)
def vocabulary(context, kind: str, key: str) -> str:
    """The label of a stored key in the page's pack's list, e.g. `{% vocabulary "person_kind" k %}`."""
    pack = _pack_of(context)
    return vocabulary_label(default_pack() if pack is _DEFAULT else pack, kind, key or "")
