"""django-q2 tasks of the case record."""

from __future__ import annotations

from .access import access_rebuild


def access_check() -> dict[str, int]:
    """Nightly: rebuild the access table and report missing and extra rows (logged when any)."""
    diff = access_rebuild()
    return {"children": diff.children, "missing": diff.missing, "extra": diff.extra}
