"""Filling a procedure's placeholders with the pack's local names.

Procedure text never names a council's systems, mailboxes or people: it says ``{case_record_system}``
and the pack's settings say what that is. The settings come from `workflows.models.ProcedurePack` (looked
up by slug through the app registry, so this app does not import the engine) merged with any dict the
caller passes; a placeholder with no value reads as a plain description ("the case record system").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.apps import apps
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.rich_text import expand_db_html

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def settings_for_pack(pack_slug: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The pack's settings (key -> value), overridden by `extra`. Empty if the pack is unknown."""
    values: dict[str, str] = {}
    try:
        pack_model = apps.get_model("workflows", "ProcedurePack")
    except LookupError:
        pack_model = None
    if pack_model is not None and pack_slug:
        pack = pack_model.objects.filter(slug=pack_slug).prefetch_related("settings").first()
        if pack is not None:
            values.update(pack.settings_dict())
    values.update(extra or {})
    return values


def placeholder_fallback(key: str) -> str:
    return "the " + key.replace("_", " ")


def fill_placeholders(html: str, values: Mapping[str, str]) -> str:
    """Replace ``{key}`` with the escaped value of `key` (or a plain description when it has none)."""

    def _sub(match: re.Match[str]) -> str:
        key = match.group(1)
        value = values.get(key) or placeholder_fallback(key)
        return escape(value)

    return PLACEHOLDER.sub(_sub, html)


# Rich text from the editor carries no classes; give its plain tags the GOV.UK Design System styles.
GOVUK_CLASSES = {
    "<p>": '<p class="govuk-body">',
    "<ul>": '<ul class="govuk-list govuk-list--bullet">',
    "<ol>": '<ol class="govuk-list govuk-list--number">',
    "<h3>": '<h3 class="govuk-heading-m">',
    "<h4>": '<h4 class="govuk-heading-s">',
    "<a href=": '<a class="govuk-link" href=',
}


def govuk_styled(html: str) -> str:
    for plain, styled in GOVUK_CLASSES.items():
        html = html.replace(plain, styled)
    return html


def render_section(raw: str, values: Mapping[str, str]) -> SafeString:
    """Rich text as stored (Wagtail's database format) to front-end HTML in GOV.UK style, placeholders
    filled."""
    if not raw or not raw.strip():
        return mark_safe("")
    html = govuk_styled(fill_placeholders(expand_db_html(raw), values))
    return mark_safe(html)  # noqa: S308 (rich text from the CMS editor is HTML by design)
