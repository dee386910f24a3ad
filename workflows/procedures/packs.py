"""Loading a pack's procedure pages from `fixtures/packs/<pack>/procedures.json` (called by the engine's
`manage.py load_packs`). Missing pages are created and published; a page that exists keeps its live
content, and a newer shipped version arrives as a draft for a policy owner (`workflows.shipped`).

File format::

    {"format": 1,
     "index": {"title": ..., "slug": ..., "intro": "<p>rich text</p>"},
     "pages": [{"meeting_code": "PSM", "title": ..., "slug": ..., "summary": ...,
                "sections": {"purpose": "<p>...</p>", "when_to_hold": ..., "who_chairs": ...,
                             "timescales": ..., "who_attends": ..., "after_meeting": ...}}]}

Section text is rich text (HTML); local names are placeholders such as ``{case_record_system}`` filled
from the pack's settings when shown.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from workflows.shipped import CREATED, shipped_created, shipped_fingerprint, shipped_offer

from .models import SECTIONS, ProcedureIndexPage, ProcedurePage
from .services import procedures_workflow_ensure, site_root_ensure

FILE_NAME = "procedures.json"
FORMAT_VERSION = 1


class ProceduresFileError(ValueError):
    """A procedures file that cannot be loaded; the message names each problem."""


def procedures_read(pack_dir: Path) -> dict[str, Any]:
    path = Path(pack_dir) / FILE_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProceduresFileError(f"{path}: not valid JSON: {exc}") from exc
    problems = procedures_problems(data)
    if problems:
        raise ProceduresFileError(f"{path}: " + "; ".join(problems))
    return data


def procedures_problems(data: Any) -> list[str]:
    """Every problem in a procedures file, each with its path. Empty means it can be loaded."""
    if not isinstance(data, dict):
        return ["$: the file must hold one object."]
    problems = []
    if data.get("format", FORMAT_VERSION) != FORMAT_VERSION:
        problems.append(f"format: this installation reads format {FORMAT_VERSION}.")
    index = data.get("index")
    if not isinstance(index, dict) or not str(index.get("title", "")).strip():
        problems.append("index.title: required.")
    pages = data.get("pages")
    if not isinstance(pages, list) or not pages:
        return problems + ["pages: give at least one procedure page."]
    codes = []
    for i, entry in enumerate(pages):
        if not isinstance(entry, dict):
            problems.append(f"pages[{i}]: must be an object.")
            continue
        for key in ("meeting_code", "title"):
            if not str(entry.get(key, "")).strip():
                problems.append(f"pages[{i}].{key}: required.")
        codes.append(str(entry.get("meeting_code", "")).upper())
        sections = entry.get("sections", {})
        if not isinstance(sections, dict):
            problems.append(f"pages[{i}].sections: must be an object keyed by section.")
            continue
        for key in sorted(set(sections) - set(SECTIONS)):
            problems.append(f"pages[{i}].sections.{key}: unknown section; use {', '.join(SECTIONS)}.")
    for code in sorted({c for c in codes if c and codes.count(c) > 1}):
        problems.append(f"pages: the meeting code {code} appears twice.")
    return problems


def _page_values(entry: dict[str, Any], pack_slug: str) -> dict[str, Any]:
    sections = entry.get("sections", {})
    values = {
        "title": entry["title"].strip(),
        "meeting_code": entry["meeting_code"].strip().upper(),
        "pack_slug": pack_slug,
        "summary": entry.get("summary", "").strip(),
    }
    values.update({key: (sections.get(key) or "").strip() for key in SECTIONS})
    return values


def _load_page(page: Page, values: dict[str, Any], *, created: bool, pack_slug: str, user=None) -> str:
    """Publish a page the loader just created; for one that existed, offer changed shipped content as a
    draft and never touch what is live (see `workflows.shipped`)."""
    fingerprint = shipped_fingerprint(values)
    if created:
        for key, value in values.items():
            setattr(page, key, value)
        page.draft_title = page.title
        revision = page.save_revision(user=user, log_action=True)
        revision.publish(user=user)
        shipped_created(obj=page, fingerprint=fingerprint, revision=revision, pack_slug=pack_slug)
        return CREATED
    live = page.live_revision.as_object() if page.live_revision_id else page.specific
    draft = page.live_revision.as_object() if page.live_revision_id else type(page).objects.get(pk=page.pk)
    for key, value in values.items():
        setattr(draft, key, value)
    draft.draft_title = draft.title
    return shipped_offer(
        obj=page,
        fingerprint=fingerprint,
        live_matches=all(getattr(live, k) == v for k, v in values.items()),
        draft=draft,
        pack_slug=pack_slug,
    )


def _free_slug(parent: Page, slug: str) -> str:
    """`slug`, or `slug-2`, `slug-3`... if a sibling already uses it (e.g. the same file loaded for two
    packs)."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    return candidate


def _new_child(parent: Page, page: Page, slug: str) -> Page:
    page.slug = _free_slug(parent, slug)
    page.live = False
    page.draft_title = page.title
    parent.add_child(instance=page)
    return page


@transaction.atomic
def procedures_load(pack_dir: Path, pack=None, *, user=None) -> list[ProcedurePage]:
    """Create a pack's procedure index page (under the default site's root page) and one procedure page
    per entry when missing; offer changed shipped text of existing pages as drafts, never live.
    Returns the procedure pages, in file order.

    `pack` is the engine's `workflows.models.ProcedurePack` (its slug is used); without it the folder
    name is the pack slug. Also makes sure the moderation workflow covers the index page.
    """
    pack_dir = Path(pack_dir)
    data = procedures_read(pack_dir)
    pack_slug = getattr(pack, "slug", None) or pack_dir.name

    site_root_ensure()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page if site else Page.get_first_root_node()

    index_data = data["index"]
    index_values = {"title": index_data["title"].strip(), "intro": (index_data.get("intro") or "").strip()}
    index = ProcedureIndexPage.objects.filter(pack_slug=pack_slug).order_by("path").first()
    created = index is None
    if created:
        index = _new_child(
            root,
            ProcedureIndexPage(title=index_values["title"], pack_slug=pack_slug),
            index_data.get("slug") or slugify(f"{pack_slug}-procedures"),
        )
    _load_page(index, index_values, created=created, pack_slug=pack_slug, user=user)

    pages: list[ProcedurePage] = []
    for entry in data["pages"]:
        values = _page_values(entry, pack_slug)
        page = (
            ProcedurePage.objects.filter(pack_slug=pack_slug, meeting_code=values["meeting_code"])
            .order_by("path")
            .first()
        )
        created = page is None
        if created:
            page = _new_child(
                index,
                ProcedurePage(**values),
                entry.get("slug") or slugify(values["title"]),
            )
        _load_page(page, values, created=created, pack_slug=pack_slug, user=user)
        page.refresh_from_db()
        pages.append(page)

    procedures_workflow_ensure()
    return pages
