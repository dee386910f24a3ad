"""Reading procedures for the meeting screens: the LIVE (published) text only, never a draft."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Revision

from ..revisions import parsed_revision
from .models import SECTIONS, ProcedurePage
from .rendering import render_section, settings_for_pack


def procedure_page_live(*, meeting_code: str, pack_slug: str) -> ProcedurePage | None:
    """The published procedure page of a meeting type in a pack, or None."""
    return (
        ProcedurePage.objects.live()
        .filter(meeting_code__iexact=meeting_code, pack_slug=pack_slug)
        .select_related("live_revision")
        .order_by("path")
        .first()
    )


def procedure_live_revision(*, meeting_code: str, pack_slug: str) -> Revision | None:
    """The revision now published for this meeting type's procedure; a meeting records it when requested."""
    page = procedure_page_live(meeting_code=meeting_code, pack_slug=pack_slug)
    return page.live_revision if page is not None else None


def procedure_section(
    *, meeting_code: str, pack_slug: str, section: str, values: Mapping[str, str] | None = None
) -> SafeString:
    """HTML of one section of the live procedure, placeholders filled from the pack's settings (and
    `values`, which win). Empty when there is no published page or the section is blank."""
    if section not in SECTIONS:
        raise ValueError(f"Unknown procedure section {section!r}; use one of {', '.join(SECTIONS)}.")
    page = procedure_page_live(meeting_code=meeting_code, pack_slug=pack_slug)
    if page is None or page.live_revision_id is None:
        return mark_safe("")
    # The page row holds the published content; read the live revision anyway so an unpublished draft
    # (saved as a newer revision) can never leak into a meeting screen.
    live = parsed_revision(page.live_revision)  # parsed once per process (workflows.revisions)
    return render_section(live.section_raw(section), settings_for_pack(pack_slug, values))
